#include "prospect/evidence/density.hpp"

#include <algorithm>
#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <cmath>

#include "detail/cell_blocks.hpp"
#include "detail/geometry_parts.hpp"
#include "prospect/core/interrupt.hpp"

namespace prospect {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using BPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using BBox = bg::model::box<BPoint>;

double segment_length_in_circle(double x0, double y0, double x1, double y1, double cx, double cy,
                                double r) {
  // Points on the segment: p(t) = p0 + t d, t in [0, 1]; inside where |p(t) - c|^2 <= r^2.
  const double dx = x1 - x0, dy = y1 - y0, fx = x0 - cx, fy = y0 - cy;
  const double a = dx * dx + dy * dy;
  if (a == 0) return 0;
  const double b = 2 * (fx * dx + fy * dy), c = fx * fx + fy * fy - r * r;
  const double disc = b * b - 4 * a * c;
  if (disc <= 0) return 0;
  const double s = std::sqrt(disc);
  const double t0 = std::max(0.0, (-b - s) / (2 * a)), t1 = std::min(1.0, (-b + s) / (2 * a));
  return t1 > t0 ? (t1 - t0) * std::sqrt(a) : 0;
}

struct DensityField::Index {
  struct Segment {
    double x0, y0, x1, y1;
  };
  std::vector<Segment> segments;
  std::vector<BPoint> points;
  bgi::rtree<std::pair<BBox, std::size_t>, bgi::quadratic<16>> segment_tree;
  bgi::rtree<BPoint, bgi::quadratic<16>> point_tree;
};

DensityField::~DensityField() = default;

DensityField::DensityField(const FeatureSet& features, const AnalysisGrid& grid,
                           const DensitySpec& spec, const std::string& source)
    : m_index(std::make_unique<Index>()), m_grid(grid), m_spec(spec) {
  ErrorContext c{source, features.layer_name, "", "measuring density", 0, 0};
  if (grid.is_geographic())
    throw Error(ErrorKind::bad_model, "density on a geographic grid (degrees) would be meaningless",
                c, "use a projected grid CRS (metres), e.g. the UTM zone of the survey");
  if (!(spec.radius > 0))
    throw Error(ErrorKind::bad_model, "density needs a radius greater than 0", c);
  auto add_point = [&](double x, double y) { m_index->points.emplace_back(x, y); };
  auto add_line = [&](const OGRSimpleCurve& line) {
    for (int i = 0; i + 1 < line.getNumPoints(); ++i)
      if (line.getX(i) != line.getX(i + 1) || line.getY(i) != line.getY(i + 1))
        m_index->segments.push_back(
            {line.getX(i), line.getY(i), line.getX(i + 1), line.getY(i + 1)});
  };
  for (const auto& g : features.geometries)
    detail::for_each_part(*g, add_point, add_line, c, "have no density here");
  if (!m_index->segments.empty() && !m_index->points.empty())
    throw Error(ErrorKind::bad_input, "mixes points and lines; a density is of one or the other", c,
                "filter the layer with where: to one geometry type");
  if (m_index->segments.empty() && m_index->points.empty())
    throw Error(ErrorKind::bad_input, "has no features to measure density of (after the filter)",
                c);
  std::vector<std::pair<BBox, std::size_t>> boxes;
  for (std::size_t i = 0; i < m_index->segments.size(); ++i) {
    const auto& s = m_index->segments[i];
    boxes.emplace_back(BBox(BPoint(std::min(s.x0, s.x1), std::min(s.y0, s.y1)),
                            BPoint(std::max(s.x0, s.x1), std::max(s.y0, s.y1))),
                       i);
  }
  m_index->segment_tree = decltype(m_index->segment_tree)(boxes.begin(), boxes.end());
  m_index->point_tree =
      decltype(m_index->point_tree)(m_index->points.begin(), m_index->points.end());
  // Per km²: area in km² = pi r^2 (mpu^2) / 1e6; lines also turn length into km.
  const double mpu = grid.metres_per_unit();
  const double area_km2 = M_PI * spec.radius * spec.radius * mpu * mpu / 1e6;
  m_scale = (counts_points() ? 1.0 : mpu / 1000.0) / area_km2;
}

std::size_t DensityField::segment_count() const { return m_index->segments.size(); }
std::size_t DensityField::point_count() const { return m_index->points.size(); }
bool DensityField::counts_points() const { return m_index->segments.empty(); }

double DensityField::brute_force(double x, double y) const {
  const double r = m_spec.radius;
  double total = 0;
  for (const auto& s : m_index->segments)
    total += segment_length_in_circle(s.x0, s.y0, s.x1, s.y1, x, y, r);
  for (const auto& p : m_index->points)
    total +=
        (bg::get<0>(p) - x) * (bg::get<0>(p) - x) + (bg::get<1>(p) - y) * (bg::get<1>(p) - y) <=
        r * r;
  return total * m_scale;
}

void DensityField::compute(const Window& w, float* out) const {
  const Index& ix = *m_index;
  const double r = m_spec.radius, r2 = r * r;
  std::vector<std::size_t> segments;
  std::vector<BPoint> points;
  detail::for_each_cell_block(m_grid, w, 16, [&](const detail::CellBlock& b) {
    const double reach = r + b.half_diagonal;
    const BBox search(BPoint(b.centre_x - reach, b.centre_y - reach),
                      BPoint(b.centre_x + reach, b.centre_y + reach));
    segments.clear();
    points.clear();
    for (auto it = ix.segment_tree.qbegin(bgi::intersects(search)); it != ix.segment_tree.qend();
         ++it)
      segments.push_back(it->second);
    std::sort(segments.begin(), segments.end());  // fixed summation order: same bytes every run
    for (auto it = ix.point_tree.qbegin(bgi::intersects(search)); it != ix.point_tree.qend(); ++it)
      points.push_back(*it);
    for (int row = b.r0; row < b.r1; ++row) {
      throw_if_interrupted();  // a row can be long: many candidates per cell
      const double y = m_grid.center_y(w.row + row);
      for (int col = b.c0; col < b.c1; ++col) {
        const double x = m_grid.center_x(w.col + col);
        double total = 0;
        for (std::size_t i : segments) {
          const auto& s = ix.segments[i];
          total += segment_length_in_circle(s.x0, s.y0, s.x1, s.y1, x, y, r);
        }
        for (const BPoint& p : points) {
          const double dx = bg::get<0>(p) - x, dy = bg::get<1>(p) - y;
          total += dx * dx + dy * dy <= r2;
        }
        out[std::size_t(row) * std::size_t(w.width) + std::size_t(col)] = float(total * m_scale);
      }
    }
  });
}

}  // namespace prospect
