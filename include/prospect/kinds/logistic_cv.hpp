#pragma once
// Cross-validation of a logistic-regression score: every fold refitted by
// IRLS, all folds sharing each pass over the tiles (a pass reads the inputs
// once and adds every unfinished fold's sums), then one more pass ranks each
// fold's held-out deposits on its refitted map. Held-out deposit cells count
// as background in the fold's fit, as undiscovered deposits do.

#include "prospect/evidence/grid_input.hpp"
#include "prospect/kinds/logistic_fit.hpp"
#include "prospect/validate/cross_validation.hpp"
#include "prospect/vector/study_area.hpp"

namespace prospect {

CrossValidation cross_validate_logistic(const ModelSpec& model, const ScoreSpec& score,
                                        const LogisticScoreFit& full, const AnalysisGrid& grid,
                                        const StudyArea& area, const std::vector<Tile>& tiles,
                                        const InputSet& inputs, int threads);

}  // namespace prospect
