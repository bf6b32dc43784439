#include "prospect/vector/deposit_places.hpp"

#include <gtest/gtest.h>

#include "support/fixtures.hpp"

using namespace prospect;
using namespace prospect::test;

namespace {

const AnalysisGrid k_grid("EPSG:32733", 0, 100, 10, 10, 10);  // x 0..100, y 0..100, 10 m cells

FeatureSet read_geojson(const std::string& name, const std::string& text) {
  VectorInput in;
  in.path = write_text("/vsimem/" + name + ".geojson", text);
  in.crs = "EPSG:32733";
  return read_vector(in, k_grid.crs_wkt());
}

std::string point(double x, double y) {
  return R"({"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[)" +
         std::to_string(x) + "," + std::to_string(y) + "]}}";
}

}  // namespace

// A study area whose edge runs at x = 46 in the upper half and x = 43 in the
// lower half; column 4's cell centres are at x = 45, so column 4 is in the
// study area in the upper half (45 < 46) and out in the lower half (45 > 43).
TEST(DepositPlaces, EachDepositIsPlacedAndEveryLeftOutOneSaysWhy) {
  const StudyArea area(
      k_grid,
      read_geojson("step", polygon_geojson({0, 0, 43, 0, 43, 50, 46, 50, 46, 100, 0, 100, 0, 0})),
      "step.geojson");
  const FeatureSet points = read_geojson(
      "deposits",
      R"({"type":"FeatureCollection","features":[)" + point(47, 95) + "," +  // A
          point(42, 25) + "," +                                              // B
          point(80, 20) + "," +                                              // C
          point(150, 20) + "," +                                             // D
          point(10, 10) + "," +                                              // E
          point(20, 30) + "," +                                              // F
          R"({"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[1,1],[5,5]]}}]})");
  const auto located = locate_deposits(points, k_grid, area);
  ASSERT_EQ(located.size(), 7u);
  // A: outside the polygon (47 > 46), its cell's centre (45, 95) inside: counted.
  EXPECT_EQ(located[0].place, DepositPlace::on_cell);
  EXPECT_FALSE(located[0].in_polygon);
  EXPECT_EQ(located[0].col, 4);
  EXPECT_EQ(located[0].row, 0);
  // B: inside the polygon (42 < 43), its cell's centre (45, 25) outside: not counted.
  EXPECT_EQ(located[1].place, DepositPlace::outside_study_area);
  EXPECT_TRUE(located[1].in_polygon);
  EXPECT_EQ(located[2].place, DepositPlace::outside_study_area);
  EXPECT_FALSE(located[2].in_polygon);
  EXPECT_EQ(located[3].place, DepositPlace::outside_grid);
  EXPECT_EQ(located[4].place, DepositPlace::on_cell);
  EXPECT_EQ(located[6].place, DepositPlace::not_a_point);

  DepositAccount account;
  for (std::size_t i = 0; i < located.size(); ++i) account.add(located[i], i == 5);  // F: nodata
  EXPECT_EQ(account.read, 7u);
  EXPECT_EQ(account.counted, 2u);  // A and E
  EXPECT_EQ(account.not_counted_total(), 5u);
  ASSERT_EQ(account.not_counted.size(), 5u);
  EXPECT_EQ(account.not_counted[0].fid, located[1].fid);
  EXPECT_EQ(account.not_counted[0].reason,
            "inside the study-area polygon, but its cell's centre is outside");
  EXPECT_EQ(account.not_counted[1].reason, "outside the study area");
  EXPECT_EQ(account.not_counted[2].reason, "outside the grid");
  EXPECT_EQ(account.not_counted[3].reason, "on a cell with missing evidence");
  EXPECT_EQ(account.not_counted[4].reason, "not a point");
  EXPECT_DOUBLE_EQ(account.not_counted[2].x, 150);
  EXPECT_EQ(account.summary("deposits"),
            "5 of 7 deposits are not counted: 1 not a point, 1 outside the grid, 1 outside the "
            "study area, 1 inside the study-area polygon but on a cell whose centre is outside it "
            "(cells count by their centre), 1 on cells with missing evidence; 1 of the 2 deposits "
            "counted lie outside the study-area polygon, on cells whose centre is inside (cells "
            "count by their centre)");
}

TEST(DepositPlaces, WithoutAStudyAreaEveryGridCellCountsAndNothingIsSaid) {
  const StudyArea whole(k_grid);
  const FeatureSet points = read_geojson("inside", R"({"type":"FeatureCollection","features":[)" +
                                                       point(5, 5) + "," + point(95, 95) + "]}");
  DepositAccount account;
  for (const auto& d : locate_deposits(points, k_grid, whole)) account.add(d, false);
  EXPECT_EQ(account.counted, 2u);
  EXPECT_EQ(account.summary("deposits"), "");
}
