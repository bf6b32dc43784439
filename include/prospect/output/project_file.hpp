#pragma once
// The QGIS project of a run (project.qgs in the output folder), top to bottom:
// targets (labelled by rank), training and validation deposits, the study area
// outline, the model's input vectors (group "Input vectors", hidden), the
// evidence layers written (group "Evidence", hidden) and the score raster.
// Input files are referenced relative to the output folder, so the folder and
// the data can move together.

#include <string>
#include <vector>

#include "prospect/core/grid.hpp"
#include "prospect/spec/model.hpp"

namespace prospect {

// out_dir: the output folder (the project file's folder: paths to inputs are
// made relative to it); files_dir: where the outputs are while the run writes
// them (the staging folder), from which the styles are read; outputs: the
// files written so far, relative to either.
std::string run_project(const ModelSpec& model, const AnalysisGrid& grid,
                        const std::string& out_dir, const std::string& files_dir,
                        const std::vector<std::string>& outputs);

}  // namespace prospect
