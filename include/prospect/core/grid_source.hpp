#pragma once
// Anything that yields values on the analysis grid, tile by tile: a raster
// warped onto the grid, a distance field from vectors, ... Values are float,
// NaN for no data. One instance per worker thread unless a subclass says otherwise.

#include "prospect/core/tiles.hpp"

namespace prospect {

class GridSource {
 public:
  virtual ~GridSource() = default;
  virtual void read(const Window& window, float* out) = 0;
};

}  // namespace prospect
