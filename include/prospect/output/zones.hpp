#pragma once
// Connected target zones, found while streaming tiles: 4-connected component
// labelling with union-find across tile edges. Tiles must arrive in row-major
// order; memory is one label row of the grid, one tile column and one entry
// per provisional label. Pure: no GDAL.

#include <cstdint>
#include <vector>

#include "prospect/core/tiles.hpp"

namespace prospect {

class ZoneLabeller {
 public:
  explicit ZoneLabeller(int grid_width);
  // A labeller that only hands out the same provisional labels again (the
  // labelling is deterministic): for a second pass that maps them through the
  // first labeller's zone_of(), without a union-find or cell counts of its own.
  static ZoneLabeller numbering_only(int grid_width);

  // mask[i] != 0 marks a target cell; labels get provisional labels (0 = none).
  void label_tile(const Window& window, const unsigned char* mask, std::int32_t* labels);

  // Call once after the last tile. Zones are numbered 1..zone_count() in the order
  // their first cell appears (row-major over tiles), so numbering never depends on threads.
  void finish();
  std::int32_t zone_of(std::int32_t provisional) const {
    return provisional == 0 ? 0 : m_zone[std::size_t(provisional)];
  }
  std::int32_t zone_count() const { return m_zone_count; }
  std::int64_t zone_cells(std::int32_t zone) const { return m_zone_cells[std::size_t(zone)]; }

 private:
  std::int32_t find(std::int32_t label);
  void unite(std::int32_t a, std::int32_t b);

  int m_width;
  bool m_numbering_only = false;
  std::int32_t m_next_label = 1;
  std::vector<std::int32_t> m_parent{0};   // union-find over provisional labels
  std::vector<std::int64_t> m_cells{0};    // cells per provisional label
  std::vector<std::int32_t> m_bottom;      // labels of the last row seen, per grid column
  std::vector<std::int32_t> m_right;       // right column of the previous tile
  std::vector<std::int32_t> m_zone;        // provisional -> zone, after finish()
  std::vector<std::int64_t> m_zone_cells;  // cells per zone, after finish()
  std::int32_t m_zone_count = 0;
};

}  // namespace prospect
