#include "prospect/evidence/rasterize.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "support/fixtures.hpp"

using namespace prospect;
using namespace prospect::test;

namespace {

// 40 x 30 cells of 10 m.
const AnalysisGrid k_grid("EPSG:32733", 500000, 7000300, 10, 40, 30);

std::string feature(const std::string& props, const std::string& geometry) {
  return R"({"type":"Feature","properties":{)" + props + R"(},"geometry":)" + geometry + "}";
}

std::string collection(const std::vector<std::string>& features) {
  std::string s = R"({"type":"FeatureCollection","features":[)";
  for (std::size_t i = 0; i < features.size(); ++i) s += (i ? "," : "") + features[i];
  return s + "]}";
}

// Lithology: a gneiss block, a syenite triangle over part of it (later wins),
// a carbonatite square, and a feature without a unit.
std::string lithology() {
  return collection({
      feature(
          R"("unit":"gneiss","code":3)",
          R"({"type":"Polygon","coordinates":[[[500000,7000000],[500400,7000000],[500400,7000300],[500000,7000300],[500000,7000000]]]})"),
      feature(
          R"("unit":"syenite","code":7)",
          R"({"type":"Polygon","coordinates":[[[500033,7000041],[500287,7000052],[500121,7000263],[500033,7000041]]]})"),
      feature(
          R"("unit":"carbonatite","code":1)",
          R"({"type":"Polygon","coordinates":[[[500300,7000200],[500350,7000200],[500350,7000250],[500300,7000250],[500300,7000200]]]})"),
      feature(
          R"("unit":null,"code":null)",
          R"({"type":"Polygon","coordinates":[[[500000,7000000],[500400,7000000],[500400,7000300],[500000,7000000]]]})"),
  });
}

VectorInput input_for(const std::string& name, const std::string& geojson) {
  VectorInput in;
  in.path = write_text("/vsimem/" + name + ".geojson", geojson);
  in.crs = "EPSG:32733";
  return in;
}

// Is (x, y) inside the triangle (ring a-b-c)? Independent of GDAL.
bool in_triangle(double x, double y) {
  const double ax = 500033, ay = 7000041, bx = 500287, by = 7000052, cx = 500121, cy = 7000263;
  auto side = [&](double x0, double y0, double x1, double y1) {
    return (x1 - x0) * (y - y0) - (y1 - y0) * (x - x0);
  };
  const double d1 = side(ax, ay, bx, by), d2 = side(bx, by, cx, cy), d3 = side(cx, cy, ax, ay);
  return (d1 > 0 && d2 > 0 && d3 > 0) || (d1 < 0 && d2 < 0 && d3 < 0);
}

std::vector<float> whole(const RasterizedLayer& layer) {
  std::vector<float> out(std::size_t(k_grid.width()) * k_grid.height());
  layer.compute({0, 0, k_grid.width(), k_grid.height()}, out.data());
  return out;
}

void expect_tiles_match(const RasterizedLayer& layer) {
  const auto reference = whole(layer);
  for (const Tile& t : make_tiles(k_grid.width(), k_grid.height(), 7)) {
    std::vector<float> tile(t.window.cell_count());
    layer.compute(t.window, tile.data());
    for (int r = 0; r < t.window.height; ++r)
      for (int c = 0; c < t.window.width; ++c)
        ASSERT_EQ(tile[std::size_t(r * t.window.width + c)],
                  reference[std::size_t((t.window.row + r) * 40 + t.window.col + c)]);
  }
}

}  // namespace

TEST(Rasterize, TextClassesGetSortedCodesAndCellCentresDecide) {
  RasterizeSpec spec;
  spec.field = "unit";
  const RasterizedLayer layer(input_for("litho", lithology()), spec, k_grid);
  ASSERT_EQ(layer.classes().size(), 3u);
  EXPECT_EQ(layer.classes()[0].name, "carbonatite");  // 1, 2, 3 in sorted order of names
  EXPECT_EQ(layer.classes()[1].name, "gneiss");
  EXPECT_EQ(layer.classes()[2].name, "syenite");
  EXPECT_EQ(layer.skipped_without_class(), 1);
  const auto v = whole(layer);
  for (int r = 0; r < k_grid.height(); ++r)
    for (int c = 0; c < k_grid.width(); ++c) {
      const double x = k_grid.center_x(c), y = k_grid.center_y(r);
      float expected = 2;  // gneiss everywhere
      if (in_triangle(x, y)) expected = 3;
      if (x > 500300 && x < 500350 && y > 7000200 && y < 7000250) expected = 1;
      EXPECT_EQ(v[std::size_t(r) * 40 + std::size_t(c)], expected) << r << "," << c;
    }
}

