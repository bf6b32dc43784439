#pragma once
// Running a model: the whole pipeline from a parsed model file to the files in
// the output folder. `check_model` does everything up to the first tile.

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "prospect/config/model_file.hpp"
#include "prospect/core/diagnostics.hpp"
#include "prospect/core/grid.hpp"
#include "prospect/kinds/model_kind.hpp"
#include "prospect/output/quicklook.hpp"
#include "prospect/raster/tiff_writer.hpp"
#include "prospect/run/model_setup.hpp"
#include "prospect/run/validation.hpp"

namespace prospect {

struct RunOptions {
  std::string out_dir;
  int threads = 0;             // 0: one per core
  bool progress = false;       // draw progress on stderr
  bool no_validation = false;  // skip validation.json (and the report's validation sections)
  bool no_report = false;      // skip report.html
  // Called on the writer thread as the run goes: the step ("scoring", "validating",
  // "targets", "writing", "report") and, while scoring, the share of tiles done.
  std::function<void(const char* step, double fraction)> on_progress;
  // Each note and warning of the run as it happens, from any thread (may be
  // empty). Whatever is done with them, warnings also reach the manifest and
  // the report, notes the manifest.
  std::function<void(const Diagnostic&)> on_message;
};

struct CellCounts {
  long long outside = 0;  // outside the study area
  long long missing = 0;  // inside, but some evidence is missing
  long long valid = 0;    // inside, every band scored
};

struct RunRecord {
  AnalysisGrid grid;
  CellCounts cells;
  std::vector<BandStatistics> band_stats;
  double target_threshold = 0;
  long long target_count = 0;
  double target_cut_percent = 0;        // of the valid study area: cells at or above the threshold
  double target_delivered_percent = 0;  // of the valid study area: cells in the zones kept
  long long targets_dropped_small = 0;  // zones under targets.min_area_ha
  long long target_holes_filled = 0;    // holes under targets.fill_holes_ha
  std::vector<std::pair<std::string, std::string>> input_hashes;  // path, hash
  std::vector<std::pair<std::string, double>> timings;            // step, seconds
  std::vector<std::string> outputs;                               // file names written
  std::vector<std::pair<std::string, std::string>>
      output_hashes;  // name, hash (all but the manifest)
  int threads = 1;
  std::vector<std::string> warnings;  // every warning of the run, in the order first reported
  std::vector<std::string> notes;     // every note
  std::shared_ptr<const FittedModel>
      fitted;                              // the model kind, fitted: its own sections and findings
  std::vector<BandValidation> validation;  // bands validated against deposits
  std::vector<CrossValidation> cross_validation;  // wofe: per score
  std::vector<ResponseCurve> response_curves;     // per continuous input
  bool wrote_validation = false;
  QuicklookGrid quicklook_grid;                // the report's maps: pixels over the grid
  std::vector<std::vector<float>> quicklooks;  // per band, mean of each pixel's valid cells
};

RunRecord run_model(const ModelSpec& model, const RunOptions& options);

// manifest.json text; timestamps and timings are the only parts that vary between runs.
std::string manifest_json(const ModelSpec& model, const RunRecord& record);

}  // namespace prospect
