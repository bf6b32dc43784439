#include "prospect/evidence/distance.hpp"

#include <algorithm>
#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <cmath>
#include <limits>

#include "detail/cell_blocks.hpp"
#include "detail/geometry_parts.hpp"
#include "prospect/core/diagnostics.hpp"
#include "prospect/core/interrupt.hpp"
#include "prospect/raster/gdal_handles.hpp"
#include "prospect/vector/cell_mask.hpp"

namespace prospect {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using BPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using BSegment = bg::model::segment<BPoint>;
using BBox = bg::model::box<BPoint>;

double strike_of(double x0, double y0, double x1, double y1) {
  double a = std::atan2(x1 - x0, y1 - y0) * 180.0 / M_PI;  // from north, clockwise
  a = std::fmod(a + 360.0, 180.0);
  return a;
}

namespace {

bool strike_in(double s, const std::pair<double, double>& range) {
  // Ranges may wrap through north: [160, 20] keeps 160..180 and 0..20.
  const double from = std::fmod(range.first + 360.0, 180.0),
               to = std::fmod(range.second + 360.0, 180.0);
  return from <= to ? (s >= from && s <= to) : (s >= from || s <= to);
}

double point_segment(double px, double py, const BSegment& s) {
  const double ax = bg::get<0, 0>(s), ay = bg::get<0, 1>(s);
  const double bx = bg::get<1, 0>(s), by = bg::get<1, 1>(s);
  const double dx = bx - ax, dy = by - ay;
  const double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0.0;
  t = std::clamp(t, 0.0, 1.0);
  const double cx = ax + t * dx - px, cy = ay + t * dy - py;
  return std::sqrt(cx * cx + cy * cy);
}

}  // namespace

struct DistanceField::Index {
  std::vector<BSegment> segments;
  std::vector<BPoint> points;
  bgi::rtree<std::pair<BBox, std::size_t>, bgi::quadratic<16>> segment_tree;
  bgi::rtree<BPoint, bgi::quadratic<16>> point_tree;
  std::vector<GeometryPtr> polygons;  // for the inside test
  std::vector<OGREnvelope> polygon_envelopes;
};

DistanceField::~DistanceField() = default;

DistanceField::DistanceField(const FeatureSet& features, const AnalysisGrid& grid,
                             const DistanceSpec& spec, const std::string& source)
    : m_index(std::make_unique<Index>()), m_grid(grid), m_spec(spec) {
  ErrorContext c;
  c.file = source;
  c.layer = features.layer_name;
  c.step = "measuring distances";
  if (grid.is_geographic())
    throw Error(ErrorKind::bad_model,
                "distances on a geographic grid (degrees) would be meaningless", c,
                "use a projected grid CRS (metres), e.g. the UTM zone of the survey");
  std::size_t zero_length = 0;
  auto add_line = [&](const OGRSimpleCurve& line) {
    for (int i = 0; i + 1 < line.getNumPoints(); ++i) {
      const double x0 = line.getX(i), y0 = line.getY(i), x1 = line.getX(i + 1),
                   y1 = line.getY(i + 1);
      if (x0 == x1 && y0 == y1) {
        ++zero_length;
        continue;
      }
      if (spec.strike && !strike_in(strike_of(x0, y0, x1, y1), *spec.strike)) continue;
      m_index->segments.emplace_back(BPoint(x0, y0), BPoint(x1, y1));
    }
  };
  auto add_point = [&](double x, double y) { m_index->points.emplace_back(x, y); };
  for (const auto& g : features.geometries) {
    detail::for_each_part(*g, add_point, add_line, c, "have no distance here");
    const auto t = wkbFlatten(g->getGeometryType());
    if (t == wkbPolygon || t == wkbMultiPolygon) {
      m_index->polygons.emplace_back(g->clone());
      OGREnvelope e;
      g->getEnvelope(&e);
      m_index->polygon_envelopes.push_back(e);
    }
  }
  if (zero_length > 0)
    report_note(source + ": " + std::to_string(zero_length) + " zero-length segment(s) skipped");
  if (m_index->segments.empty() && m_index->points.empty())
    throw Error(ErrorKind::bad_input,
                spec.strike ? "has no segment within the strike range (after the filter)"
                            : "has no features to measure distance to (after the filter)",
                c, "check the file, its 'where' filter and the strike range");
  std::vector<std::pair<BBox, std::size_t>> boxes;
  boxes.reserve(m_index->segments.size());
  for (std::size_t i = 0; i < m_index->segments.size(); ++i)
    boxes.emplace_back(bg::return_envelope<BBox>(m_index->segments[i]), i);
  m_index->segment_tree = decltype(m_index->segment_tree)(boxes.begin(), boxes.end());
  m_index->point_tree =
      decltype(m_index->point_tree)(m_index->points.begin(), m_index->points.end());
}

std::size_t DistanceField::segment_count() const { return m_index->segments.size(); }
std::size_t DistanceField::point_count() const { return m_index->points.size(); }

double DistanceField::brute_force(double x, double y) const {
  double best = std::numeric_limits<double>::infinity();
  for (const auto& s : m_index->segments) best = std::min(best, point_segment(x, y, s));
  for (const auto& p : m_index->points)
    best = std::min(best, std::hypot(bg::get<0>(p) - x, bg::get<1>(p) - y));
  return best;
}

void DistanceField::compute(const Window& w, float* out) const {
  const Index& ix = *m_index;
  std::vector<std::size_t> seg_candidates;
  std::vector<BPoint> point_candidates;
  detail::for_each_cell_block(m_grid, w, 16, [&](const detail::CellBlock& b) {
    const auto [r0, r1, c0, c1, cx, cy, half_diag] = b;
    const BPoint centre(cx, cy);
    const double x_min = m_grid.center_x(w.col + c0), x_max = m_grid.center_x(w.col + c1 - 1);
    const double y_max = m_grid.center_y(w.row + r0), y_min = m_grid.center_y(w.row + r1 - 1);
    // Nearest feature to the block centre bounds the search for every cell.
    double d = std::numeric_limits<double>::infinity();
    for (auto it = ix.segment_tree.qbegin(bgi::nearest(centre, 1)); it != ix.segment_tree.qend();
         ++it)
      d = std::min(d,
                   point_segment(bg::get<0>(centre), bg::get<1>(centre), ix.segments[it->second]));
    for (auto it = ix.point_tree.qbegin(bgi::nearest(centre, 1)); it != ix.point_tree.qend(); ++it)
      d = std::min(d, bg::distance(centre, *it));
    double reach = d + half_diag;
    if (m_spec.max > 0) reach = std::min(reach, m_spec.max + half_diag);
    const BBox search(BPoint(x_min - reach, y_min - reach), BPoint(x_max + reach, y_max + reach));
    seg_candidates.clear();
    point_candidates.clear();
    for (auto it = ix.segment_tree.qbegin(bgi::intersects(search)); it != ix.segment_tree.qend();
         ++it)
      seg_candidates.push_back(it->second);
    ix.point_tree.query(bgi::intersects(search), std::back_inserter(point_candidates));
    for (int r = r0; r < r1; ++r) {
      throw_if_interrupted();  // a row can be long: many candidates per cell
      const double y = m_grid.center_y(w.row + r);
      for (int c = c0; c < c1; ++c) {
        const double x = m_grid.center_x(w.col + c);
        double best = std::numeric_limits<double>::infinity();
        for (std::size_t s : seg_candidates)
          best = std::min(best, point_segment(x, y, ix.segments[s]));
        for (const auto& p : point_candidates)
          best = std::min(best, std::hypot(bg::get<0>(p) - x, bg::get<1>(p) - y));
        if (m_spec.max > 0) best = std::min(best, m_spec.max);
        out[std::size_t(r) * std::size_t(w.width) + std::size_t(c)] = float(best);
      }
    }
  });

  if (ix.polygons.empty()) return;
  // Inside polygons (cell centre inside, GDAL's rasterization rule): 0 or signed.
  std::vector<unsigned char> inside(w.cell_count());
  mark_cells_inside(m_grid, w, ix.polygons, ix.polygon_envelopes, inside.data());
  for (std::size_t i = 0; i < inside.size(); ++i)
    if (inside[i]) out[i] = m_spec.signed_inside ? -out[i] : 0.0f;
}

}  // namespace prospect
