#include "prospect/vector/study_area.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/fixtures.hpp"

using namespace prospect;
using namespace prospect::test;

namespace {
const AnalysisGrid k_grid("EPSG:32733", 0, 100, 10, 10, 10);  // x 0..100, y 0..100

StudyArea area_from(const std::vector<double>& ring, const std::string& name) {
  VectorInput in;
  in.path = write_text("/vsimem/" + name + ".geojson", polygon_geojson(ring));
  in.crs = "EPSG:32733";
  return StudyArea(k_grid, read_vector(in, k_grid.crs_wkt()), in.path);
}
}  // namespace

TEST(StudyArea, ACellIsInsideWhenItsCentreIs) {
  // x 12..38, y 55..100: centres 15, 25, 35 inside in x; rows with centre y >= 55: rows 0..4.
  const StudyArea a = area_from({12, 55, 38, 55, 38, 100, 12, 100, 12, 55}, "square");
  std::vector<unsigned char> m(100);
  a.mask({0, 0, 10, 10}, m.data());
  for (int r = 0; r < 10; ++r)
    for (int c = 0; c < 10; ++c) {
      const bool expected = c >= 1 && c <= 3 && r <= 4;
      EXPECT_EQ(m[std::size_t(r) * 10 + c], expected ? 1 : 0) << r << "," << c;
    }
  // The same cells through a window: masks are per tile.
  std::vector<unsigned char> part(4);
  a.mask({3, 4, 2, 2}, part.data());
  EXPECT_EQ(part, (std::vector<unsigned char>{1, 0, 0, 0}));
}

TEST(StudyArea, WholeGridByDefault) {
  const StudyArea a(k_grid);
  std::vector<unsigned char> m(100, 0);
  a.mask({0, 0, 10, 10}, m.data());
  for (auto v : m) EXPECT_EQ(v, 1);
  EXPECT_TRUE(a.whole_grid());
}

TEST(StudyArea, NoOverlapIsRefused) {
  try {
    area_from({500, 500, 600, 500, 600, 600, 500, 500}, "far");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    EXPECT_THAT(e.what(), ::testing::HasSubstr("does not overlap the analysis grid"));
  }
}

TEST(StudyArea, LinesAreNotAStudyArea) {
  VectorInput in;
  in.path = write_text("/vsimem/line.geojson",
                       R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},
      "geometry":{"type":"LineString","coordinates":[[1,1],[50,50]]}}]})");
  in.crs = "EPSG:32733";
  EXPECT_THROW(StudyArea(k_grid, read_vector(in, k_grid.crs_wkt()), in.path), Error);
}
