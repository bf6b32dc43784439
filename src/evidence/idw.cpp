#include "prospect/evidence/idw.hpp"

#include <algorithm>
#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>

#include "detail/cell_blocks.hpp"
#include "prospect/core/interrupt.hpp"
#include "prospect/raster/gdal_handles.hpp"

namespace prospect {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using BPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using BBox = bg::model::box<BPoint>;

std::vector<Sample> read_samples(const VectorInput& in, const IdwSpec& spec,
                                 const AnalysisGrid& grid, SampleReport& report) {
  const std::string value = spec.pca.component > 0 ? "pca"
                            : spec.index.empty()   ? spec.field
                                                   : spec.index;
  ErrorContext c{in.path, in.layer, value, "reading samples", 0, 0};
  std::map<std::pair<double, double>, std::pair<double, int>> by_location;
  for (const SampleValue& s :
       read_values(in, spec.field, spec.index, spec.pca, grid.crs_wkt(), report)) {
    double v = s.value;
    if (!std::isfinite(v)) continue;  // counted by its reason
    if (spec.log) {
      if (!(v > 0)) {
        ++report.not_positive;
        if (report.first_not_positive.empty()) {
          char shown[80];
          std::snprintf(shown, sizeof shown, "feature %lld: value %g", s.fid, v);
          report.first_not_positive = shown;
        }
        continue;
      }
      v = std::log(v);
    }
    auto& slot = by_location[{s.x, s.y}];
    if (slot.second > 0) ++report.duplicates_merged;
    slot.first += v;
    slot.second += 1;
  }
  std::vector<Sample> out;
  const Extent e = grid.extent();
  for (const auto& [xy, sum] : by_location) {
    if (xy.first < e.min_x || xy.first > e.max_x || xy.second < e.min_y || xy.second > e.max_y)
      ++report.outside_grid;  // still used: samples beyond the edge inform cells near it
    out.push_back({xy.first, xy.second, sum.first / sum.second});
  }
  report.used = (long long)out.size();
  if (out.empty())
    throw Error(ErrorKind::bad_input,
                "has no usable sample values (" + std::to_string(report.read) + " row(s) read: " +
                    std::to_string(report.without_coordinates) + " without coordinates, " +
                    std::to_string(report.not_numeric) + " not numeric, " +
                    std::to_string(report.undefined) + " with a zero denominator, " +
                    std::to_string(report.not_positive) + " not positive for a log" +
                    (report.first_not_positive.empty() ? std::string()
                                                       : ", e.g. " + report.first_not_positive) +
                    ")",
                c,
                "values must be numbers or '<x' for below detection; coordinates numbers in the "
                "layer's CRS");
  if (report.outside_grid == report.used) {
    // Every sample beyond the grid: the surface would be extrapolated from afar.
    // Swapped easting/northing columns are the usual cause; say so when swapping fits.
    Extent s{out[0].x, out[0].y, out[0].x, out[0].y};
    for (const Sample& p : out) {
      s.min_x = std::min(s.min_x, p.x), s.max_x = std::max(s.max_x, p.x);
      s.min_y = std::min(s.min_y, p.y), s.max_y = std::max(s.max_y, p.y);
    }
    const Extent swapped{s.min_y, s.min_x, s.max_y, s.max_x};
    char where[400];
    std::snprintf(
        where, sizeof where,
        "all %lld sample location(s) lie outside the grid (samples x %.1f..%.1f, y %.1f..%.1f; "
        "grid x %.1f..%.1f, y %.1f..%.1f)",
        report.used, s.min_x, s.max_x, s.min_y, s.max_y, e.min_x, e.max_x, e.min_y, e.max_y);
    throw Error(ErrorKind::bad_input, where, c,
                swapped.intersects(e)
                    ? "with x and y swapped they would fall on the grid: are the easting and "
                      "northing columns swapped?"
                    : "check the layer's CRS (crs: in the model file) and the grid extent");
  }
  return out;
}

struct IdwField::Index {
  std::vector<Sample> samples;
  bgi::rtree<std::pair<BPoint, std::size_t>, bgi::quadratic<16>> tree;
};

IdwField::~IdwField() = default;

const std::vector<Sample>& IdwField::samples() const { return m_index->samples; }

IdwField::IdwField(std::vector<Sample> samples, const AnalysisGrid& grid, const IdwSpec& spec)
    : m_index(std::make_unique<Index>()), m_grid(grid), m_spec(spec) {
  if (m_spec.max_points == k_all_idw_points) {
    if (samples.size() > std::size_t(k_max_idw_points))
      throw Error(ErrorKind::bad_model,
                  "max_points: all would average every one of " + std::to_string(samples.size()) +
                      " samples at each cell; the most is " + std::to_string(k_max_idw_points),
                  {}, "give a radius, or max_points up to " + std::to_string(k_max_idw_points));
    m_spec.max_points = int(std::max<std::size_t>(1, samples.size()));
  }
  if (m_spec.max_points < 1 || m_spec.min_points < 1 || m_spec.min_points > m_spec.max_points)
    throw Error(ErrorKind::bad_model, "IDW needs 1 <= min_points <= max_points");
  m_index->samples = std::move(samples);
  std::vector<std::pair<BPoint, std::size_t>> values;
  for (std::size_t i = 0; i < m_index->samples.size(); ++i)
    values.emplace_back(BPoint(m_index->samples[i].x, m_index->samples[i].y), i);
  m_index->tree = decltype(m_index->tree)(values.begin(), values.end());
}

namespace {

// IDW from (squared distance, value) pairs sorted by distance; NaN if too few.
float estimate(std::vector<std::pair<double, double>>& near, const IdwSpec& spec) {
  if (int(near.size()) < spec.min_points) return std::numeric_limits<float>::quiet_NaN();
  if (near.front().first == 0.0) {
    const double v = near.front().second;
    return float(spec.log ? std::exp(v) : v);
  }
  double num = 0, den = 0;
  for (const auto& [d2, v] : near) {
    const double w = 1.0 / std::pow(d2, spec.power / 2.0);
    num += w * v;
    den += w;
  }
  const double z = num / den;
  return float(spec.log ? std::exp(z) : z);
}

void keep_nearest(std::vector<std::pair<double, double>>& c, const IdwSpec& spec) {
  if (spec.radius > 0) {
    const double r2 = spec.radius * spec.radius;
    c.erase(std::remove_if(c.begin(), c.end(), [&](const auto& p) { return p.first > r2; }),
            c.end());
  }
  // Ties at the k-th distance are broken by value so the result is deterministic.
  const std::size_t k = std::min<std::size_t>(c.size(), std::size_t(spec.max_points));
  std::partial_sort(c.begin(), c.begin() + std::ptrdiff_t(k), c.end());
  c.resize(k);
}

}  // namespace

double IdwField::brute_force(double x, double y) const {
  std::vector<std::pair<double, double>> c;
  for (const Sample& s : m_index->samples)
    c.emplace_back((s.x - x) * (s.x - x) + (s.y - y) * (s.y - y), s.value);
  keep_nearest(c, m_spec);
  return estimate(c, m_spec);
}

void IdwField::compute(const Window& w, float* out) const {
  const Index& ix = *m_index;
  const std::size_t k = std::min<std::size_t>(ix.samples.size(), std::size_t(m_spec.max_points));
  std::vector<std::size_t> candidates;
  std::vector<std::pair<double, double>> near;
  detail::for_each_cell_block(m_grid, w, 16, [&](const detail::CellBlock& b) {
    const auto [r0, r1, c0, c1, cx, cy, h] = b;
    const BPoint centre(cx, cy);
    double dk = 0;
    for (auto it = ix.tree.qbegin(bgi::nearest(centre, unsigned(k))); it != ix.tree.qend(); ++it)
      dk = std::max(dk, bg::distance(centre, it->first));
    double reach = dk + 2 * h;  // every cell's k nearest lie within this of the centre
    if (m_spec.radius > 0) reach = std::min(reach, m_spec.radius + h);
    const BBox search(BPoint(bg::get<0>(centre) - reach, bg::get<1>(centre) - reach),
                      BPoint(bg::get<0>(centre) + reach, bg::get<1>(centre) + reach));
    candidates.clear();
    for (auto it = ix.tree.qbegin(bgi::intersects(search)); it != ix.tree.qend(); ++it)
      candidates.push_back(it->second);
    for (int r = r0; r < r1; ++r) {
      throw_if_interrupted();  // a row can be long: many candidates per cell
      const double y = m_grid.center_y(w.row + r);
      for (int c = c0; c < c1; ++c) {
        const double x = m_grid.center_x(w.col + c);
        near.clear();
        for (std::size_t i : candidates) {
          const Sample& s = ix.samples[i];
          near.emplace_back((s.x - x) * (s.x - x) + (s.y - y) * (s.y - y), s.value);
        }
        keep_nearest(near, m_spec);
        out[std::size_t(r) * std::size_t(w.width) + std::size_t(c)] = estimate(near, m_spec);
      }
    }
  });
}

}  // namespace prospect
