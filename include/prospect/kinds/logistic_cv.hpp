#pragma once
// Cross-validation of a logistic-regression score: every fold refitted by
// IRLS, all folds sharing each pass over the samples the full fit read (a pass
// adds every unfinished fold's sums), then one more pass ranks each fold's
// held-out deposits on its refitted map. Held-out deposit cells count
// as background in the fold's fit, as undiscovered deposits do.

#include "prospect/kinds/logistic_fit.hpp"
#include "prospect/validate/cross_validation.hpp"

namespace prospect {

// `full` must still hold its samples.
CrossValidation cross_validate_logistic(const ModelSpec& model, const ScoreSpec& score,
                                        const LogisticScoreFit& full, const AnalysisGrid& grid,
                                        const std::vector<Tile>& tiles);

}  // namespace prospect
