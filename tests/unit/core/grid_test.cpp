#include "prospect/core/grid.hpp"

#include <gtest/gtest.h>

#include "prospect/core/error.hpp"

using namespace prospect;

TEST(AnalysisGrid, CellCentresAndIndicesRoundTrip) {
  const AnalysisGrid g("EPSG:32733", 460000, 7755000, 25, 400, 300);
  for (int col : {0, 1, 199, 399})
    for (int row : {0, 7, 299}) {
      EXPECT_EQ(g.col_of(g.center_x(col)), col);
      EXPECT_EQ(g.row_of(g.center_y(row)), row);
    }
  EXPECT_DOUBLE_EQ(g.center_x(0), 460012.5);
  EXPECT_DOUBLE_EQ(g.center_y(0), 7754987.5);
}

TEST(AnalysisGrid, EdgesBelongToTheCellRightAndBelow) {
  const AnalysisGrid g("EPSG:32733", 0, 100, 10, 10, 10);
  EXPECT_EQ(g.col_of(30.0), 3);  // left edge of column 3
  EXPECT_EQ(g.col_of(29.999999), 2);
  EXPECT_EQ(g.row_of(70.0), 3);  // top edge of row 3
  EXPECT_EQ(g.row_of(70.000001), 2);
  EXPECT_EQ(g.col_of(-0.5), -1);  // outside stays outside
  EXPECT_FALSE(g.contains_cell(-1, 0));
  EXPECT_TRUE(g.contains_cell(9, 9));
  EXPECT_FALSE(g.contains_cell(10, 9));
}

TEST(AnalysisGrid, CoveringSnapsOutwardsToTheLattice) {
  const auto g = AnalysisGrid::covering("EPSG:32733", {10.3, 20.7, 55.2, 80.1}, 10.0);
  EXPECT_DOUBLE_EQ(g.origin_x(), 10.0);
  EXPECT_DOUBLE_EQ(g.origin_y(), 90.0);
  EXPECT_EQ(g.width(), 5);   // 10 .. 60
  EXPECT_EQ(g.height(), 7);  // 20 .. 90
}

TEST(AnalysisGrid, CoveringWithAnOffsetSnapOrigin) {
  const auto g = AnalysisGrid::covering("EPSG:32733", {10.3, 20.7, 55.2, 80.1}, 10.0, {5.0, 5.0});
  EXPECT_DOUBLE_EQ(g.origin_x(), 5.0);
  EXPECT_DOUBLE_EQ(g.origin_y(), 85.0);
  EXPECT_EQ(g.width(), 6);   // 5 .. 65
  EXPECT_EQ(g.height(), 7);  // 15 .. 85
}

TEST(AnalysisGrid, AnExtentOnTheLatticeDoesNotGrow) {
  const auto g = AnalysisGrid::covering("EPSG:32733", {460000, 7745000, 470000, 7755000}, 25.0);
  EXPECT_EQ(g.width(), 400);
  EXPECT_EQ(g.height(), 400);
  const Extent e = g.extent();
  EXPECT_DOUBLE_EQ(e.min_x, 460000);
  EXPECT_DOUBLE_EQ(e.max_y, 7755000);
}

TEST(AnalysisGrid, WindowGeotransformStartsAtTheWindow) {
  const AnalysisGrid g("EPSG:32733", 1000, 2000, 5, 100, 100);
  const auto gt = g.geotransform(10, 20);
  EXPECT_DOUBLE_EQ(gt[0], 1050);
  EXPECT_DOUBLE_EQ(gt[3], 1900);
  EXPECT_DOUBLE_EQ(gt[1], 5);
  EXPECT_DOUBLE_EQ(gt[5], -5);
}

TEST(AnalysisGrid, CrsFromEpsgWktOrProjString) {
  const AnalysisGrid a("EPSG:32733", 0, 0, 1, 1, 1);
  const AnalysisGrid b(a.crs_wkt(), 0, 0, 1, 1, 1);
  const AnalysisGrid c("+proj=utm +zone=33 +south +datum=WGS84 +units=m +no_defs", 0, 0, 1, 1, 1);
  EXPECT_EQ(a.crs_wkt(), b.crs_wkt());
  EXPECT_FALSE(c.is_geographic());
  EXPECT_EQ(a.linear_unit(), "metre");
  EXPECT_DOUBLE_EQ(a.metres_per_unit(), 1.0);
  EXPECT_TRUE(AnalysisGrid("EPSG:4326", 0, 0, 1, 1, 1).is_geographic());
  EXPECT_NEAR(AnalysisGrid("EPSG:2227", 0, 0, 1, 1, 1).metres_per_unit(), 0.3048006, 1e-7);
}

TEST(AnalysisGrid, BadSpecsAreModelErrors) {
  try {
    AnalysisGrid("EPSG:999999", 0, 0, 1, 1, 1);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_model);
    EXPECT_NE(std::string(e.what()).find("EPSG:999999"), std::string::npos);
  }
  EXPECT_THROW(AnalysisGrid("EPSG:32733", 0, 0, 0, 1, 1), Error);
  EXPECT_THROW(AnalysisGrid("EPSG:32733", 0, 0, 1, 0, 1), Error);
  EXPECT_THROW(AnalysisGrid::covering("EPSG:32733", {5, 5, 5, 10}, 1), Error);
}
