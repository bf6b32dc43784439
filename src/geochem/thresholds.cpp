#include "prospect/geochem/thresholds.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "prospect/core/error.hpp"

namespace prospect {

std::optional<ThresholdMethod> threshold_method(const std::string& name) {
  if (name == "mad") return ThresholdMethod::mad;
  if (name == "tukey") return ThresholdMethod::tukey;
  if (name == "cn") return ThresholdMethod::cn;
  return std::nullopt;
}

const char* threshold_method_name(ThresholdMethod method) {
  switch (method) {
    case ThresholdMethod::mad:
      return "mad";
    case ThresholdMethod::tukey:
      return "tukey";
    case ThresholdMethod::cn:
      return "cn";
  }
  return "?";
}

double default_k(ThresholdMethod method) {
  return method == ThresholdMethod::mad ? 2.0 : method == ThresholdMethod::tukey ? 1.5 : 0.0;
}

double quantile_type7(const std::vector<double>& sorted, double p) {
  const double h = (double(sorted.size()) - 1) * p;
  const std::size_t lo = std::size_t(std::floor(h));
  if (lo + 1 >= sorted.size()) return sorted.back();
  return sorted[lo] + (h - double(lo)) * (sorted[lo + 1] - sorted[lo]);
}

namespace {

std::string shown(double v) {
  char text[40];
  std::snprintf(text, sizeof text, "%.4g", v);
  return text;
}

// Concentration-number: the split of the log-log points into a high and a low
// straight line with the least total squared error, the low segment starting
// at or above `lowest` (anomalies are the minority: a break among the low
// values, where a second bend often is, would call most samples anomalous);
// returns the index of the first point of the low segment (points sorted by
// value, highest first).
std::size_t cn_break(const std::vector<double>& x, const std::vector<double>& y,
                     std::size_t min_points, double lowest) {
  const std::size_t n = x.size();
  // Prefix sums give each segment's least-squares error in O(1).
  std::vector<double> sx(n + 1), sy(n + 1), sxx(n + 1), sxy(n + 1), syy(n + 1);
  for (std::size_t i = 0; i < n; ++i) {
    sx[i + 1] = sx[i] + x[i];
    sy[i + 1] = sy[i] + y[i];
    sxx[i + 1] = sxx[i] + x[i] * x[i];
    sxy[i + 1] = sxy[i] + x[i] * y[i];
    syy[i + 1] = syy[i] + y[i] * y[i];
  }
  auto sse = [&](std::size_t a, std::size_t b) {  // points [a, b)
    const double m = double(b - a);
    const double mx = (sx[b] - sx[a]) / m, my = (sy[b] - sy[a]) / m;
    const double cxx = (sxx[b] - sxx[a]) - m * mx * mx;
    const double cxy = (sxy[b] - sxy[a]) - m * mx * my;
    const double cyy = (syy[b] - syy[a]) - m * my * my;
    return std::max(0.0, cxx > 0 ? cyy - cxy * cxy / cxx : cyy);
  };
  std::size_t best = min_points;
  double best_sse = std::numeric_limits<double>::infinity();
  for (std::size_t s = min_points; s + min_points <= n && x[s] >= lowest; ++s) {
    const double e = sse(0, s) + sse(s, n);
    if (e < best_sse) best_sse = e, best = s;
  }
  return best;
}

}  // namespace

Threshold robust_threshold(const std::vector<double>& values, const ThresholdRule& rule,
                           const std::string& what) {
  std::vector<double> v;
  for (double x : values)
    if (std::isfinite(x)) v.push_back(x);
  if (v.size() < 5)
    throw Error(ErrorKind::bad_input,
                what + " has " + std::to_string(v.size()) +
                    " usable value(s); a robust threshold needs at least 5",
                {}, "check the field and the filter");
  if (rule.log) {
    const long long bad = std::count_if(v.begin(), v.end(), [](double x) { return !(x > 0); });
    if (bad > 0)
      throw Error(ErrorKind::bad_input,
                  what + " has " + std::to_string(bad) + " value(s) <= 0, which have no log10", {},
                  "concentrations are positive; for a value that can be negative or zero (a clr "
                  "or balance, a difference) take the statistics of the values themselves: "
                  "--no-log on the command line");
    for (double& x : v) x = std::log10(x);
  }
  std::sort(v.begin(), v.end());
  const auto back = [&](double t) { return rule.log ? std::pow(10.0, t) : t; };
  const char* of = rule.log ? " of log10 values" : "";
  const double k = rule.k > 0 ? rule.k : default_k(rule.method);
  Threshold out;
  double t = 0;
  switch (rule.method) {
    case ThresholdMethod::mad: {
      const double median = quantile_type7(v, 0.5);
      std::vector<double> dev;
      for (double x : v) dev.push_back(std::fabs(x - median));
      std::sort(dev.begin(), dev.end());
      const double mad = 1.4826 * quantile_type7(dev, 0.5);
      if (!(mad > 0))
        throw Error(ErrorKind::bad_input,
                    what + ": more than half of its " + std::to_string(v.size()) +
                        " values equal " + shown(back(median)) +
                        ", so the median absolute deviation is 0",
                    {}, "values below detection often do this; try method: tukey or cn");
      t = median + k * mad;
      out.rule = "median + " + shown(k) + " x MAD" + of;
      break;
    }
    case ThresholdMethod::tukey: {
      const double q1 = quantile_type7(v, 0.25), q3 = quantile_type7(v, 0.75);
      if (!(q3 > q1))
        throw Error(ErrorKind::bad_input,
                    what + ": its lower and upper quartiles are equal (" + shown(back(q1)) +
                        "), so the interquartile range is 0",
                    {}, "values below detection often do this; try method: cn");
      t = q3 + k * (q3 - q1);
      out.rule = "Q3 + " + shown(k) + " x IQR" + of;
      break;
    }
    case ThresholdMethod::cn: {
      if (!rule.log)
        throw Error(ErrorKind::bad_model, "the concentration-number method works on log10 values",
                    {}, "leave log: true with method: cn");
      // Distinct values, highest first, with the number of samples at or above each.
      std::vector<double> x, y;
      for (std::size_t i = v.size(); i-- > 0;)
        if (x.empty() || v[i] != x.back()) x.push_back(v[i]);
      for (double value : x)  // v ascending: those at or above start at the first equal one
        y.push_back(std::log10(double(v.end() - std::lower_bound(v.begin(), v.end(), value))));
      if (x.size() < 20)
        throw Error(ErrorKind::bad_input,
                    what + " has " + std::to_string(x.size()) +
                        " distinct value(s); the concentration-number fit needs at least 20",
                    {}, "use method: mad or tukey");
      const std::size_t s =
          cn_break(x, y, std::max<std::size_t>(5, x.size() / 20), quantile_type7(v, 0.5));
      t = x[s];  // the highest value of the background segment
      out.rule = "concentration-number break of log10 values";
      break;
    }
  }
  out.value = back(t);
  out.anomalous = std::count_if(v.begin(), v.end(), [&](double x) { return x > t; });
  return out;
}

}  // namespace prospect
