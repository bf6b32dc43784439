#include "prospect/raster/overviews.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace prospect {

int overview_levels(int width, int height, int block_size) {
  int levels = 0;
  long size = std::max(width, height);
  while (size > block_size) {
    size = (size + 1) / 2;
    ++levels;
  }
  return levels;
}

int tile_pyramid_levels(int width, int height, int tile_size) {
  const int levels = overview_levels(width, height, tile_size);
  return levels > 0 && tile_size % (1 << levels) == 0 ? levels : 0;
}

namespace {

float mode_of(const float* v, int n) {
  float best = v[0];
  int best_count = 0;
  for (int i = 0; i < n; ++i) {
    const int count = int(std::count(v, v + n, v[i]));
    if (count > best_count || (count == best_count && v[i] < best)) {
      best = v[i];
      best_count = count;
    }
  }
  return best;
}

}  // namespace

TilePyramid build_pyramid(const Window& tile, const float* values, int levels, PyramidRule rule) {
  TilePyramid p;
  Window below = tile;
  const float* src = values;
  for (int k = 0; k < levels; ++k) {
    const Window w{below.col / 2, below.row / 2, (below.width + 1) / 2, (below.height + 1) / 2};
    std::vector<float> out(w.cell_count());
    for (int r = 0; r < w.height; ++r)
      for (int c = 0; c < w.width; ++c) {
        double sum = 0;
        float valid[4];
        int n = 0;
        for (int dr = 0; dr < 2; ++dr)
          for (int dc = 0; dc < 2; ++dc) {
            const int sr = 2 * r + dr, sc = 2 * c + dc;
            if (sr >= below.height || sc >= below.width) continue;
            const float v = src[std::size_t(sr) * std::size_t(below.width) + std::size_t(sc)];
            if (std::isnan(v)) continue;
            sum += v;
            valid[n++] = v;
          }
        out[std::size_t(r) * std::size_t(w.width) + std::size_t(c)] =
            n == 0                      ? std::numeric_limits<float>::quiet_NaN()
            : rule == PyramidRule::mode ? mode_of(valid, n)
                                        : float(sum / n);
      }
    p.windows.push_back(w);
    p.values.push_back(std::move(out));
    below = w;
    src = p.values.back().data();
  }
  return p;
}

}  // namespace prospect
