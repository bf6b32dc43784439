#pragma once
// Response curves: how deposit density changes with an evidence value, to
// choose fuzzy breakpoints and weights-of-evidence thresholds from the data.
//
// The study area's values are kept as a histogram over the top 16 bits of each
// float's order-preserving integer form (sign, exponent and 7 mantissa bits):
// 65536 bins, one pass, any range, each bin narrower than 0.8 % of its value.
// Counts are integers, so merging per-worker histograms in any order gives the
// same result. Pure: no GDAL.
//
// Density at value x, in deposits per km2, is a Nadaraya-Watson ratio with a
// Gaussian kernel K of bandwidth h:
//   lambda(x) = sum_d K((x - x_d) / h) / (a * sum_c K((x - x_c) / h)),
// deposits d over cells c (a = cell area in km2): deposits near x per area near
// x. Treating the deposits as a Poisson process, the numerator's variance is
// sum_d K^2, which gives the 95 % band lambda +- 1.96 sqrt(sum_d K^2) / (a sum_c K)
// (lower end clipped at 0). h is Silverman's rule on the deposits' values,
// 0.9 min(sd, IQR / 1.34) n^(-1/5), but not under 1/100 of the study area's
// central value range (0.5 to 99.5 %). docs/science/validation.md.

#include <cstdint>
#include <string>
#include <vector>

namespace prospect {

class ValueHistogram {
 public:
  ValueHistogram();
  // Adds the values where `inside` is non-zero (all when null); NaN is skipped.
  void add(const float* values, const unsigned char* inside, std::size_t n);
  void merge(const ValueHistogram& other);
  std::int64_t total() const { return m_total; }
  // Value below which a share q of the cells lie (bin centre).
  double quantile(double q) const;
  // Non-empty bins in ascending value: their centre values and cell counts.
  void bins(std::vector<double>& centre, std::vector<std::int64_t>& count) const;

  static std::uint16_t key_of(float value);
  static double centre_of(std::uint16_t key);

 private:
  std::vector<std::int64_t> m_counts;
  std::int64_t m_total = 0;
};

struct ResponseCurve {
  std::string layer;            // the input's name
  std::string deposits_source;  // which deposits, in words
  std::size_t deposits = 0;     // deposits with a value on this layer
  double bandwidth = 0;
  double average_density = 0;  // all deposits with a value / valid area with a value, per km2
  std::vector<double> value, density, low, high;  // NaN where the study area has (almost) no cells
  std::string note;                               // why there is no curve
};

// `points` values evenly spaced over the study area's 0.5 to 99.5 % value range.
ResponseCurve response_curve(const ValueHistogram& cells, std::vector<float> deposit_values,
                             double cell_km2, int points = 101);

}  // namespace prospect
