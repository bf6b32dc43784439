#include "prospect/validate/response_curve.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>

#include "prospect/validate/float_order.hpp"

namespace prospect {
namespace {

double quantile_of_sorted(const std::vector<float>& v, double q) {
  const double pos = q * double(v.size() - 1);
  const std::size_t i = std::size_t(pos);
  const double frac = pos - double(i);
  return i + 1 < v.size() ? v[i] + frac * (double(v[i + 1]) - v[i]) : v[i];
}

}  // namespace

ValueHistogram::ValueHistogram() : m_counts(65536, 0) {}

std::uint16_t ValueHistogram::key_of(float v) { return ordered_bucket(v); }

double ValueHistogram::centre_of(std::uint16_t key) {
  return from_ordered_bits((std::uint32_t(key) << 16) | 0x8000u);
}

void ValueHistogram::add(const float* values, const unsigned char* inside, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    if ((inside && !inside[i]) || std::isnan(values[i])) continue;
    ++m_counts[key_of(values[i])];
    ++m_total;
  }
}

void ValueHistogram::merge(const ValueHistogram& o) {
  for (std::size_t k = 0; k < m_counts.size(); ++k) m_counts[k] += o.m_counts[k];
  m_total += o.m_total;
}

double ValueHistogram::quantile(double q) const {
  if (m_total == 0) return std::numeric_limits<double>::quiet_NaN();
  const double target = q * double(m_total);
  std::int64_t seen = 0;
  for (std::size_t k = 0; k < m_counts.size(); ++k) {
    seen += m_counts[k];
    if (m_counts[k] > 0 && double(seen) >= target) return centre_of(std::uint16_t(k));
  }
  return centre_of(65535);
}

void ValueHistogram::bins(std::vector<double>& centre, std::vector<std::int64_t>& count) const {
  centre.clear();
  count.clear();
  for (std::size_t k = 0; k < m_counts.size(); ++k)
    if (m_counts[k] > 0) {
      const double c = centre_of(std::uint16_t(k));
      if (!std::isfinite(c)) continue;  // infinities and the NaN keys carry no position
      centre.push_back(c);
      count.push_back(m_counts[k]);
    }
}

ResponseCurve response_curve(const ValueHistogram& cells, std::vector<float> deposits,
                             double cell_km2, int points) {
  ResponseCurve out;
  deposits.erase(
      std::remove_if(deposits.begin(), deposits.end(), [](float v) { return !std::isfinite(v); }),
      deposits.end());
  std::sort(deposits.begin(), deposits.end());
  out.deposits = deposits.size();
  if (cells.total() == 0) {
    out.note = "the layer has no value inside the study area";
    return out;
  }
  if (deposits.empty()) {
    out.note = "no deposit lies on a value of this layer";
    return out;
  }
  const double lo = cells.quantile(0.005), hi = cells.quantile(0.995);
  if (!(hi > lo)) {
    out.note = "the layer has (almost) the same value everywhere in the study area";
    return out;
  }
  out.average_density = double(deposits.size()) / (double(cells.total()) * cell_km2);
  const double n = double(deposits.size());
  double h = 0;
  if (deposits.size() >= 2) {
    const double mean = std::accumulate(deposits.begin(), deposits.end(), 0.0) / n;
    double ss = 0;
    for (float v : deposits) ss += (v - mean) * (v - mean);
    const double sd = std::sqrt(ss / (n - 1));
    const double iqr = quantile_of_sorted(deposits, 0.75) - quantile_of_sorted(deposits, 0.25);
    const double spread = iqr > 0 ? std::min(sd, iqr / 1.34) : sd;
    h = 0.9 * spread * std::pow(n, -0.2);
  }
  h = std::max(h, (hi - lo) / 100.0);
  out.bandwidth = h;

  std::vector<double> centre;
  std::vector<std::int64_t> count;
  cells.bins(centre, count);
  const double reach = 4 * h;  // the kernel beyond 4 h is below 4e-4 of its peak
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (int p = 0; p < points; ++p) {
    const double x = lo + (hi - lo) * p / double(points - 1);
    double num = 0, num_sq = 0, den = 0;
    for (auto it = std::lower_bound(deposits.begin(), deposits.end(), float(x - reach));
         it != deposits.end() && *it <= x + reach; ++it) {
      const double u = (x - *it) / h, k = std::exp(-0.5 * u * u);
      num += k;
      num_sq += k * k;
    }
    for (std::size_t b = std::size_t(std::lower_bound(centre.begin(), centre.end(), x - reach) -
                                     centre.begin());
         b < centre.size() && centre[b] <= x + reach; ++b) {
      const double u = (x - centre[b]) / h;
      den += double(count[b]) * std::exp(-0.5 * u * u);
    }
    out.value.push_back(x);
    if (den < 1.0) {  // less than one cell's worth of area near x: no estimate
      out.density.push_back(nan);
      out.low.push_back(nan);
      out.high.push_back(nan);
      continue;
    }
    const double d = num / (den * cell_km2), half = 1.96 * std::sqrt(num_sq) / (den * cell_km2);
    out.density.push_back(d);
    out.low.push_back(std::max(0.0, d - half));
    out.high.push_back(d + half);
  }
  return out;
}

}  // namespace prospect
