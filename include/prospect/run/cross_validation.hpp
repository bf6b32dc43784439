#pragma once
// The outcome of cross-validating one score, whatever the model: folds planned
// over the training deposits (validate/cross_validation.hpp), one refit per
// fold, the held-out deposits ranked on each refit map.

#include <string>
#include <vector>

#include "prospect/config/model_file.hpp"
#include "prospect/validate/cross_validation.hpp"

namespace prospect {

struct FoldOutcome {
  std::size_t training = 0, held_out = 0;
  double auc = 0;       // of the held-out deposits on the fold's refit map
  std::string problem;  // why the fold could not be refitted ("" when it was)
};

struct CrossValidation {
  std::string band;
  std::string method;  // in words, e.g. "10-fold, spatially blocked at 1000 m"
  FoldPlan plan;
  std::vector<FoldOutcome> folds;
  FoldSpread spread;        // of the fold AUCs (folds refitted)
  double pooled_auc = 0;    // every held-out deposit on its own fold's map, together
  double full_fit_auc = 0;  // the same deposits on the map fitted to all (a success rate)
  int folds_asked = 0;      // 0: leave-one-out
  double block_m = 0;
  unsigned long long seed = 0;
};

// The folds for deposits at (x, y) in metres, and the method in words.
CrossValidation plan_cross_validation(const std::string& band, const CrossValidationSpec& cv,
                                      const std::vector<double>& x_m,
                                      const std::vector<double>& y_m);

// Fills out.spread from the refitted folds' AUCs and out.pooled_auc as the mean
// of `placements`: each held-out deposit's place on its own fold's map.
void summarise_folds(CrossValidation& out, const std::vector<double>& fold_aucs,
                     const std::vector<double>& placements);

}  // namespace prospect
