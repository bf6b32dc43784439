#pragma once
// Training deposits of one score (the model's training layer with the score's
// filter), as cell positions bucketed by the tile they fall in, so a tile pass
// finds its deposits without searching. Shared by the trained models.

#include <cstdint>
#include <string>
#include <vector>

#include "prospect/config/model_file.hpp"
#include "prospect/core/tiles.hpp"

namespace prospect {

struct TrainingCells {
  std::vector<std::vector<std::size_t>> per_tile;  // cell index within each tile's window
  std::int64_t read = 0;                           // points read after the filters
  std::int64_t outside_grid = 0;
};

TrainingCells training_cells(const ModelSpec& model, const ScoreSpec& score,
                             const AnalysisGrid& grid, const std::vector<Tile>& tiles);

}  // namespace prospect
