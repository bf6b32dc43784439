#pragma once
// Weights of evidence (Bonham-Carter 1994): per score, unit-cell weights from
// the training deposits (run/wofe_fit), the posterior probability and its
// standard deviation (a <score>_std band) per cell, the Agterberg-Cheng
// conditional-independence test summed while scoring, and cross-validation
// from the unique conditions counted while scoring (run/wofe_cv).

#include "prospect/kinds/model_kind.hpp"

namespace prospect {

class WofeKind : public ModelKind {
 public:
  ModelType type() const override { return ModelType::wofe; }
  // Writes weights/<score>_<evidence>.csv into the output folder.
  std::unique_ptr<FittedModel> fit(const KindContext& context) const override;
};

}  // namespace prospect
