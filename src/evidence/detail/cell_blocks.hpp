#pragma once
// The square cell blocks (16 x 16 for distance and IDW) that the exact
// nearest-feature searches work in: each block's centre and half diagonal
// bound the search for all of its cells.

#include <algorithm>
#include <cmath>

#include "prospect/core/grid.hpp"
#include "prospect/core/tiles.hpp"

namespace prospect::detail {

struct CellBlock {
  int r0, r1, c0, c1;         // rows [r0, r1), columns [c0, c1) of the window
  double centre_x, centre_y;  // centre of the block's cell centres
  double half_diagonal;       // from that centre to the farthest cell centre
};

template <class Fn>
void for_each_cell_block(const AnalysisGrid& grid, const Window& w, int block, Fn fn) {
  for (int r0 = 0; r0 < w.height; r0 += block)
    for (int c0 = 0; c0 < w.width; c0 += block) {
      const int r1 = std::min(w.height, r0 + block), c1 = std::min(w.width, c0 + block);
      const double x_min = grid.center_x(w.col + c0), x_max = grid.center_x(w.col + c1 - 1);
      const double y_max = grid.center_y(w.row + r0), y_min = grid.center_y(w.row + r1 - 1);
      fn(CellBlock{r0, r1, c0, c1, (x_min + x_max) / 2, (y_min + y_max) / 2,
                   0.5 * std::hypot(x_max - x_min, y_max - y_min)});
    }
}

}  // namespace prospect::detail
