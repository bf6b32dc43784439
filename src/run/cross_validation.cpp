#include "prospect/run/cross_validation.hpp"

#include <cmath>

namespace prospect {

CrossValidation plan_cross_validation(const std::string& band, const CrossValidationSpec& cv,
                                      const std::vector<double>& x_m,
                                      const std::vector<double>& y_m) {
  CrossValidation out;
  out.band = band;
  out.folds_asked = cv.folds;
  out.block_m = cv.block_m;
  out.seed = cv.seed;
  out.plan = plan_folds(x_m, y_m, cv.folds, cv.block_m, cv.seed);
  out.method =
      (cv.folds <= 0 ? std::string("leave-one-out") : std::to_string(out.plan.folds) + "-fold") +
      (cv.block_m > 0
           ? ", spatially blocked at " + std::to_string(int(std::lround(cv.block_m))) + " m"
           : ", not spatially blocked (every deposit its own block)");
  return out;
}

void summarise_folds(CrossValidation& out, const std::vector<double>& fold_aucs,
                     const std::vector<double>& placements) {
  out.spread = fold_spread(fold_aucs);
  double sum = 0;
  for (double v : placements) sum += v;
  out.pooled_auc = placements.empty() ? 0 : sum / double(placements.size());
}

}  // namespace prospect
