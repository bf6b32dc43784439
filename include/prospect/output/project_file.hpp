#pragma once
// The QGIS project of a run (project.qgs in the output folder), top to bottom:
// targets (labelled by rank), training and validation deposits, the study area
// outline, the model's input vectors (group "Input vectors", hidden), the
// evidence layers written (group "Evidence", hidden) and the score raster.
// Every layer is a file in the output folder, named relative to it (the
// vectors from layers.gpkg), so the folder opens whole when moved or sent alone.

#include <string>
#include <vector>

#include "prospect/core/grid.hpp"
#include "prospect/output/shared_vectors.hpp"
#include "prospect/spec/model.hpp"

namespace prospect {

// files_dir: where the outputs are while the run writes them (the staging
// folder), from which the styles are read; outputs: the files written so far,
// relative to it; vectors: what copy_shared_vectors copied.
std::string run_project(const ModelSpec& model, const AnalysisGrid& grid,
                        const std::string& files_dir, const std::vector<std::string>& outputs,
                        const std::vector<SharedVector>& vectors);

}  // namespace prospect
