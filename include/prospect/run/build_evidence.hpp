#pragma once
// `prospect evidence`: builds a model's inputs on the analysis grid and writes
// them as evidence/NAME.tif (with styles), scoring nothing. For looking at the
// evidence in a GIS before choosing memberships, weights or thresholds.

#include <string>
#include <vector>

#include "prospect/config/model_file.hpp"
#include "prospect/evidence/grid_input.hpp"
#include "prospect/run/run_model.hpp"

namespace prospect {

struct EvidenceRecord {
  AnalysisGrid grid;
  std::vector<std::string> outputs;  // files written, relative to the output folder
};

// `all`: rasters too (as warped onto the grid), else the layers built from vectors.
// How each input reached the grid goes to options.on_message as a note.
EvidenceRecord build_evidence(const ModelSpec& model, const RunOptions& options, bool all);

}  // namespace prospect
