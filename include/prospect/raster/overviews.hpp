#pragma once
// Overviews built from the tiles while they are scored, instead of re-reading the
// whole raster afterwards: each level halves the one below it, averaging the
// valid cells of each 2 x 2 block (a block with none stays nodata). Levels
// follow the COG driver's rule: halve until the raster fits in one block.

#include <vector>

#include "prospect/core/tiles.hpp"

namespace prospect {

// How many levels a width x height raster with this block size gets (0 if it fits in a block).
int overview_levels(int width, int height, int block_size);

// How many levels can be built from the tiles as they are scored: all of
// overview_levels when every tile starts on a multiple of 2^levels (the tile
// size divides by it), else 0 (the COG driver then builds them afterwards).
int tile_pyramid_levels(int width, int height, int tile_size);

// One tile's pyramid: level k (1-based) covers the tile's cells halved k times.
struct TilePyramid {
  std::vector<Window> windows;             // per level, in that level's cells
  std::vector<std::vector<float>> values;  // per level, NaN for nodata
};

// How a 2 x 2 block becomes one overview cell: the mean of its valid cells for
// continuous values; for class codes the most frequent valid code (ties: the
// smallest), since a mean of codes would be a class that is not there.
enum class PyramidRule { average, mode };

// Builds `levels` levels from a tile (window in full-resolution cells, NaN = nodata).
// The tile must start on a multiple of 2^levels.
TilePyramid build_pyramid(const Window& tile, const float* values, int levels,
                          PyramidRule rule = PyramidRule::average);

}  // namespace prospect
