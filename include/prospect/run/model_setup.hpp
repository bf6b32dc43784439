#pragma once
// Everything a run (or `prospect check`, or `prospect evidence`) does before
// the first tile: the grid, the study area, and the model's class names turned
// into codes once the inputs are open.

#include <optional>
#include <string>
#include <vector>

#include "prospect/config/model_file.hpp"
#include "prospect/core/grid.hpp"
#include "prospect/evidence/grid_input.hpp"
#include "prospect/vector/study_area.hpp"

namespace prospect {

// The analysis grid: from grid.like, grid.extent, or the study area's extent.
AnalysisGrid build_grid(const ModelSpec& model);

// The study-area polygons on the grid, or nothing when the model has none.
std::optional<StudyArea> load_study_area(const ModelSpec& model, const AnalysisGrid& grid);

// Categorical memberships that name classes ("Carbonatite: 1") get the codes
// of the rasterized input's class table. Throws Error(bad_model) for a name the
// data does not have. Evidence whose input no score uses is left as it is.
void resolve_class_names(ModelSpec& model, const InputSet& inputs);

// The model as fits and scoring see it: class names resolved as above, and
// breaks taken from the data over the study area (derived_breaks.hpp; a note
// is reported for each layer saying which).
ResolvedModel resolve_model(const ModelSpec& model, const InputSet& inputs, const StudyArea& area,
                            const AnalysisGrid& grid, const std::vector<Tile>& tiles, int threads);

// What check found: the grid and a line per input.
struct CheckReport {
  AnalysisGrid grid;
  std::vector<std::string> lines;
};
CheckReport check_model(const ModelSpec& model);

}  // namespace prospect
