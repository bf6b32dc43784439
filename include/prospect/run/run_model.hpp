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
#include "prospect/output/run_record.hpp"
#include "prospect/run/model_setup.hpp"

namespace prospect {

struct RunOptions {
  std::string out_dir;
  int threads = 0;             // 0: one per core
  bool no_validation = false;  // skip validation.json (and the report's validation sections)
  bool no_report = false;      // skip report.html
  // Called on the run's own thread as it goes: the phase ("preparing",
  // "fitting", "scoring", "validating", "outlining targets", "writing
  // prospectivity.tif", ...) and the share of it done, or -1 when a phase
  // begins or cannot say (PhaseProgress draws it).
  std::function<void(const char* step, double fraction)> on_progress;
  // Each note and warning of the run as it happens, from any thread (may be
  // empty). Whatever is done with them, warnings also reach the manifest and
  // the report, notes the manifest.
  std::function<void(const Diagnostic&)> on_message;
};

RunRecord run_model(const ModelSpec& model, const RunOptions& options);

}  // namespace prospect
