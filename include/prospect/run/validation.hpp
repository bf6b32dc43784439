#pragma once
// Validation of a finished score raster against deposit points: AUC (ties one
// half), success- or prediction-rate curve, P-A point and capture shares per
// band, from one extra pass over the staged score tiles; cross-validation and
// response curves join them in validation.json.

#include <string>
#include <vector>

#include "prospect/config/model_file.hpp"
#include "prospect/core/grid.hpp"
#include "prospect/core/tiles.hpp"
#include "prospect/output/run_record.hpp"
#include "prospect/output/validation_json.hpp"
#include "prospect/raster/tiff_writer.hpp"
#include "prospect/validate/response_curve.hpp"
#include "prospect/validate/success_rate.hpp"
#include "prospect/vector/deposit_places.hpp"

namespace prospect {

// Bands and the deposits each is validated against: the model's validation
// deposits for every band, else (wofe, logistic) each score's own training deposits.
std::vector<BandValidation> validate(const ModelSpec& model, const AnalysisGrid& grid,
                                     const StudyArea& area, StagedRaster& scores,
                                     const std::vector<Tile>& tiles, int threads,
                                     const ShareDone& on_progress = {});

}  // namespace prospect
