#pragma once
// Training deposits of one score (the model's training layer with the score's
// filter), as cell positions bucketed by the tile they fall in, so a tile pass
// finds its deposits without searching. Shared by the trained models.

#include <cstdint>
#include <string>
#include <vector>

#include "prospect/config/model_file.hpp"
#include "prospect/core/tiles.hpp"
#include "prospect/evidence/grid_input.hpp"

namespace prospect {

struct TrainingCells {
  std::vector<std::vector<std::size_t>> per_tile;  // cell index within each tile's window
  std::int64_t read = 0;                           // points read after the filters
  std::int64_t outside_grid = 0;
  std::int64_t not_points = 0;  // other geometries, skipped
};

// Any point layer's cells, bucketed by tile (tiles made with `tile_size`).
TrainingCells point_cells(const VectorInput& points, const AnalysisGrid& grid,
                          const std::vector<Tile>& tiles, int tile_size);

TrainingCells training_cells(const ModelSpec& model, const ScoreSpec& score,
                             const AnalysisGrid& grid, const std::vector<Tile>& tiles);

}  // namespace prospect
