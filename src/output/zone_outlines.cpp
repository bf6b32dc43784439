#include "prospect/output/zone_outlines.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

namespace prospect {
namespace {

bool top_left_first(const CellCorner& a, const CellCorner& b) {
  return std::tie(a.y, a.x) < std::tie(b.y, b.x);
}

CellCorner direction(const CornerEdge& e) {
  return {e.to.x > e.from.x ? 1 : (e.to.x < e.from.x ? -1 : 0),
          e.to.y > e.from.y ? 1 : (e.to.y < e.from.y ? -1 : 0)};
}

// True when p[0..8) are all 0: most of a row of target zones is outside them,
// and the row loops below skip those cells eight at a time.
bool zeros8(const std::int32_t* p) {
  std::int32_t any = 0;
  for (int i = 0; i < 8; ++i) any |= p[i];
  return any == 0;
}

// Rotated to start at its top-left corner.
void start_top_left(CornerRing& ring) {
  std::rotate(ring.begin(), std::min_element(ring.begin(), ring.end(), top_left_first), ring.end());
}

}  // namespace

std::vector<CornerRing> rings_from_edges(std::vector<CornerEdge> edges) {
  std::sort(edges.begin(), edges.end(), [](const CornerEdge& a, const CornerEdge& b) {
    return top_left_first(a.from, b.from);
  });
  std::vector<char> used(edges.size(), 0);
  std::vector<CornerRing> rings;
  std::vector<std::size_t> cycle;
  for (std::size_t start = 0; start < edges.size(); ++start) {
    if (used[start]) continue;
    cycle.clear();
    std::size_t e = start;
    do {
      used[e] = 1;
      cycle.push_back(e);
      const CellCorner at = edges[e].to;
      auto first = std::lower_bound(
          edges.begin(), edges.end(), at,
          [](const CornerEdge& edge, const CellCorner& c) { return top_left_first(edge.from, c); });
      std::size_t next = std::size_t(first - edges.begin());
      // Two ways on at a corner where the zone's cells touch diagonally: turn
      // right, onto the zone's other cell at that corner, so the zone holds
      // the corner and the two rings that meet there (the exterior and a
      // hole, or two holes) stay apart instead of one ring touching itself.
      if (next + 1 < edges.size() && edges[next + 1].from == at) {
        const CellCorner d = direction(edges[e]);
        const CellCorner right{-d.y, d.x};
        if (!(direction(edges[next]) == right)) ++next;
      }
      e = next;
    } while (e != start);
    CornerRing ring;
    for (std::size_t i = 0; i < cycle.size(); ++i) {
      const CornerEdge& edge = edges[cycle[i]];
      const CornerEdge& before = edges[cycle[i == 0 ? cycle.size() - 1 : i - 1]];
      if (!(direction(edge) == direction(before))) ring.push_back(edge.from);  // corners only
    }
    rings.push_back(std::move(ring));
  }
  // The first edge starts at the zone's top-left corner, which lies on the
  // exterior: ring 0. With the zone on their left, the exterior runs
  // counterclockwise and the holes clockwise (north up), as OGC wants.
  for (CornerRing& ring : rings) start_top_left(ring);
  if (rings.size() > 2)
    std::sort(rings.begin() + 1, rings.end(), [](const CornerRing& a, const CornerRing& b) {
      return top_left_first(a.front(), b.front());
    });
  return rings;
}

ZoneOutliner::ZoneOutliner(int width, std::int32_t zone_count, ZoneDone done)
    : m_width(width),
      m_done(std::move(done)),
      m_previous(std::size_t(width), 0),
      m_edges(std::size_t(zone_count) + 1),
      m_last_row(std::size_t(zone_count) + 1, -1) {}

void ZoneOutliner::add_edge(std::int32_t zone, CellCorner from, CellCorner to) {
  m_edges[std::size_t(zone)].push_back({from, to});
}

// Along the line between two rows: the bottom sides of the zone cells above
// (running east) and the top sides of those below (running west), each run of
// one zone along the line as one edge.
void ZoneOutliner::horizontal_edges(const std::int32_t* above, const std::int32_t* below) {
  const std::int32_t y = m_y;
  std::int32_t run_above = 0, run_below = 0;
  std::int32_t start_above = 0, start_below = 0;
  for (std::int32_t x = 0; x <= m_width; ++x) {
    if (run_above == 0 && run_below == 0)  // no edge starts or ends among zeros
      while (x + 8 <= m_width && zeros8(above + x) && zeros8(below + x)) x += 8;
    const std::int32_t a = x < m_width ? above[x] : 0;
    const std::int32_t b = x < m_width ? below[x] : 0;
    const std::int32_t edge_above = a != b ? a : 0;  // zone whose bottom side is here
    const std::int32_t edge_below = a != b ? b : 0;  // zone whose top side is here
    if (edge_above != run_above) {
      if (run_above > 0) add_edge(run_above, {start_above, y}, {x, y});
      run_above = edge_above;
      start_above = x;
    }
    if (edge_below != run_below) {
      if (run_below > 0) add_edge(run_below, {x, y}, {start_below, y});
      run_below = edge_below;
      start_below = x;
    }
  }
}

// Within a row: between two different neighbours, the east side of the left
// one (running north) and the west side of the right one (running south).
void ZoneOutliner::vertical_edges(const std::int32_t* row) {
  const std::int32_t y = m_y;
  for (std::int32_t x = 0; x <= m_width; ++x) {
    // Between zeros there is no side: skip runs of them.
    while ((x == 0 || row[x - 1] == 0) && x + 8 <= m_width && zeros8(row + x)) x += 8;
    const std::int32_t left = x > 0 ? row[x - 1] : 0;
    const std::int32_t right = x < m_width ? row[x] : 0;
    if (left == right) continue;
    if (left > 0) add_edge(left, {x, y + 1}, {x, y});
    if (right > 0) add_edge(right, {x, y}, {x, y + 1});
  }
}

void ZoneOutliner::close(std::int32_t zone) {
  std::vector<CornerEdge> edges;
  edges.swap(m_edges[std::size_t(zone)]);  // frees the zone's edges
  m_done(zone, rings_from_edges(std::move(edges)));
}

void ZoneOutliner::add_row(const std::int32_t* zones) {
  horizontal_edges(m_previous.data(), zones);
  vertical_edges(zones);
  for (std::int32_t x = 0; x < m_width; ++x) {
    while (x + 8 <= m_width && zeros8(zones + x)) x += 8;
    if (x >= m_width) break;
    const std::int32_t z = zones[x];
    if (z > 0 && m_last_row[std::size_t(z)] != m_y) {
      m_last_row[std::size_t(z)] = m_y;
      m_in_current.push_back(z);
    }
  }
  // A zone is one 4-connected patch, so its rows are consecutive: one missing
  // from this row has all its sides.
  for (const std::int32_t z : m_in_previous)
    if (m_last_row[std::size_t(z)] != m_y) close(z);
  m_in_previous.swap(m_in_current);
  m_in_current.clear();
  std::copy_n(zones, m_width, m_previous.begin());
  ++m_y;
}

void ZoneOutliner::finish() {
  const std::vector<std::int32_t> nothing(std::size_t(m_width), 0);
  horizontal_edges(m_previous.data(), nothing.data());
  for (const std::int32_t z : m_in_previous) close(z);
  m_in_previous.clear();
  std::fill(m_previous.begin(), m_previous.end(), 0);
}

}  // namespace prospect
