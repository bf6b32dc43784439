#include "prospect/core/tiles.hpp"

#include <algorithm>

#include "prospect/core/error.hpp"

namespace prospect {

std::vector<Tile> make_tiles(int grid_width, int grid_height, int tile_size) {
  if (tile_size <= 0) throw Error(ErrorKind::bad_model, "tile size must be positive");
  std::vector<Tile> tiles;
  std::size_t index = 0;
  for (int row = 0; row < grid_height; row += tile_size)
    for (int col = 0; col < grid_width; col += tile_size) {
      Window w{col, row, std::min(tile_size, grid_width - col),
               std::min(tile_size, grid_height - row)};
      tiles.push_back({index++, w});
    }
  return tiles;
}

Window with_halo(const Window& w, int halo, int grid_width, int grid_height) {
  const int col0 = std::max(0, w.col - halo);
  const int row0 = std::max(0, w.row - halo);
  const int col1 = std::min(grid_width, w.col + w.width + halo);
  const int row1 = std::min(grid_height, w.row + w.height + halo);
  return {col0, row0, col1 - col0, row1 - row0};
}

}  // namespace prospect
