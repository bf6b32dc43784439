#include "prospect/geochem/variogram.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "prospect/core/error.hpp"

namespace prospect {

std::optional<VariogramModel> variogram_model(const std::string& name) {
  if (name == "spherical") return VariogramModel::spherical;
  if (name == "exponential") return VariogramModel::exponential;
  if (name == "gaussian") return VariogramModel::gaussian;
  return std::nullopt;
}

const char* variogram_model_name(VariogramModel model) {
  switch (model) {
    case VariogramModel::spherical:
      return "spherical";
    case VariogramModel::exponential:
      return "exponential";
    case VariogramModel::gaussian:
      return "gaussian";
  }
  return "?";
}

namespace {

// The model's shape in 0..1 at t = h / range.
double shape(VariogramModel model, double t) {
  switch (model) {
    case VariogramModel::spherical:
      return t < 1 ? t * (1.5 - 0.5 * t * t) : 1.0;
    case VariogramModel::exponential:
      return 1 - std::exp(-t);
    case VariogramModel::gaussian:
      return 1 - std::exp(-t * t);
  }
  return 0;
}

}  // namespace

double Variogram::gamma(double h) const {
  if (h <= 0) return 0;
  return nugget + partial_sill * shape(model, h / range);
}

ExperimentalVariogram experimental_variogram(const std::vector<PointValue>& points, double cutoff,
                                             double width) {
  ExperimentalVariogram out;
  if (points.empty()) return out;
  if (cutoff <= 0) {
    double x0 = points[0].x, x1 = x0, y0 = points[0].y, y1 = y0;
    for (const PointValue& p : points) {
      x0 = std::min(x0, p.x), x1 = std::max(x1, p.x);
      y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
    }
    cutoff = std::hypot(x1 - x0, y1 - y0) / 3;
  }
  if (width <= 0) width = cutoff / 15;
  out.cutoff = cutoff, out.width = width;
  const std::size_t classes = std::size_t(std::ceil(cutoff / width));
  std::vector<long long> n(classes);
  std::vector<double> sum_h(classes), sum_g(classes);
  for (std::size_t i = 0; i < points.size(); ++i)
    for (std::size_t j = i + 1; j < points.size(); ++j) {
      const double h = std::hypot(points[i].x - points[j].x, points[i].y - points[j].y);
      if (h > cutoff) continue;
      // Class k holds (k w, (k + 1) w]; the first also distance 0.
      std::size_t k = h <= width ? 0 : std::size_t(std::ceil(h / width)) - 1;
      k = std::min(k, classes - 1);
      const double d = points[i].z - points[j].z;
      ++n[k];
      sum_h[k] += h;
      sum_g[k] += d * d;
    }
  for (std::size_t k = 0; k < classes; ++k)
    if (n[k] > 0) {
      out.pairs.push_back(n[k]);
      out.distance.push_back(sum_h[k] / double(n[k]));
      out.gamma.push_back(sum_g[k] / (2.0 * double(n[k])));
    }
  return out;
}

namespace {

// For a fixed range the model is linear in (nugget, partial sill): the
// weighted least-squares pair with both >= 0, and its error.
VariogramFit fit_at_range(const ExperimentalVariogram& e, VariogramModel model, double range,
                          const std::vector<double>& w) {
  double s00 = 0, s01 = 0, s11 = 0, b0 = 0, b1 = 0;
  std::vector<double> f(e.gamma.size());
  for (std::size_t j = 0; j < f.size(); ++j) {
    f[j] = shape(model, e.distance[j] / range);
    s00 += w[j], s01 += w[j] * f[j], s11 += w[j] * f[j] * f[j];
    b0 += w[j] * e.gamma[j], b1 += w[j] * f[j] * e.gamma[j];
  }
  auto sse = [&](double c0, double c1) {
    double s = 0;
    for (std::size_t j = 0; j < f.size(); ++j) {
      const double r = e.gamma[j] - c0 - c1 * f[j];
      s += w[j] * r * r;
    }
    return s;
  };
  VariogramFit best;
  best.weighted_sse = std::numeric_limits<double>::infinity();
  auto consider = [&](double c0, double c1) {
    if (!(c0 >= 0) || !(c1 >= 0)) return;
    const double s = sse(c0, c1);
    if (s < best.weighted_sse) {
      best.variogram = {model, c0, c1, range};
      best.weighted_sse = s;
    }
  };
  const double det = s00 * s11 - s01 * s01;
  if (det > 0) consider((b0 * s11 - b1 * s01) / det, (b1 * s00 - b0 * s01) / det);
  if (s11 > 0) consider(0, b1 / s11);  // no nugget
  consider(b0 / s00, 0);               // pure nugget
  return best;
}

}  // namespace

VariogramFit fit_variogram(const ExperimentalVariogram& e, VariogramModel model) {
  if (e.gamma.size() < 3)
    throw Error(ErrorKind::bad_input,
                "the experimental variogram has " + std::to_string(e.gamma.size()) +
                    " distance class(es) with pairs; a fit needs at least 3",
                {}, "more samples, or a larger cutoff");
  const auto [lo, hi] = std::minmax_element(e.gamma.begin(), e.gamma.end());
  if (!(*hi > *lo))
    throw Error(ErrorKind::bad_input,
                "the experimental variogram is flat (every distance class at the same "
                "semivariance): there is no spatial structure to fit",
                {}, "give the variogram (nugget, partial_sill, range), or use IDW");
  std::vector<double> w;
  for (std::size_t j = 0; j < e.gamma.size(); ++j)
    w.push_back(double(e.pairs[j]) / (e.distance[j] * e.distance[j]));
  // The error is not convex in the range: a log-spaced scan, then a golden-
  // section search between the neighbours of the best scanned range.
  const double r_min = e.width / 20, r_max = 3 * e.cutoff;
  const int steps = 400;
  std::vector<double> ranges;
  for (int i = 0; i <= steps; ++i)
    ranges.push_back(r_min * std::pow(r_max / r_min, double(i) / steps));
  std::size_t best = 0;
  VariogramFit fit = fit_at_range(e, model, ranges[0], w);
  for (std::size_t i = 1; i < ranges.size(); ++i) {
    const VariogramFit f = fit_at_range(e, model, ranges[i], w);
    if (f.weighted_sse < fit.weighted_sse) fit = f, best = i;
  }
  double a = ranges[best > 0 ? best - 1 : 0], b = ranges[std::min(best + 1, ranges.size() - 1)];
  const double g = (std::sqrt(5.0) - 1) / 2;
  double c = b - g * (b - a), d = a + g * (b - a);
  VariogramFit fc = fit_at_range(e, model, c, w), fd = fit_at_range(e, model, d, w);
  for (int i = 0; i < 100 && b - a > 1e-10 * b; ++i) {
    if (fc.weighted_sse < fd.weighted_sse) {
      b = d, d = c, fd = fc;
      c = b - g * (b - a);
      fc = fit_at_range(e, model, c, w);
    } else {
      a = c, c = d, fc = fd;
      d = a + g * (b - a);
      fd = fit_at_range(e, model, d, w);
    }
  }
  for (const VariogramFit* f : {&fc, &fd})
    if (f->weighted_sse < fit.weighted_sse) fit = *f;
  return fit;
}

}  // namespace prospect
