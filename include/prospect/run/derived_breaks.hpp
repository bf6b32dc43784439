#pragma once
// Breaks taken from the data (quantiles, natural breaks) for evidence layers
// that ask for them: one pass over the tiles of each such input, over the
// study area, before anything is fitted or scored.

#include <string>
#include <vector>

#include "prospect/config/model_file.hpp"
#include "prospect/evidence/grid_input.hpp"
#include "prospect/pipeline/tile_pass.hpp"
#include "prospect/vector/study_area.hpp"

namespace prospect {

// The values of the pass's one source inside the study area, on every
// `stride`-th cell of the grid (a fixed lattice: the same for any tiles or
// threads), ascending, no NaN.
std::vector<double> sample_values(const TilePassOptions& pass, const AnalysisGrid& grid,
                                  const std::vector<Tile>& tiles, std::size_t stride);

// Fills EvidenceSpec::breaks (weights of evidence) or membership.breaks (fuzzy
// classes) of every evidence layer with a derived rule. Values are sampled on a
// fixed lattice of at most about 2 M cells (every cell on smaller grids), so the
// breaks do not depend on tiles or threads. Returns one line per layer saying
// which breaks were chosen. Throws Error(bad_input) when the data have too few
// distinct values for the classes a fuzzy table scores.
std::vector<std::string> resolve_derived_breaks(ModelSpec& model, const InputSet& inputs,
                                                const StudyArea& area, const AnalysisGrid& grid,
                                                const std::vector<Tile>& tiles, int threads);

}  // namespace prospect
