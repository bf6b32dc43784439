#include "prospect/geochem/thresholds.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "prospect/core/error.hpp"

using namespace prospect;
using ::testing::HasSubstr;

// Worked by hand: 1, 2, 3, 4, 100 have median 3 and absolute deviations 2, 1,
// 0, 1, 97, whose median is 1: MAD = 1.4826, threshold 3 + 2 x 1.4826 = 5.9652.
// Quartiles (type 7): h = 4 x 0.25 = 1 -> 2, h = 3 -> 4; fence 4 + 1.5 x 2 = 7.
TEST(RobustThreshold, MadAndTukeyByHand) {
  const std::vector<double> v = {4, 100, 1, NAN, 3, 2};  // order and NaN do not matter
  ThresholdRule mad{ThresholdMethod::mad, 0, false};
  const Threshold m = robust_threshold(v, mad, "x");
  EXPECT_NEAR(m.value, 5.9652, 1e-12);
  EXPECT_EQ(m.anomalous, 1);
  EXPECT_EQ(m.rule, "median + 2 x MAD");
  ThresholdRule tukey{ThresholdMethod::tukey, 0, false};
  EXPECT_NEAR(robust_threshold(v, tukey, "x").value, 7.0, 1e-12);
  tukey.k = 3;
  EXPECT_NEAR(robust_threshold(v, tukey, "x").value, 10.0, 1e-12);
}

// With log the statistics are of log10 values: 10^(1..5) is 1, 2, 3, 4, 100 in
// log10 units after the same steps, so the threshold is 10^5.9652.
TEST(RobustThreshold, LogValues) {
  const std::vector<double> v = {1e1, 1e2, 1e3, 1e4, 1e100};
  const Threshold t = robust_threshold(v, {ThresholdMethod::mad, 0, true}, "x");
  EXPECT_NEAR(std::log10(t.value), 5.9652, 1e-12);
  EXPECT_EQ(t.rule, "median + 2 x MAD of log10 values");
}

// Counts that fall along two exact straight lines in log-log: the 20 highest
// values with slope -4, the rest with slope -1. The break is where they meet.
TEST(RobustThreshold, ConcentrationNumberFindsTheBendOfTwoLines) {
  std::vector<double> v;
  for (int i = 1; i <= 200; ++i) {
    const double l = std::log10(double(i)), l20 = std::log10(20.0);
    v.push_back(std::pow(10.0, i <= 20 ? 2.0 + (l20 - l) / 4.0 : 2.0 - (l - l20)));
  }
  const Threshold t = robust_threshold(v, {ThresholdMethod::cn, 0, true}, "x");
  // Split at the shared point (both segments exact) or just below it.
  EXPECT_TRUE(std::fabs(t.value - 100.0) < 1e-9 || std::fabs(t.value - v[20]) < 1e-9) << t.value;
  EXPECT_TRUE(t.anomalous == 19 || t.anomalous == 20) << t.anomalous;
}

TEST(RobustThreshold, ErrorsSayWhatToDo) {
  auto message = [](const std::vector<double>& v, ThresholdRule rule) {
    try {
      robust_threshold(v, rule, "Dy_ppm in soils.csv");
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::bad_input);
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_THAT(message({1, 2, 3, 4}, {}), HasSubstr("4 usable value(s)"));
  EXPECT_THAT(message({1, 2, 0, 4, 5, -1}, {}), HasSubstr("2 value(s) <= 0"));
  EXPECT_THAT(message({1, 2, 0, 4, 5, -1}, {}), HasSubstr("--no-log"));
  EXPECT_THAT(message({1, 1, 1, 1, 5}, {}), HasSubstr("median absolute deviation is 0"));
  EXPECT_THAT(message({1, 1, 1, 1, 5}, {ThresholdMethod::tukey, 0, true}),
              HasSubstr("interquartile range is 0"));
  EXPECT_THAT(message({1, 2, 3, 4, 5, 6}, {ThresholdMethod::cn, 0, true}),
              HasSubstr("needs at least 20"));
}

TEST(RobustThreshold, QuantileType7MatchesR) {
  // R: quantile(c(1, 2, 4, 8), c(0, 0.1, 0.5, 0.9, 1)) = 1, 1.3, 3, 6.8, 8
  const std::vector<double> s = {1, 2, 4, 8};
  EXPECT_DOUBLE_EQ(quantile_type7(s, 0.0), 1.0);
  EXPECT_NEAR(quantile_type7(s, 0.1), 1.3, 1e-12);
  EXPECT_DOUBLE_EQ(quantile_type7(s, 0.5), 3.0);
  EXPECT_NEAR(quantile_type7(s, 0.9), 6.8, 1e-12);
  EXPECT_DOUBLE_EQ(quantile_type7(s, 1.0), 8.0);
}
