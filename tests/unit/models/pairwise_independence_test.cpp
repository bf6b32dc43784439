#include "prospect/models/pairwise_independence.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

using namespace prospect;

// Chi-square upper tails against printed tables (e.g. Abramowitz and Stegun 26.4):
// the 5 % points 3.841 (1 df), 5.991 (2 df), 11.070 (5 df); 1 % point 6.635 (1 df).
TEST(PairwiseIndependence, ChiSquareTailMatchesTables) {
  EXPECT_NEAR(chi_square_upper_tail(3.841459, 1), 0.05, 1e-6);
  EXPECT_NEAR(chi_square_upper_tail(6.634897, 1), 0.01, 1e-6);
  EXPECT_NEAR(chi_square_upper_tail(5.991465, 2), 0.05, 1e-6);
  EXPECT_NEAR(chi_square_upper_tail(11.070498, 5), 0.05, 1e-6);
  EXPECT_NEAR(chi_square_upper_tail(2.0, 2), std::exp(-1.0), 1e-12);  // 2 df: exp(-x/2)
  // 3 df in closed form: erfc(sqrt(x/2)) + sqrt(2x/pi) exp(-x/2); far in the tail.
  const double x = 40.0;
  EXPECT_NEAR(chi_square_upper_tail(x, 3) /
                  (std::erfc(std::sqrt(x / 2)) + std::sqrt(2 * x / M_PI) * std::exp(-x / 2)),
              1.0, 1e-10);
}

// A 2 x 2 table worked by hand: 20 deposits, 12 on A, 10 on B, 9 on both.
// Expected on both: 12 * 10 / 20 = 6; chi-square = sum (O - E)^2 / E
//   = 9/6 + 9/4 + 9/6 + 9/4 = 7.5 (each cell is 3 off: 9-6, 3-6, 1-4, 7-4).
TEST(PairwiseIndependence, TwoByTwoWorkedByHand) {
  std::vector<int> a, b;
  auto add = [&](int count, int ga, int gb) {
    for (int i = 0; i < count; ++i) {
      a.push_back(ga);
      b.push_back(gb);
    }
  };
  add(9, 1, 1);
  add(3, 1, 0);
  add(1, 0, 1);
  add(7, 0, 0);
  add(2, -1, 1);  // missing on A: left out
  const PairwiseTest t = pairwise_independence("near_dykes", a, "alteration", b);
  EXPECT_EQ(t.deposits, 20);
  EXPECT_EQ(t.degrees_of_freedom, 1);
  EXPECT_NEAR(t.chi_square, 7.5, 1e-12);
  EXPECT_NEAR(t.p_value, std::erfc(std::sqrt(7.5 / 2)), 1e-12);  // 1 df tail
  EXPECT_NEAR(t.min_expected, 4.0, 1e-12);
  EXPECT_THAT(t.verdict(), ::testing::HasSubstr("dependent given the deposits"));
  EXPECT_THAT(t.verdict(), ::testing::HasSubstr("rough"));
}

TEST(PairwiseIndependence, IndependentPatternsPassAndOneClassIsNotTestable) {
  std::vector<int> a, b;
  for (int i = 0; i < 40; ++i) {
    a.push_back(i % 2);
    b.push_back((i / 2) % 2);  // exactly balanced against a
  }
  const PairwiseTest t = pairwise_independence("x", a, "y", b);
  EXPECT_NEAR(t.chi_square, 0.0, 1e-12);
  EXPECT_NEAR(t.p_value, 1.0, 1e-12);
  const PairwiseTest one = pairwise_independence("x", std::vector<int>(10, 1), "y", b);
  EXPECT_EQ(one.degrees_of_freedom, 0);
  EXPECT_THAT(one.verdict(), ::testing::HasSubstr("not testable"));
}
