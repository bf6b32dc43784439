#include "prospect/evidence/distance.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "support/fixtures.hpp"

using namespace prospect;
using namespace prospect::test;

namespace {

const AnalysisGrid k_grid("EPSG:32733", 460000, 7760000, 25, 300, 260);

FeatureSet features_from(const std::string& geojson, const std::string& name) {
  VectorInput in;
  in.path = write_text("/vsimem/" + name + ".geojson", geojson);
  in.crs = "EPSG:32733";
  return read_vector(in, k_grid.crs_wkt());
}

// Random lines (some multi-part), points and a polygon in the grid.
std::string random_layer(unsigned seed, int lines) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> x(459000, 468500), y(7752500, 7761000), step(-900, 900);
  std::string s = R"({"type":"FeatureCollection","features":[)";
  for (int i = 0; i < lines; ++i) {
    double px = x(rng), py = y(rng);
    if (i) s.append(",");
    s.append(
        R"({"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[)");
    for (int k = 0; k < 4; ++k) {
      if (k) s.append(",");
      s.append("[").append(std::to_string(px)).append(",").append(std::to_string(py)).append("]");
      px += step(rng);
      py += step(rng);
    }
    s += "]}}";
  }
  s +=
      R"(,{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[463000.5,7755000.25]}})";
  s += "]}";
  return s;
}

}  // namespace

// Every cell against a brute-force loop over all segments and points.
TEST(Distance, ExactAgainstBruteForce) {
  const FeatureSet fs = features_from(random_layer(3, 40), "random");
  const DistanceField field(fs, k_grid, {}, "random");
  std::vector<float> d(std::size_t(k_grid.width()) * k_grid.height());
  field.compute({0, 0, k_grid.width(), k_grid.height()}, d.data());
  std::mt19937 rng(11);
  for (int k = 0; k < 3000; ++k) {
    const int c = int(rng() % unsigned(k_grid.width())), r = int(rng() % unsigned(k_grid.height()));
    const double expected = field.brute_force(k_grid.center_x(c), k_grid.center_y(r));
    ASSERT_NEAR(d[std::size_t(r) * k_grid.width() + c], expected, 1e-3 + expected * 1e-6)
        << r << "," << c;
  }
}

TEST(Distance, TilesGiveTheSameValuesAsTheWholeGrid) {
  const FeatureSet fs = features_from(random_layer(5, 10), "tiles");
  const DistanceField field(fs, k_grid, {}, "tiles");
  std::vector<float> whole(std::size_t(k_grid.width()) * k_grid.height());
  field.compute({0, 0, k_grid.width(), k_grid.height()}, whole.data());
  for (const Tile& t : make_tiles(k_grid.width(), k_grid.height(), 37)) {
    std::vector<float> part(t.window.cell_count());
    field.compute(t.window, part.data());
    for (int r = 0; r < t.window.height; ++r)
      for (int c = 0; c < t.window.width; ++c)
        ASSERT_EQ(part[std::size_t(r) * t.window.width + c],
                  whole[std::size_t(t.window.row + r) * k_grid.width() + t.window.col + c]);
  }
}

TEST(Distance, StrikeIsMeasuredFromNorthAndFolded) {
  EXPECT_NEAR(strike_of(0, 0, 1, 1), 45, 1e-9);
  EXPECT_NEAR(strike_of(1, 1, 0, 0), 45, 1e-9);  // direction does not matter
  EXPECT_NEAR(strike_of(0, 0, 0, 1), 0, 1e-9);
  EXPECT_NEAR(strike_of(0, 0, 1, 0), 90, 1e-9);
  EXPECT_NEAR(strike_of(0, 0, -1, 1), 135, 1e-9);
}

TEST(Distance, StrikeFilterKeepsOnlyMatchingSegments) {
  // A NE line (045) and a NW line (135) through the grid.
  const std::string layer = R"({"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[461000,7754000],[465000,7758000]]}},
    {"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[461000,7759000],[465000,7755000]]}}]})";
  const FeatureSet fs = features_from(layer, "strike");
  DistanceSpec ne;
  ne.strike = std::make_pair(20.0, 70.0);
  const DistanceField field(fs, k_grid, ne, "strike");
  EXPECT_EQ(field.segment_count(), 1u);
  // A cell on the NW line is far from the NE line except where they cross.
  const int col = int(k_grid.col_of(461500)), row = int(k_grid.row_of(7758500));
  float d;
  field.compute({col, row, 1, 1}, &d);
  const double x = k_grid.center_x(col), y = k_grid.center_y(row);
  // distance to the line x - y = 461000 - 7754000 through (461000,7754000) with direction (1,1)
  const double expected = std::abs((x - 461000) - (y - 7754000)) / std::sqrt(2.0);
  EXPECT_NEAR(d, expected, 1e-2);
  DistanceSpec wrap;
  wrap.strike = std::make_pair(160.0, 20.0);  // through north: neither line
  EXPECT_THROW(DistanceField(fs, k_grid, wrap, "strike"), Error);
}

TEST(Distance, InsidePolygonsZeroOrSignedAndMaximum) {
  const std::string square = polygon_geojson(
      {462000, 7755000, 464000, 7755000, 464000, 7757000, 462000, 7757000, 462000, 7755000});
  const FeatureSet fs = features_from(square, "square");
  const int col = int(k_grid.col_of(462612.5)),
            row = int(k_grid.row_of(7756012.5));  // 612.5 m inside
  float d;
  DistanceField(fs, k_grid, {}, "square").compute({col, row, 1, 1}, &d);
  EXPECT_EQ(d, 0.0f);
  DistanceSpec signed_spec;
  signed_spec.signed_inside = true;
  DistanceField(fs, k_grid, signed_spec, "square").compute({col, row, 1, 1}, &d);
  EXPECT_NEAR(d, -612.5, 1e-3);
  DistanceSpec capped;
  capped.max = 500;
  const int far_col = int(k_grid.col_of(467000));
  DistanceField(fs, k_grid, capped, "square").compute({far_col, row, 1, 1}, &d);
  EXPECT_EQ(d, 500.0f);
}

TEST(Distance, GeographicGridsAndEmptyLayersAreRefused) {
  const AnalysisGrid lonlat("EPSG:4326", 14, -20, 0.001, 10, 10);
  VectorInput in;
  in.path = write_text("/vsimem/p.geojson", polygon_geojson({14.001, -20.001, 14.002, -20.001,
                                                             14.002, -20.002, 14.001, -20.001}));
  const FeatureSet fs = read_vector(in, lonlat.crs_wkt());
  EXPECT_THROW(DistanceField(fs, lonlat, {}, "p"), Error);
  FeatureSet empty;
  try {
    DistanceField(empty, k_grid, {}, "empty.gpkg");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    EXPECT_THAT(e.what(), ::testing::HasSubstr("no features"));
  }
}

TEST(Distance, ZeroLengthLinesAreSkippedAndALayerOfOnlyThoseIsRefused) {
  // One real segment and one zero-length line: distances follow the real one.
  const FeatureSet fs = features_from(
      R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[462000,7757000],[462000,7757000]]}},
{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[461000,7758000],[461500,7758000]]}}]})",
      "zero_length");
  const DistanceField field(fs, k_grid, {}, "zero_length.geojson");
  EXPECT_EQ(field.segment_count(), 1u);
  const FeatureSet only_zero = features_from(
      R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[462000,7757000],[462000,7757000]]}}]})",
      "only_zero");
  EXPECT_THROW(DistanceField(only_zero, k_grid, {}, "only_zero.geojson"), Error);
}
