#include "prospect/output/svg_plot.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

using namespace prospect;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(NiceTicks, RoundStepsCoveringTheRange) {
  EXPECT_EQ(nice_ticks(0, 100, 5), (std::vector<double>{0, 20, 40, 60, 80, 100}));
  const auto small = nice_ticks(0.013, 0.094, 4);
  ASSERT_EQ(small.size(), 4u);
  for (std::size_t k = 0; k < 4; ++k) EXPECT_NEAR(small[k], 0.02 * double(k + 1), 1e-15);
  const auto t = nice_ticks(-3, 7, 5);
  EXPECT_EQ(t.front(), -2);
  EXPECT_EQ(t.back(), 6);
  EXPECT_EQ(nice_ticks(5, 5, 5), (std::vector<double>{5}));  // no range: one tick
}

TEST(FormatNumber, SignificantDigitsAndGroupedThousands) {
  EXPECT_EQ(format_number(0.123456), "0.123");
  EXPECT_EQ(format_number(2.5e-5), "2.5e-05");
  EXPECT_EQ(format_number(952679), "952\u2009679");
  EXPECT_EQ(format_number(1010), "1010");  // not 1.01e+03
  EXPECT_EQ(format_number(1500.4), "1500");
  EXPECT_EQ(format_number(999.7), "1000");
  EXPECT_EQ(format_number(-12345), "-12\u2009345");
  EXPECT_EQ(format_number(NAN), "–");
  EXPECT_EQ(format_number(INFINITY), "∞");
}

TEST(SvgPlot, MissingValuesBreakTheLineAndTextIsEscaped) {
  PlotSpec p;
  p.title = "Dy <held-out> & more";
  p.lines.push_back(
      {"a & b", "#000", {0, 0.25, 0.5, 0.75, 1}, {0, 0.5, NAN, 0.5, 1}, false, false});
  const std::string svg = svg_plot(p);
  EXPECT_THAT(svg, HasSubstr("Dy &lt;held-out&gt; &amp; more"));
  EXPECT_THAT(svg, HasSubstr("a &amp; b"));
  const auto d = svg.find(" d=\"M");
  ASSERT_NE(d, std::string::npos);
  const std::string path = svg.substr(d, svg.find('"', d + 4) - d);
  EXPECT_EQ(std::count(path.begin(), path.end(), 'M'), 2) << path;  // two runs around the NaN
  EXPECT_THAT(svg, Not(HasSubstr("nan")));
}

TEST(SvgPlot, LogAxisTicksArePowersOfTen) {
  PlotSpec p;
  p.x_min = 2e-5;
  p.x_max = 0.3;
  p.log_x = true;
  p.lines.push_back({"", "#000", {2e-5, 1e-3, 0.3}, {0, 0.5, 1}, false, false});
  const std::string svg = svg_plot(p);
  for (const char* tick : {">0.0001<", ">0.001<", ">0.01<", ">0.1<"})
    EXPECT_THAT(svg, HasSubstr(tick));
}

// Class codes are no scale: ticks at the codes given, none between them.
TEST(SvgPlot, GivenTicksReplaceRoundOnes) {
  PlotSpec p;
  p.x_min = -0.5;
  p.x_max = 2.5;
  p.x_ticks = {0, 1, 2};
  p.lines.push_back({"", "#000", {-0.35, 0.35, 0}, {0.2, 0.2, NAN}, false, false});
  const std::string svg = svg_plot(p);
  for (const char* tick : {">0<", ">1<", ">2<"}) EXPECT_THAT(svg, HasSubstr(tick));
  EXPECT_THAT(svg, Not(HasSubstr(">0.5<")));
  EXPECT_THAT(svg, Not(HasSubstr(">-0.5<")));
}
