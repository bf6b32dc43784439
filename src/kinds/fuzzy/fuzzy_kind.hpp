#pragma once
// Fuzzy logic overlay (knowledge-driven): each evidence layer becomes a
// membership 0..1 (models/fuzzy), and each score is an operator tree over them
// (models/score_tree). Nothing to fit.

#include "prospect/kinds/model_kind.hpp"

namespace prospect {

class FuzzyKind : public ModelKind {
 public:
  ModelType type() const override { return ModelType::fuzzy; }
  std::unique_ptr<FittedModel> fit(const KindContext& context) const override;
};

}  // namespace prospect
