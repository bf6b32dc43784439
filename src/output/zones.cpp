#include "prospect/output/zones.hpp"

#include <algorithm>

namespace prospect {

ZoneLabeller::ZoneLabeller(int grid_width)
    : m_width(grid_width), m_bottom(std::size_t(grid_width), 0) {}

ZoneLabeller ZoneLabeller::numbering_only(int grid_width) {
  ZoneLabeller l(grid_width);
  l.m_numbering_only = true;
  return l;
}

std::int32_t ZoneLabeller::find(std::int32_t l) {
  std::int32_t root = l;
  while (m_parent[std::size_t(root)] != root) root = m_parent[std::size_t(root)];
  while (m_parent[std::size_t(l)] != root) {  // path compression
    const std::int32_t next = m_parent[std::size_t(l)];
    m_parent[std::size_t(l)] = root;
    l = next;
  }
  return root;
}

void ZoneLabeller::unite(std::int32_t a, std::int32_t b) {
  a = find(a);
  b = find(b);
  if (a == b) return;
  // The smaller label is the root: a set's root is its first-seen label.
  if (b < a) std::swap(a, b);
  m_parent[std::size_t(b)] = a;
}

void ZoneLabeller::label_tile(const Window& w, const unsigned char* mask, std::int32_t* labels) {
  const std::size_t width = std::size_t(w.width);
  if (w.col == 0) m_right.assign(std::size_t(w.height), 0);  // a new row of tiles: no left tile
  for (int r = 0; r < w.height; ++r) {
    for (int c = 0; c < w.width; ++c) {
      const std::size_t i = std::size_t(r) * width + std::size_t(c);
      if (!mask[i]) {
        labels[i] = 0;
        continue;
      }
      const std::int32_t up = r > 0
                                  ? labels[i - width]
                                  : (w.row > 0 ? m_bottom[std::size_t(w.col) + std::size_t(c)] : 0);
      const std::int32_t left = c > 0 ? labels[i - 1] : (w.col > 0 ? m_right[std::size_t(r)] : 0);
      std::int32_t label;
      if (up == 0 && left == 0) {
        label = m_next_label++;
        if (!m_numbering_only) {
          m_parent.push_back(label);
          m_cells.push_back(0);
        }
      } else if (up != 0 && left != 0) {
        label = std::min(up, left);
        if (!m_numbering_only) unite(up, left);
      } else {
        label = up != 0 ? up : left;
      }
      labels[i] = label;
      if (!m_numbering_only) ++m_cells[std::size_t(label)];
    }
  }
  for (int c = 0; c < w.width; ++c)
    m_bottom[std::size_t(w.col) + std::size_t(c)] =
        labels[std::size_t(w.height - 1) * width + std::size_t(c)];
  m_right.resize(std::size_t(w.height));
  for (int r = 0; r < w.height; ++r)
    m_right[std::size_t(r)] = labels[std::size_t(r) * width + width - 1];
}

void ZoneLabeller::finish() {
  m_zone.assign(m_parent.size(), 0);
  m_zone_cells.assign(1, 0);
  m_zone_count = 0;
  for (std::size_t l = 1; l < m_parent.size(); ++l) {
    const std::int32_t root = find(std::int32_t(l));
    if (root == std::int32_t(l)) {
      m_zone[l] = ++m_zone_count;
      m_zone_cells.push_back(0);
    } else {
      m_zone[l] = m_zone[std::size_t(root)];  // root < l: already numbered
    }
    m_zone_cells[std::size_t(m_zone[l])] += m_cells[l];
  }
}

}  // namespace prospect
