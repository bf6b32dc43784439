#include "prospect/geochem/pca.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "prospect/core/error.hpp"

using namespace prospect;

TEST(Clr, SumsToZeroAndIsScaleFree) {
  const std::vector<double> z = clr({1, std::exp(2.0), std::exp(4.0)});
  EXPECT_NEAR(z[0], -2, 1e-12);
  EXPECT_NEAR(z[1], 0, 1e-12);
  EXPECT_NEAR(z[2], 2, 1e-12);
  const std::vector<double> scaled = clr({1000, 1000 * std::exp(2.0), 1000 * std::exp(4.0)});
  for (std::size_t j = 0; j < 3; ++j) EXPECT_NEAR(scaled[j], z[j], 1e-12);
}

// Worked by hand: with two parts the clr vector is (d / 2, -d / 2), d = ln(x1 / x2).
// d = 0, 1, 2 has mean 1 and variance 1, so the first component holds all of the
// variance, var(d) / 2 = 0.5, along (1, -1) / sqrt 2, and a sample's score is
// (d - 1) / sqrt 2: its ilr balance, centred.
TEST(CompositionalPca, TwoPartsByHand) {
  const std::vector<std::vector<double>> c = {{1, 1}, {std::exp(1.0), 1}, {std::exp(2.0), 1}};
  const CompositionalPca p = compositional_pca(c);
  ASSERT_EQ(p.variance.size(), 2u);
  EXPECT_NEAR(p.variance[0], 0.5, 1e-12);
  EXPECT_NEAR(p.variance[1], 0.0, 1e-12);
  EXPECT_NEAR(p.total_variance, 0.5, 1e-12);
  EXPECT_NEAR(p.loadings[0][0], 1 / std::sqrt(2.0), 1e-12);
  EXPECT_NEAR(p.loadings[0][1], -1 / std::sqrt(2.0), 1e-12);
  for (std::size_t i = 0; i < 3; ++i)
    EXPECT_NEAR(p.score(c[i], 0), (double(i) - 1) / std::sqrt(2.0), 1e-12);
}

// Three parts where the third moves against the first two: the first
// component's largest loading is made positive, whatever the data's order.
TEST(CompositionalPca, SignIsFixedByTheLargestLoading) {
  std::vector<std::vector<double>> c;
  for (int i = 0; i < 20; ++i) {
    const double t = 0.1 * i;
    c.push_back({std::exp(t + 0.01 * (i % 3)), std::exp(t - 0.02 * (i % 2)), std::exp(-3 * t)});
  }
  const CompositionalPca a = compositional_pca(c);
  std::reverse(c.begin(), c.end());
  const CompositionalPca b = compositional_pca(c);
  std::size_t big = 0;
  for (std::size_t j = 1; j < 3; ++j)
    if (std::fabs(a.loadings[0][j]) > std::fabs(a.loadings[0][big])) big = j;
  EXPECT_EQ(big, 2u);  // the part moving most
  EXPECT_GT(a.loadings[0][2], 0);
  for (std::size_t j = 0; j < 3; ++j) EXPECT_NEAR(a.loadings[0][j], b.loadings[0][j], 1e-12);
  EXPECT_GT(a.variance[0], a.variance[1]);
  double unit = 0;
  for (double l : a.loadings[0]) unit += l * l;
  EXPECT_NEAR(unit, 1.0, 1e-12);
}

TEST(CompositionalPca, TooFewSamplesOrPartsAreErrors) {
  EXPECT_THROW(compositional_pca({{1, 2}, {2, 1}}), Error);
  EXPECT_THROW(compositional_pca({{1}, {2}, {3}}), Error);
}
