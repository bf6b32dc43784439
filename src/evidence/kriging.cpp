#include "prospect/evidence/kriging.hpp"

#include <algorithm>
#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <cmath>
#include <limits>

#include "detail/cell_blocks.hpp"
#include "prospect/core/error.hpp"
#include "prospect/core/interrupt.hpp"

namespace prospect {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using KPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using KBox = bg::model::box<KPoint>;

struct KrigingField::Index {
  std::vector<Sample> samples;
  bgi::rtree<std::pair<KPoint, std::size_t>, bgi::quadratic<16>> tree;
};

namespace {

// The ordinary-kriging matrix of one neighbour set, LU-factored with partial
// pivoting: [gamma(x_i - x_j) 1; 1 0], order n + 1.
struct Solver {
  std::vector<std::size_t> key;  // the samples, ascending
  std::vector<double> lu;
  std::vector<int> pivot;
  bool singular = false;

  void factor(const std::vector<Sample>& samples, const Variogram& v) {
    const std::size_t n = key.size(), m = n + 1;
    lu.assign(m * m, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      const Sample& a = samples[key[i]];
      for (std::size_t j = i + 1; j < n; ++j) {  // symmetric, 0 on the diagonal
        const Sample& b = samples[key[j]];
        const double dx = a.x - b.x, dy = a.y - b.y;
        lu[i * m + j] = lu[j * m + i] = v.gamma(std::sqrt(dx * dx + dy * dy));
      }
      lu[i * m + n] = lu[n * m + i] = 1.0;
    }
    pivot.assign(m, 0);
    singular = false;
    for (std::size_t k = 0; k < m; ++k) {
      std::size_t p = k;
      for (std::size_t i = k + 1; i < m; ++i)
        if (std::fabs(lu[i * m + k]) > std::fabs(lu[p * m + k])) p = i;
      pivot[k] = int(p);
      if (!(std::fabs(lu[p * m + k]) > 1e-300)) {
        singular = true;
        return;
      }
      if (p != k)
        for (std::size_t j = 0; j < m; ++j) std::swap(lu[k * m + j], lu[p * m + j]);
      for (std::size_t i = k + 1; i < m; ++i) {
        const double f = lu[i * m + k] /= lu[k * m + k];
        for (std::size_t j = k + 1; j < m; ++j) lu[i * m + j] -= f * lu[k * m + j];
      }
    }
  }

  // b (length n + 1) becomes the solution.
  void solve(std::vector<double>& b) const {
    const std::size_t m = key.size() + 1;
    for (std::size_t k = 0; k < m; ++k) std::swap(b[k], b[std::size_t(pivot[k])]);
    for (std::size_t i = 1; i < m; ++i)
      for (std::size_t j = 0; j < i; ++j) b[i] -= lu[i * m + j] * b[j];
    for (std::size_t i = m; i-- > 0;) {
      for (std::size_t j = i + 1; j < m; ++j) b[i] -= lu[i * m + j] * b[j];
      b[i] /= lu[i * m + i];
    }
  }
};

}  // namespace

KrigingField::~KrigingField() = default;

const std::vector<Sample>& KrigingField::samples() const { return m_index->samples; }

KrigingField::KrigingField(std::vector<Sample> samples, const AnalysisGrid& grid,
                           const KrigingSpec& spec)
    : m_index(std::make_unique<Index>()), m_grid(grid), m_spec(spec) {
  if (m_spec.max_points == k_all_idw_points) {
    if (samples.size() > std::size_t(k_max_idw_points))
      throw Error(ErrorKind::bad_model,
                  "max_points: all (global kriging) would solve a system of " +
                      std::to_string(samples.size()) + " samples at each cell; the most is " +
                      std::to_string(k_max_idw_points),
                  {}, "give max_points (16 to 32 is usual) and a radius");
    m_spec.max_points = int(std::max<std::size_t>(1, samples.size()));
  }
  if (m_spec.max_points < 1 || m_spec.min_points < 1 || m_spec.min_points > m_spec.max_points)
    throw Error(ErrorKind::bad_model, "kriging needs 1 <= min_points <= max_points");
  const auto model = variogram_model(m_spec.model);
  if (!model)
    throw Error(ErrorKind::bad_model, "unknown variogram model '" + m_spec.model + "'", {},
                "spherical, exponential or gaussian");
  // The experimental variogram is shown beside a given model too (is it a fair one?).
  std::vector<PointValue> points;
  for (const Sample& s : samples) points.push_back({s.x, s.y, s.value});
  m_experimental = experimental_variogram(points, m_spec.cutoff, m_spec.lag_width);
  if (m_spec.range > 0) {
    if (m_spec.nugget < 0 || m_spec.partial_sill < 0 || !(m_spec.nugget + m_spec.partial_sill > 0))
      throw Error(ErrorKind::bad_model,
                  "the variogram needs nugget >= 0, partial_sill >= 0 and a sill above 0");
    m_variogram = {*model, m_spec.nugget, m_spec.partial_sill, m_spec.range};
  } else {
    m_variogram = fit_variogram(m_experimental, *model).variogram;
    m_fitted = true;
  }
  m_index->samples = std::move(samples);
  std::vector<std::pair<KPoint, std::size_t>> values;
  for (std::size_t i = 0; i < m_index->samples.size(); ++i)
    values.emplace_back(KPoint(m_index->samples[i].x, m_index->samples[i].y), i);
  m_index->tree = decltype(m_index->tree)(values.begin(), values.end());
}

namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();

// The nearest `max_points` of (squared distance, sample) pairs within the
// radius; ties by sample so the result does not depend on order.
void keep_nearest(std::vector<std::pair<double, std::size_t>>& c, const KrigingSpec& spec) {
  if (spec.radius > 0) {
    const double r2 = spec.radius * spec.radius;
    c.erase(std::remove_if(c.begin(), c.end(), [&](const auto& p) { return p.first > r2; }),
            c.end());
  }
  const std::size_t k = std::min<std::size_t>(c.size(), std::size_t(spec.max_points));
  // Which k: the order within them does not matter (krige() sorts by sample).
  if (k < c.size()) std::nth_element(c.begin(), c.begin() + std::ptrdiff_t(k), c.end());
  c.resize(k);
}

// Solves at one point from its neighbours; `solvers` keeps recent factorizations.
KrigingEstimate krige(const std::vector<Sample>& samples, const Variogram& v,
                      std::vector<std::pair<double, std::size_t>>& near, int min_points,
                      std::vector<std::unique_ptr<Solver>>& solvers, std::vector<double>& b) {
  if (int(near.size()) < min_points) return {k_nan, k_nan};
  // The system depends on the set of samples only: order them by sample.
  std::sort(near.begin(), near.end(),
            [](const auto& p, const auto& q) { return p.second < q.second; });
  Solver* solver = nullptr;
  for (auto& s : solvers) {
    bool same = s->key.size() == near.size();
    for (std::size_t i = 0; same && i < near.size(); ++i) same = s->key[i] == near[i].second;
    if (same) {
      solver = s.get();
      break;
    }
  }
  if (!solver) {
    constexpr std::size_t k_kept = 8;  // neighbour sets recur among the next few cells
    if (solvers.size() == k_kept) solvers.erase(solvers.begin());
    solvers.push_back(std::make_unique<Solver>());
    solver = solvers.back().get();
    solver->key.clear();
    for (const auto& p : near) solver->key.push_back(p.second);
    solver->factor(samples, v);
  }
  if (solver->singular) return {k_nan, k_nan};
  const std::size_t n = near.size();
  b.resize(n + 1);
  for (std::size_t i = 0; i < n; ++i) b[i] = v.gamma(std::sqrt(near[i].first));
  b[n] = 1.0;
  const std::vector<double> rhs = b;
  solver->solve(b);
  KrigingEstimate out;
  for (std::size_t i = 0; i < n; ++i) {
    out.estimate += b[i] * samples[near[i].second].value;
    out.variance += b[i] * rhs[i];
  }
  out.variance += b[n];
  return out;
}

}  // namespace

