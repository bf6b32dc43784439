#pragma once
// Logistic regression on cells (run/logistic_fit): per score, IRLS on the cells
// inside the study area (deposit cells 1, the rest 0), the probability per
// cell, and cross-validation by refitting per fold (run/logistic_cv).

#include "prospect/kinds/model_kind.hpp"

namespace prospect {

class LogisticKind : public ModelKind {
 public:
  ModelType type() const override { return ModelType::logistic; }
  std::unique_ptr<FittedModel> fit(const KindContext& context) const override;
};

}  // namespace prospect
