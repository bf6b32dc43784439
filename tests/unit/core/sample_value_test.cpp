#include "prospect/core/sample_value.hpp"

#include <gtest/gtest.h>

using namespace prospect;

TEST(SampleValue, NumbersAndHalfTheDetectionLimit) {
  double v = 0;
  bool below = false;
  EXPECT_TRUE(parse_sample_value("12.5", v, below));
  EXPECT_DOUBLE_EQ(v, 12.5);
  EXPECT_FALSE(below);
  EXPECT_TRUE(parse_sample_value(" <0.5 ", v, below));
  EXPECT_DOUBLE_EQ(v, 0.25);  // half the detection limit
  EXPECT_TRUE(below);
  EXPECT_FALSE(parse_sample_value("n.d.", v, below));
  EXPECT_FALSE(parse_sample_value("", v, below));
  EXPECT_FALSE(parse_sample_value("12 ppm", v, below));
}
