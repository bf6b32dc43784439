#pragma once
// Validation of a finished score raster against deposit points: AUC (ties one
// half), success-rate curve and capture shares per band, written to
// validation.json. One extra pass over the staged score tiles.

#include <string>
#include <vector>

#include "prospect/config/model_file.hpp"
#include "prospect/core/grid.hpp"
#include "prospect/core/tiles.hpp"
#include "prospect/raster/tiff_writer.hpp"

namespace prospect {

struct BandValidation {
  std::string band;
  std::string deposits_source;  // which deposits, in words
  std::size_t deposits = 0;     // deposits on scored cells
  std::size_t not_scored = 0;   // deposits outside the grid, outside the study area or on missing evidence
  double auc = 0;
  double auc_low = 0, auc_high = 0;  // bootstrap 95 % interval (0, 0 when not computed)
  std::vector<std::pair<double, double>> capture;  // (area share, deposit share)
};

// Bands and the deposits each is validated against: the model's validation
// deposits for every band, else (wofe) each score's own training deposits.
// Returns one entry per validated band and writes validation.json to `json_path`.
std::vector<BandValidation> validate(const ModelSpec& model, const AnalysisGrid& grid,
                                     StagedRaster& scores, const std::vector<Tile>& tiles,
                                     const std::string& json_path);

}  // namespace prospect