KrigingEstimate KrigingField::at(double x, double y) const {
  std::vector<std::pair<double, std::size_t>> near;
  for (std::size_t i = 0; i < m_index->samples.size(); ++i) {
    const Sample& s = m_index->samples[i];
    near.emplace_back((s.x - x) * (s.x - x) + (s.y - y) * (s.y - y), i);
  }
  keep_nearest(near, m_spec);
  std::vector<std::unique_ptr<Solver>> solvers;
  std::vector<double> b;
  return krige(m_index->samples, m_variogram, near, m_spec.min_points, solvers, b);
}

void KrigingField::compute(const Window& w, float* out) const {
  const Index& ix = *m_index;
  const std::size_t k = std::min<std::size_t>(ix.samples.size(), std::size_t(m_spec.max_points));
  std::vector<std::size_t> candidates;
  std::vector<std::pair<double, std::size_t>> near;
  std::vector<std::unique_ptr<Solver>> solvers;
  std::vector<double> b;
  // 8 x 8 blocks: a kriging cell costs far more than its neighbour search, and
  // a smaller block has fewer candidates per cell.
  detail::for_each_cell_block(m_grid, w, 8, [&](const detail::CellBlock& block) {
    const auto [r0, r1, c0, c1, cx, cy, h] = block;
    const KPoint centre(cx, cy);
    double dk = 0;
    for (auto it = ix.tree.qbegin(bgi::nearest(centre, unsigned(k))); it != ix.tree.qend(); ++it)
      dk = std::max(dk, bg::distance(centre, it->first));
    double reach = dk + 2 * h;  // every cell's k nearest lie within this of the centre
    if (m_spec.radius > 0) reach = std::min(reach, m_spec.radius + h);
    const KBox search(KPoint(cx - reach, cy - reach), KPoint(cx + reach, cy + reach));
    candidates.clear();
    for (auto it = ix.tree.qbegin(bgi::intersects(search)); it != ix.tree.qend(); ++it)
      candidates.push_back(it->second);
    for (int r = r0; r < r1; ++r) {
      throw_if_interrupted();
      const double y = m_grid.center_y(w.row + r);
      for (int c = c0; c < c1; ++c) {
        const double x = m_grid.center_x(w.col + c);
        near.clear();
        for (std::size_t i : candidates) {
          const Sample& s = ix.samples[i];
          near.emplace_back((s.x - x) * (s.x - x) + (s.y - y) * (s.y - y), i);
        }
        keep_nearest(near, m_spec);
        const KrigingEstimate e =
            krige(ix.samples, m_variogram, near, m_spec.min_points, solvers, b);
        const double v = m_spec.variance ? e.variance
                         : m_spec.log    ? std::exp(e.estimate)
                                         : e.estimate;
        out[std::size_t(r) * std::size_t(w.width) + std::size_t(c)] = float(v);
      }
    }
  });
}

}  // namespace prospect
