#pragma once
// What a run found and wrote, for the writers of its outputs (manifest.json,
// validation.json, the report, the terminal summary): plain data, filled by the
// run (run/run_model.cpp) and read by them.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "prospect/core/grid.hpp"
#include "prospect/geochem/variogram.hpp"
#include "prospect/output/model_summary.hpp"
#include "prospect/output/quicklook.hpp"
#include "prospect/output/targets.hpp"
#include "prospect/raster/tiff_writer.hpp"
#include "prospect/spec/model.hpp"
#include "prospect/validate/cross_validation.hpp"
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

struct CellCounts {
  long long outside = 0;  // outside the study area
  long long missing = 0;  // inside, but some evidence is missing
  long long valid = 0;    // inside, every band scored
};

// A kriged input's variogram, for the report: the samples' experimental
// variogram and the model kriged with (fitted to it, or given).
struct VariogramRecord {
  std::string input;  // the input's name
  std::string value;  // what was kriged: "ln Dy_ppm", "the index (Dy/Yb)N"
  ExperimentalVariogram experimental;
  Variogram model;
  bool fitted = false;
};

// A geochemical input's samples against a robust threshold (median + 2 MAD of
// log10 values, or of the values when some are <= 0), for the report's map of
// anomalous samples.
struct SampleAnomalies {
  std::string input;  // the input's name
  std::string value;  // what its samples hold: "Dy_ppm", "the index HREE/LREE"
  double threshold = 0;
  std::string rule;
  long long samples = 0;
  std::vector<std::pair<double, double>> anomalous;  // x, y in the grid CRS
};

struct RunRecord {
  AnalysisGrid grid;
  CellCounts cells;
  std::vector<BandStatistics> band_stats;
  double target_threshold = 0;
  long long target_count = 0;
  double target_cut_percent = 0;         // of the valid study area: cells at or above the threshold
  double target_delivered_percent = 0;   // of the valid study area: cells in the zones kept
  long long targets_dropped_small = 0;   // zones under the minimum size
  long long target_min_cells = 1;        // the minimum size in cells (min_area_ha, or the default)
  std::vector<TargetZone> target_zones;  // rank order, as in targets.geojson
  long long target_holes_filled = 0;     // holes under targets.fill_holes_ha
  std::vector<std::pair<std::string, std::string>> input_hashes;  // path, hash
  std::vector<std::string> input_identities;  // file_identity() of each when hashed ("": none)
  std::vector<std::pair<std::string, double>> timings;  // step, seconds
  std::vector<std::string> outputs;                     // file names written
  std::vector<std::pair<std::string, std::string>>
      output_hashes;  // name, hash (all but the manifest)
  int threads = 1;
  std::vector<std::string> warnings;  // every warning of the run, in the order first reported
  std::vector<std::string> notes;     // every note
  // The fitted model as the outputs see it: its manifest section, report part, findings.
  std::shared_ptr<const ModelSummary> fitted;
  std::vector<BandValidation> validation;         // bands validated against deposits
  std::vector<CrossValidation> cross_validation;  // wofe: per score
  std::vector<ResponseCurve> response_curves;     // per continuous input
  std::vector<VariogramRecord> variograms;        // per kriged input
  std::vector<SampleAnomalies> sample_anomalies;  // per IDW or kriged input
  bool wrote_validation = false;
  QuicklookGrid quicklook_grid;                // the report's maps: pixels over the grid
  std::vector<std::vector<float>> quicklooks;  // per band, mean of each pixel's valid cells
};

// The targets' minimum size in words: "min_area_ha 5 ha (20 cells)", or "4
// cells (the default; targets.min_area_ha sets it)".
std::string min_target_size_text(const TargetSpec& targets, long long min_cells);

}  // namespace prospect
