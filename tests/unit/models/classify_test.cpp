#include "prospect/models/classify.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

using namespace prospect;

TEST(Classify, QuantilesByNearestRank) {
  std::vector<double> v;
  for (int i = 1; i <= 100; ++i) v.push_back(i);
  EXPECT_EQ(quantile_breaks(v, 4), (std::vector<double>{25, 50, 75}));
  EXPECT_EQ(quantile_breaks(v, 3), (std::vector<double>{34, 67}));  // ceil(100/3) = 34
  // Ties collapse: a layer that is mostly one value gets fewer classes, never empty ones.
  const std::vector<double> flat = {1, 1, 1, 1, 1, 1, 1, 2, 3, 4};
  EXPECT_EQ(quantile_breaks(flat, 5), (std::vector<double>{1, 2}));  // ranks 2, 4, 6, 8
}

// Worked by hand: three well separated clusters split between them.
TEST(Classify, NaturalBreaksFindObviousGroups) {
  const std::vector<double> v = {1, 2, 3, 10, 11, 12, 30, 31, 33};
  EXPECT_EQ(natural_breaks(v, 3), (std::vector<double>{3, 12}));
  EXPECT_EQ(natural_breaks(v, 2), (std::vector<double>{12}));
}

// Against exhaustive search over every pair of split points on random data.
TEST(Classify, NaturalBreaksAreTheBestSplitByBruteForce) {
  std::mt19937 rng(11);
  std::lognormal_distribution<double> dist(1.0, 0.8);
  std::vector<double> v(60);
  for (auto& x : v) x = std::round(dist(rng) * 100) / 100;
  std::sort(v.begin(), v.end());
  auto ssd = [&](std::size_t i, std::size_t j) {
    double m = 0;
    for (std::size_t t = i; t < j; ++t) m += v[t];
    m /= double(j - i);
    double s = 0;
    for (std::size_t t = i; t < j; ++t) s += (v[t] - m) * (v[t] - m);
    return s;
  };
  double best = std::numeric_limits<double>::infinity();
  std::pair<std::size_t, std::size_t> split;
  for (std::size_t a = 1; a < v.size(); ++a)
    for (std::size_t b = a + 1; b < v.size(); ++b) {
      const double t = ssd(0, a) + ssd(a, b) + ssd(b, v.size());
      if (t < best - 1e-12) {
        best = t;
        split = {a, b};
      }
    }
  const auto breaks = natural_breaks(v, 3);
  ASSERT_EQ(breaks.size(), 2u);
  EXPECT_DOUBLE_EQ(breaks[0], v[split.first - 1]);
  EXPECT_DOUBLE_EQ(breaks[1], v[split.second - 1]);
}

TEST(Classify, EvenSubsampleKeepsTheEnds) {
  std::vector<double> v;
  for (int i = 0; i < 1001; ++i) v.push_back(i);
  const auto s = even_subsample(v, 11);
  EXPECT_EQ(s.size(), 11u);
  EXPECT_EQ(s.front(), 0);
  EXPECT_EQ(s.back(), 1000);
  EXPECT_EQ(s[5], 500);
}
