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
#include "prospect/raster/tiff_writer.hpp"
#include "prospect/run/wofe_cv.hpp"
#include "prospect/validate/response_curve.hpp"
#include "prospect/validate/success_rate.hpp"
#include "prospect/vector/deposit_places.hpp"

namespace prospect {

struct BandValidation {
  std::string band;
  std::string deposits_source;  // which deposits, in words
  bool held_out = false;        // true: deposits the model did not see (a prediction rate)
  std::size_t deposits = 0;     // deposits on scored cells
  DepositAccount account;       // every deposit read: counted, or not and why
  double auc = 0;
  double auc_low = 0, auc_high = 0,
         auc_std_error = 0;                        // bootstrap 95 % interval (0 when not computed)
  std::vector<std::pair<double, double>> capture;  // (area share, deposit share)
  std::vector<CurvePoint> curve;
  PredictionArea prediction_area;
  bool constant_score = false;  // every valid cell scores the same: the band ranks nothing
};

// Whether a band ranks its deposits above the background, judged by the 95 %
// AUC interval: above 0.5 (better than chance), containing 0.5 (no better
// than chance), below 0.5 (worse than chance: the map ranks deposits below the
// background). Without an interval (no bootstrap, or under 2 deposits) or
// deposits: not assessed.
enum class Chance { not_assessed, better, no_better, worse };
Chance chance_of(const BandValidation& v);
const char* chance_name(Chance c);  // "better than chance", ...
// The warning for a band that is no better or worse than chance, in plain words ("" otherwise).
std::string chance_warning(const BandValidation& v);

// Bands and the deposits each is validated against: the model's validation
// deposits for every band, else (wofe, logistic) each score's own training deposits.
std::vector<BandValidation> validate(const ModelSpec& model, const AnalysisGrid& grid,
                                     const StudyArea& area, StagedRaster& scores,
                                     const std::vector<Tile>& tiles, int threads);

// validation.json: every number and curve above.
std::string validation_json(const ModelSpec& model, const std::vector<BandValidation>& bands,
                            const std::vector<CrossValidation>& cross_validation,
                            const std::vector<ResponseCurve>& response_curves);

}  // namespace prospect
