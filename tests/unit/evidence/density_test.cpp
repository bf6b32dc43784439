#include "prospect/evidence/density.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "support/fixtures.hpp"

using namespace prospect;
using namespace prospect::test;

namespace {

const AnalysisGrid k_grid("EPSG:32733", 470000, 7760000, 50, 120, 100);

FeatureSet features_from(const std::string& geojson, const std::string& name) {
  VectorInput in;
  in.path = write_text("/vsimem/" + name + ".geojson", geojson);
  in.crs = "EPSG:32733";
  return read_vector(in, k_grid.crs_wkt());
}

std::string line_json(double x0, double y0, double x1, double y1) {
  char s[300];
  std::snprintf(
      s, sizeof s,
      R"({"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[%.3f,%.3f],[%.3f,%.3f]]}})",
      x0, y0, x1, y1);
  return s;
}

}  // namespace

TEST(SegmentInCircle, ChordsWorkedByHand) {
  // Through the centre: the diameter; at distance 600 from the centre of a
  // 1000 circle: 2 sqrt(1000^2 - 600^2) = 1600; half inside: from the centre out.
  EXPECT_NEAR(segment_length_in_circle(-5000, 0, 5000, 0, 0, 0, 1000), 2000, 1e-9);
  EXPECT_NEAR(segment_length_in_circle(-5000, 600, 5000, 600, 0, 0, 1000), 1600, 1e-9);
  EXPECT_NEAR(segment_length_in_circle(0, 0, 0, 5000, 0, 0, 1000), 1000, 1e-9);
  EXPECT_NEAR(segment_length_in_circle(100, 100, 200, 200, 0, 0, 1000), std::hypot(100, 100), 1e-9);
  EXPECT_EQ(segment_length_in_circle(-5000, 1200, 5000, 1200, 0, 0, 1000), 0);
  EXPECT_EQ(segment_length_in_circle(2000, 0, 3000, 0, 0, 0, 1000), 0);
}

TEST(Density, LineDensityInKmPerSquareKm) {
  // A long E-W line along the centre of row 50: a cell on it sees a diameter
  // of 2 km in a circle of pi km^2, i.e. 2 / pi km per km^2; a cell 600 m away sees 1.6 km.
  const double y = k_grid.center_y(50);
  const FeatureSet lines =
      features_from(std::string(R"({"type":"FeatureCollection","features":[)") +
                        line_json(460000, y, 480000, y) + "]}",
                    "one_line");
  const DensityField field(lines, k_grid, DensitySpec{1000}, "one_line");
  EXPECT_FALSE(field.counts_points());
  std::vector<float> out(k_grid.width() * std::size_t(k_grid.height()));
  field.compute({0, 0, k_grid.width(), k_grid.height()}, out.data());
  EXPECT_NEAR(out[50 * 120 + 60], 2.0 / M_PI, 1e-6);
  EXPECT_NEAR(out[(50 + 12) * 120 + 60], 1.6 / M_PI, 1e-6);  // 12 rows of 50 m = 600 m
  EXPECT_NEAR(out[(50 + 21) * 120 + 60], 0.0, 1e-9);         // 1050 m: out of reach
}

TEST(Density, PointsPerSquareKmAndRandomLinesAgainstBruteForce) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> x(469000, 477000), y(7754000, 7761000);
  std::string points = R"({"type":"FeatureCollection","features":[)";
  std::string lines = points;
  for (int i = 0; i < 60; ++i) {
    char p[200];
    std::snprintf(
        p, sizeof p,
        R"(%s{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[%.3f,%.3f]}})",
        i ? "," : "", x(rng), y(rng));
    points += p;
    const double x0 = x(rng), y0 = y(rng);
    if (i) lines += ",";
    lines += line_json(x0, y0, x0 + 1500 * std::sin(i), y0 + 1500 * std::cos(i));
  }
  const std::vector<std::pair<std::string, std::string>> layers = {{points + "]}", "points"},
                                                                   {lines + "]}", "lines"}};
  for (const auto& [text, name] : layers) {
    const DensityField field(features_from(text, name), k_grid, DensitySpec{730}, name);
    for (const Tile& t : make_tiles(k_grid.width(), k_grid.height(), 37)) {
      std::vector<float> out(t.window.cell_count());
      field.compute(t.window, out.data());
      for (int r = 0; r < t.window.height; r += 3)
        for (int c = 0; c < t.window.width; c += 3) {
          const double expected = field.brute_force(k_grid.center_x(t.window.col + c),
                                                    k_grid.center_y(t.window.row + r));
          ASSERT_NEAR(out[std::size_t(r * t.window.width + c)], expected, 1e-6 + 1e-6 * expected)
              << name;
        }
    }
  }
  // A point count by hand: one point within reach counts 1 / (pi 0.73^2) per km^2.
  const DensityField one(
      features_from(
          R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[473000,7757500]}}]})",
          "one_point"),
      k_grid, DensitySpec{730}, "one_point");
  EXPECT_TRUE(one.counts_points());
  EXPECT_NEAR(one.brute_force(473100, 7757600), 1.0 / (M_PI * 0.73 * 0.73), 1e-9);
  EXPECT_EQ(one.brute_force(473800, 7757500), 0.0);
}

TEST(Density, MixedGeometriesAreRefused) {
  const std::string mixed =
      std::string(R"({"type":"FeatureCollection","features":[)") +
      line_json(471000, 7758000, 472000, 7759000) +
      R"(,{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[473000,7757500]}}]})";
  try {
    DensityField(features_from(mixed, "mixed"), k_grid, DensitySpec{500}, "mixed.geojson");
    FAIL();
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("mixes points and lines"));
  }
}
