#include "prospect/run/model_setup.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "prospect/config/model_file.hpp"
#include "support/fixtures.hpp"

using namespace prospect;
using ::testing::HasSubstr;

namespace {

std::string model_text(const std::string& crs, const std::string& extent,
                       const std::string& targets) {
  return "name: t\ngrid: {crs: " + crs + ", cell_size: " + (crs == "EPSG:4326" ? "0.001" : "25") +
         ", extent: " + extent +
         "}\n"
         "inputs:\n  eth: {path: eth.tif}\n"
         "evidence:\n  th: {input: eth, membership: {function: large, midpoint: 20, spread: 4}}\n"
         "scores:\n  Dy: th\n"
         "targets: " +
         targets + "\n";
}

}  // namespace

TEST(ModelSetup, GridFromExtentSnapsToCells) {
  init_gdal();
  const AnalysisGrid g =
      build_grid(parse_model(model_text("EPSG:32733", "[0, 0, 1010, 990]", "{}"), "/m.yaml"));
  EXPECT_EQ(g.width(), 41);  // 1010 m covered by 25 m cells
  EXPECT_EQ(g.height(), 40);
}

// Target sizes are metres: on a grid in degrees they cannot be honoured, so the
// model is refused before any work (and `prospect check` says so too).
TEST(ModelSetup, MetreSizedTargetOptionsNeedAProjectedGrid) {
  init_gdal();
  const std::string extent = "[14.5, -20.5, 14.6, -20.4]";
  EXPECT_NO_THROW(
      build_grid(parse_model(model_text("EPSG:4326", extent, "{top_percent: 5}"), "/m.yaml")));
  for (const char* option : {"min_area_ha: 2", "fill_holes_ha: 1", "simplify_m: 20"}) {
    try {
      build_grid(
          parse_model(model_text("EPSG:4326", extent, std::string("{") + option + "}"), "/m.yaml"));
      ADD_FAILURE() << option << " was accepted on a geographic grid";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::bad_model);
      EXPECT_THAT(e.what(), HasSubstr("geographic"));
      EXPECT_THAT(e.what(),
                  HasSubstr(std::string(option).substr(0, std::string(option).find(':'))));
    }
  }
}

TEST(ModelSetup, CrossValidationBlocksInMetresNeedAProjectedGrid) {
  init_gdal();
  const std::string extent = "[14.5, -20.5, 14.6, -20.4]";
  const std::string text =
      model_text("EPSG:4326", extent, "{top_percent: 5}") +
      "validation: {deposits: {path: d.geojson}, cross_validation: {block_m: 500}}\n";
  try {
    build_grid(parse_model(text, "/m.yaml"));
    ADD_FAILURE() << "block_m was accepted on a geographic grid";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("validation.cross_validation.block_m"));
  }
}

// grid: {like: raster, extent: [...]} used to ignore the extent silently; the
// grid now covers the extent on the raster's lattice, with its cell size.
TEST(ModelSetup, LikeWithAnExtentCutsTheGridOnTheRastersLattice) {
  init_gdal();
  prospect::test::RasterFixture f;
  f.width = f.height = 100;
  f.origin_x = 1000.5;
  f.origin_y = 2000.5;
  f.cell_x = f.cell_y = 2;
  prospect::test::write_raster("/vsimem/like.tif", f);
  const std::string text =
      "grid: {like: /vsimem/like.tif, extent: [1010, 1900, 1031, 1950]}\n"
      "inputs: {a: {path: /vsimem/like.tif}}\n"
      "evidence: {e: {input: a, membership: {function: linear, low: 0, high: 1}}}\n"
      "scores: {S: e}\n";
  const AnalysisGrid g = build_grid(parse_model(text, "/m.yaml"));
  EXPECT_DOUBLE_EQ(g.cell_size(), 2);
  EXPECT_DOUBLE_EQ(g.origin_x(), 1008.5);  // 1010 snapped outwards to 1000.5 + 2k
  EXPECT_DOUBLE_EQ(g.origin_y(), 1950.5);
  EXPECT_EQ(g.width(), 12);   // 1008.5 .. 1032.5
  EXPECT_EQ(g.height(), 26);  // 1898.5 .. 1950.5
}
