#pragma once
// Block-aligned tiles over the analysis grid. All raster work streams these, so
// peak memory depends on the tile size and the thread count, never on the grid.

#include <cstddef>
#include <vector>

namespace prospect {

// A rectangle of grid cells: columns [col, col + width), rows [row, row + height).
struct Window {
  int col = 0, row = 0, width = 0, height = 0;
  std::size_t cell_count() const { return std::size_t(width) * std::size_t(height); }
  bool operator==(const Window&) const = default;
};

struct Tile {
  std::size_t index = 0;  // position in row-major tile order
  Window window;
};

// Tiles of tile_size x tile_size cells (smaller at the right and bottom edges),
// in row-major order. The order is fixed so outputs never depend on threading.
std::vector<Tile> make_tiles(int grid_width, int grid_height, int tile_size);

// The window grown by `halo` cells on each side and clipped to the grid: what a
// focal operation must read to compute `window`.
Window with_halo(const Window& window, int halo, int grid_width, int grid_height);

}  // namespace prospect