TEST(Rasterize, TilesGiveTheSameCellsAsTheWholeGrid) {
  RasterizeSpec spec;
  spec.field = "unit";
  const RasterizedLayer polygons(input_for("litho_tiles", lithology()), spec, k_grid);
  // Oblique lines crossing many tile edges.
  const RasterizedLayer lines(
      input_for(
          "lines_tiles",
          collection(
              {feature(
                   "",
                   R"({"type":"LineString","coordinates":[[500003,7000011],[500391,7000288]]})"),
               feature(
                   "",
                   R"({"type":"LineString","coordinates":[[500377,7000019],[500012,7000297],[500200,7000150]]})")})),
      RasterizeSpec{}, k_grid);
  for (const RasterizedLayer* layer : {&polygons, &lines}) expect_tiles_match(*layer);
}

TEST(Rasterize, IntegerFieldsAreTheirOwnCodesAndTablesMustCoverTheData) {
  RasterizeSpec spec;
  spec.field = "code";
  const RasterizedLayer codes(input_for("litho_codes", lithology()), spec, k_grid);
  ASSERT_EQ(codes.classes().size(), 3u);
  EXPECT_EQ(codes.classes()[2].code, 7);
  EXPECT_EQ(whole(codes)[0], 3.0f);

  spec.field = "unit";
  spec.classes = {{"gneiss", 10}, {"syenite", 20}};
  try {
    RasterizedLayer(input_for("litho_table", lithology()), spec, k_grid);
    FAIL();
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("'carbonatite'"));
  }
  spec.classes["carbonatite"] = 30;
  const RasterizedLayer table(input_for("litho_table2", lithology()), spec, k_grid);
  EXPECT_EQ(whole(table)[0], 10.0f);
}

TEST(Rasterize, PresenceOfLinesAndPointsOnABackground) {
  // A line along the centre of row 5 from column 2 to 30, and a point in cell (20, 10).
  const auto layer_text = collection({
      feature("", R"({"type":"LineString","coordinates":[[500025,7000245],[500305,7000245]]})"),
      feature("", R"({"type":"Point","coordinates":[500205,7000095]})"),
  });
  RasterizeSpec spec;
  spec.background = std::numeric_limits<double>::quiet_NaN();
  const RasterizedLayer layer(input_for("dykes", layer_text), spec, k_grid);
  EXPECT_EQ(layer.classes().size(), 2u);
  const auto v = whole(layer);
  int present = 0;
  for (int r = 0; r < k_grid.height(); ++r)
    for (int c = 0; c < k_grid.width(); ++c) {
      const float x = v[std::size_t(r) * 40 + std::size_t(c)];
      const bool on_line = r == 5 && c >= 2 && c <= 30;
      const bool on_point = r == 20 && c == 20;
      if (on_line || on_point) {
        EXPECT_EQ(x, 1.0f) << r << "," << c;
        ++present;
      } else {
        EXPECT_TRUE(std::isnan(x)) << r << "," << c;
      }
    }
  EXPECT_EQ(present, 30);
}

TEST(Rasterize, MissingFieldListsTheFields) {
  RasterizeSpec spec;
  spec.field = "lithology";
  try {
    RasterizedLayer(input_for("litho_field", lithology()), spec, k_grid);
    FAIL();
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("no field 'lithology'"));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("unit, code"));
  }
}

TEST(Rasterize, AnEmptyLayerOrFilterIsAnError) {
  VectorInput in = input_for("litho_empty", lithology());
  in.where = "unit = 'marble'";
  try {
    RasterizedLayer(in, RasterizeSpec{}, k_grid);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    EXPECT_THAT(e.what(), ::testing::HasSubstr("no features to rasterize after the filter"));
  }
}
