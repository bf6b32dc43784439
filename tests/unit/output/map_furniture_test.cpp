#include "prospect/output/map_furniture.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

using namespace prospect;
using ::testing::HasSubstr;

namespace {

// 500 x 500 pixels of 60 m from (450000, 7765000): x 450000..480000.
MapFurniture utm_map() {
  MapFurniture m;
  m.geotransform = {450000, 60, 0, 7765000, 0, -60};
  m.width = m.height = 500;
  m.metres_per_unit = 1;
  return m;
}

double number_after(const std::string& svg, const std::string& pattern) {
  std::smatch match;
  EXPECT_TRUE(std::regex_search(svg, match, std::regex(pattern))) << pattern;
  return match.empty() ? -1 : std::stod(match[1]);
}

}  // namespace

TEST(MapFurniture, ScaleBarsAreRoundLengths) {
  EXPECT_EQ(scale_bar_metres(7500), 5000);
  EXPECT_EQ(scale_bar_metres(4999), 2000);
  EXPECT_EQ(scale_bar_metres(1000), 1000);
  EXPECT_EQ(scale_bar_metres(180), 100);
  EXPECT_EQ(distance_text(5000), "5 km");
  EXPECT_EQ(distance_text(1500), "1.5 km");
  EXPECT_EQ(distance_text(500), "500 m");
}

// The bar is as long on the map as its label says: 5 km at 60 m a pixel is 83.3 pixels.
TEST(MapFurniture, TheScaleBarMeasuresWhatItSays) {
  const std::string svg = map_furniture_svg(utm_map());
  EXPECT_THAT(svg, HasSubstr(">5 km</text>"));
  EXPECT_NEAR(number_after(svg, "class=\"scale-bar\"[^>]*width=\"([0-9.]+)\""), 5000.0 / 60, 0.05);
}

// Each coordinate label sits where that coordinate is: 460 000 at (460000 - 450000) / 60 pixels.
TEST(MapFurniture, CoordinateLabelsSitAtTheirCoordinates) {
  const std::string svg = map_furniture_svg(utm_map());
  EXPECT_NEAR(number_after(svg, "<text x=\"([0-9.]+)\"[^>]*>460\u2009000</text>"), 10000.0 / 60,
              0.05);
  EXPECT_NEAR(number_after(svg, "<text x=\"-6\" y=\"([0-9.]+)\"[^>]*>7\u2009750\u2009000</text>"),
              15000.0 / 60 + 3.5, 0.05);
}

TEST(MapFurniture, RanksAtCentroidsAndNoScaleBarInDegrees) {
  MapFurniture m = utm_map();
  m.ranks = {{1, 465000, 7750000}, {2, 490000, 7750000}};  // the second is off the map
  std::string svg = map_furniture_svg(m);
  EXPECT_THAT(svg, HasSubstr("class=\"rank\" x=\"250.0\" y=\"254.0\" text-anchor=\"middle\">1<"));
  EXPECT_THAT(svg, Not(HasSubstr(">2</text>")));
  m.geographic = true;
  m.geotransform = {14.5, 0.0005, 0, -20.2, 0, -0.0005};
  svg = map_furniture_svg(m);
  EXPECT_THAT(svg, Not(HasSubstr("scale-bar")));
  EXPECT_THAT(svg, HasSubstr("14.6°"));
}
