#pragma once
// Machine-learning kinds on XGBoost (kinds/boosting_fit): per score, a
// presence/background training table from the grid, a learner fitted on it,
// the probability per cell predicted tile by tile on every worker.
//   gradient_boosting: boosted trees (Friedman 2001; Chen and Guestrin 2016)
//   random_forest:     bagged trees with feature subsampling (Breiman 2001)

#include "prospect/kinds/model_kind.hpp"

namespace prospect {

class GradientBoostingKind : public ModelKind {
 public:
  ModelType type() const override { return ModelType::gradient_boosting; }
  std::unique_ptr<FittedModel> fit(const KindContext& context) const override;
  std::vector<std::string> prepare(ModelSpec& model, const AnalysisGrid& grid) const override;
};

class RandomForestKind : public ModelKind {
 public:
  ModelType type() const override { return ModelType::random_forest; }
  std::unique_ptr<FittedModel> fit(const KindContext& context) const override;
  std::vector<std::string> prepare(ModelSpec& model, const AnalysisGrid& grid) const override;
};

}  // namespace prospect
