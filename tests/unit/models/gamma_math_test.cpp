#include "prospect/models/gamma_math.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "support/fixtures.hpp"

namespace prospect {
namespace {

constexpr float nan_f = std::numeric_limits<float>::quiet_NaN();

std::uint32_t bits_of(float v) {
  std::uint32_t b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}

// The log against the C library's, from the smallest subnormal to the largest
// double, and around the points where the reduction switches (sqrt 2, 1, 2).
TEST(GammaMath, LogMatchesTheLibraryLog) {
  std::vector<double> xs = {std::numeric_limits<double>::denorm_min(),
                            1e-320,
                            std::numeric_limits<double>::min(),
                            std::nextafter(std::numeric_limits<double>::min(), 0.0),
                            std::sqrt(2.0),
                            std::nextafter(std::sqrt(2.0), 2.0),
                            std::nextafter(std::sqrt(2.0), 0.0),
                            std::nextafter(1.0, 2.0),
                            std::nextafter(1.0, 0.0),
                            2.0,
                            0.5,
                            std::numeric_limits<double>::max()};
  for (double x = 1e-300; x < 1e300; x *= 1.37) xs.push_back(x);
  for (double x = 0.5; x < 2.0; x += 1.0 / 1024) xs.push_back(x);
  for (double x : xs) {
    const double expected = std::log(x);
    EXPECT_NEAR(gamma_log(x), expected, 1e-12 + 1e-15 * std::abs(expected)) << x;
  }
  EXPECT_EQ(gamma_log(1.0), 0.0);
}

TEST(GammaMath, ExpMatchesTheLibraryExpAndClampsFarOut) {
  for (double y = -700; y <= 700; y += 0.173) {
    const double expected = std::exp(y);
    EXPECT_NEAR(gamma_exp(y) / expected, 1.0, 1e-12) << y;
  }
  EXPECT_EQ(gamma_exp(0.0), 1.0);
  // Below e^-700 every result is 0 as a Float32, above e^700 it is +Inf.
  EXPECT_EQ(gamma_exp(-1e6), gamma_exp(-700.0));
  EXPECT_EQ(float(gamma_exp(-1e6)), 0.0f);
  EXPECT_EQ(float(gamma_exp(1e6)), std::numeric_limits<float>::infinity());
}

// sum^g prod^(1-g) against two pow calls in long double, before the Float32
// rounding: within 1e-12 relative for products down to 1e-300.
TEST(GammaMath, GammaMatchesPowInLongDouble) {
  for (double g : {0.05, 0.5, 0.9, 0.99})
    for (double prod = 1e-300; prod <= 1.0; prod *= 7.3)
      for (double sum : {1e-9, 0.01, 0.3, 0.999999, 1.0}) {
        const long double expected = std::pow((long double)sum, (long double)g) *
                                     std::pow((long double)prod, 1.0L - (long double)g);
        const double got = gamma_exp(g * gamma_log(sum) + (1.0 - g) * gamma_log(prod));
        EXPECT_NEAR(double((got - expected) / expected), 0.0, 1e-12)
            << "g " << g << " prod " << prod << " sum " << sum;
      }
}

TEST(GammaMath, CellRules) {
  EXPECT_TRUE(std::isnan(gamma_of_cell(0.9, std::nan(""), 0.5)));
  EXPECT_TRUE(std::isnan(gamma_of_cell(0.9, 0.5, std::nan(""))));
  EXPECT_EQ(gamma_of_cell(0.9, 0.0, 0.5), 0.0f);
  EXPECT_EQ(gamma_of_cell(1.0, 0.25, 0.5), 0.5f);   // the sum
  EXPECT_EQ(gamma_of_cell(0.0, 0.25, 0.5), 0.25f);  // the product
  EXPECT_EQ(gamma_of_cell(0.9, 1.0, 1.0), 1.0f);
}

std::uint64_t bits_of(double v) {
  std::uint64_t b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}

// The log and exp of every path this CPU has, in double, bit for bit those of
// one value at a time (the Float32 a score is stored as would hide most slips).
TEST(GammaMath, EveryLaneLogAndExpIsBitForBitTheOneByOne) {
  std::vector<double> x, y;
  for (double v = 1e-310; v < 1e300; v *= 1.0137) x.push_back(v);
  for (double v = -750; v < 750; v += 0.0311) y.push_back(v);
  for (GammaLanes lanes : {GammaLanes::avx2, GammaLanes::avx512}) {
    if (!has_gamma_lanes(lanes)) continue;
    std::vector<double> out(x.size());
    const std::size_t logs = log_in_lanes(lanes, x.data(), out.data(), x.size());
    EXPECT_GE(logs, x.size() - 7);
    for (std::size_t i = 0; i < logs; ++i)
      ASSERT_EQ(bits_of(out[i]), bits_of(gamma_log(x[i]))) << x[i] << " lanes " << int(lanes);
    out.resize(y.size());
    const std::size_t exps = exp_in_lanes(lanes, y.data(), out.data(), y.size());
    EXPECT_GE(exps, y.size() - 7);
    for (std::size_t i = 0; i < exps; ++i)
      ASSERT_EQ(bits_of(out[i]), bits_of(gamma_exp(y[i]))) << y[i] << " lanes " << int(lanes);
  }
}

// Every path this CPU has gives the bits of the one-by-one path, cell for cell:
// memberships from 1e-38 to 1, zeros, ones and missing cells, products that
// become subnormal or 0 in double, and a cell count that leaves a tail.
TEST(GammaMath, EveryLaneGivesTheBitsOfOneByOne) {
  const std::size_t n = 4099, layers = 9;
  std::vector<std::vector<float>> v(layers, std::vector<float>(n));
  test::FixedRandom random(2026);  // the same cells on every platform
  for (auto& layer : v)
    for (std::size_t i = 0; i < n; ++i) {
      const double u = random.next();
      layer[i] = i % 97 == 0    ? 0.0f
                 : i % 89 == 0  ? 1.0f
                 : i % 101 == 0 ? nan_f
                 : i % 7 == 0   ? float(std::pow(10.0, -38.0 * u))
                                : float(u);
    }
  std::vector<const float*> in;
  for (const auto& layer : v) in.push_back(layer.data());
  for (double g : {0.1, 0.7, 0.9}) {
    std::vector<float> expected(n);
    for (std::size_t i = 0; i < n; ++i) {
      double prod = 1.0, sum = 0.0;
      for (const float* layer : in) {
        const double m = layer[i];
        prod *= m;
        sum += m * (1.0 - sum);
      }
      expected[i] = gamma_of_cell(g, prod, sum);
    }
    for (GammaLanes lanes : {GammaLanes::avx2, GammaLanes::avx512}) {
      if (!has_gamma_lanes(lanes)) continue;
      std::vector<float> out(n, -1.0f);
      const std::size_t done = gamma_in_lanes(lanes, g, in, out.data(), n);
      EXPECT_GE(done, n - 7);
      for (std::size_t i = 0; i < done; ++i)
        EXPECT_EQ(bits_of(out[i]), bits_of(expected[i]))
            << "cell " << i << " lanes " << int(lanes) << " g " << g;
    }
  }
}

}  // namespace
}  // namespace prospect
