#pragma once
// Outlines of zones, traced from rows of zone numbers streamed top to bottom:
// each zone (a 4-connected patch of cells with the same number > 0) becomes
// its rings of cell corners as soon as the rows below it no longer hold it, so
// memory is the boundary of the zones still open, never a raster of ids.
//
// The rings have the corners of GDAL's polygonize on the same numbers
// (checked by the tests), corners only (no vertex inside a straight edge), in
// a fixed form: the exterior first, counterclockwise, then the holes,
// clockwise (north up, row 0 at the top), ordered by their top-left corner
// (row, then column), every ring starting at its top-left corner (GDAL 3.6
// starts and turns its rings wherever its pieces joined). Where two cells of a
// zone touch only at a corner, the zone holds the corner and the cells around
// it do not: a hole that reaches the outside through a corner stays a hole
// touching the exterior at that point, so every polygon is valid. Pure: no GDAL.

#include <cstdint>
#include <functional>
#include <vector>

namespace prospect {

struct CellCorner {
  std::int32_t x = 0, y = 0;  // column and row of the corner (0..width, 0..height)
  bool operator==(const CellCorner& o) const { return x == o.x && y == o.y; }
};

// A closed ring, the first corner not repeated at the end.
using CornerRing = std::vector<CellCorner>;

// A straight piece of a zone's boundary along cell sides, directed so that the
// zone lies on its left (north up): a cell's own ring runs down its west side.
struct CornerEdge {
  CellCorner from, to;
};

// The rings of one zone from its boundary edges, in the order and form
// described above. Exposed for the tests.
std::vector<CornerRing> rings_from_edges(std::vector<CornerEdge> edges);

class ZoneOutliner {
 public:
  // zone_count: zones are numbered 1..zone_count; `done` hears each zone once,
  // with its rings, when its last row has passed (or at finish()).
  using ZoneDone = std::function<void(std::int32_t zone, std::vector<CornerRing>&& rings)>;
  ZoneOutliner(int width, std::int32_t zone_count, ZoneDone done);

  // The next row of zone numbers (width of them; 0 = no zone), rows in order from 0.
  void add_row(const std::int32_t* zones);
  // After the last row: outlines the zones still open.
  void finish();

 private:
  void add_edge(std::int32_t zone, CellCorner from, CellCorner to);
  void horizontal_edges(const std::int32_t* above, const std::int32_t* below);
  void vertical_edges(const std::int32_t* row);
  void close_zones_left_behind(const std::int32_t* row);
  void close(std::int32_t zone);

  int m_width;
  std::int32_t m_y = 0;  // the row add_row() takes next
  ZoneDone m_done;
  std::vector<std::int32_t> m_previous;          // the last row added (zeros before the first)
  std::vector<std::vector<CornerEdge>> m_edges;  // per open zone, its boundary so far
  std::vector<std::int32_t> m_last_row;          // per zone, the last row it was seen in
  std::vector<std::int32_t> m_in_previous, m_in_current;  // zones of those rows, each once
};

}  // namespace prospect
