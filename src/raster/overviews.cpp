#include "prospect/raster/overviews.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

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

OverviewTileRows::OverviewTileRows(int width, int height, int block, float fill)
    : m_width(width),
      m_height(height),
      m_block(block),
      m_fill(fill),
      m_cells(std::size_t(block) * std::size_t(width), fill),
      m_tile(std::size_t(block) * std::size_t(block)) {}

void OverviewTileRows::add(const Window& w, const float* values, const Emit& emit) {
  const long top = long(m_row) * m_block;
  if (w.row < top || w.row + w.height > top + m_block || w.col < 0 || w.col + w.width > m_width)
    throw std::logic_error("overview cells outside the row of tiles being gathered");
  for (int r = 0; r < w.height; ++r) {
    const float* in = values + std::size_t(r) * std::size_t(w.width);
    float* out =
        m_cells.data() + std::size_t(w.row - top + r) * std::size_t(m_width) + std::size_t(w.col);
    for (int c = 0; c < w.width; ++c) out[c] = std::isnan(in[c]) ? m_fill : in[c];
  }
  m_received += w.cell_count();
  const int rows = int(std::min<long>(m_block, m_height - top));
  if (m_received < std::size_t(rows) * std::size_t(m_width)) return;
  for (int tc = 0; tc * m_block < m_width; ++tc) {
    const int cols = std::min(m_block, m_width - tc * m_block);
    std::fill(m_tile.begin(), m_tile.end(), m_fill);
    for (int r = 0; r < rows; ++r) {
      const float* in = m_cells.data() + std::size_t(r) * std::size_t(m_width) +
                        std::size_t(tc) * std::size_t(m_block);
      std::copy(in, in + cols, m_tile.begin() + std::ptrdiff_t(r) * m_block);
    }
    emit(tc, m_row, m_tile.data());
  }
  std::fill(m_cells.begin(), m_cells.end(), m_fill);
  m_received = 0;
  ++m_row;
}

}  // namespace prospect
