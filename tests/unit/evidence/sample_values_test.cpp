#include "prospect/evidence/sample_values.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "prospect/core/diagnostics.hpp"
#include "prospect/core/error.hpp"
#include "prospect/core/grid.hpp"
#include "support/fixtures.hpp"

using namespace prospect;
using namespace prospect::test;
using ::testing::HasSubstr;

namespace {

const AnalysisGrid k_grid("EPSG:32733", 460000, 7760000, 50, 120, 100);
const std::string k_utm33s = k_grid.crs_wkt();

VectorInput soils(const TempDir& dir, const std::string& csv) {
  write_text(dir.file("soil.csv"), csv);
  VectorInput in;
  in.name = "soil";
  in.path = dir.file("soil.csv");
  in.crs = "EPSG:32733";
  return in;
}

}  // namespace

// Dy 24.6 ppm is 100 x chondrite (0.246) and Yb 1.61 is 10 x (0.161): (Dy/Yb)N = 10.
// Dy "<2" counts as 1 ppm: 1 / 0.246 over 0.805 / 0.161.
TEST(SampleValues, AnIndexFindsItsColumnsByElement) {
  TempDir dir;
  const VectorInput in = soils(dir,
                               "sample,easting,northing,DY (ppm),yb_ppm,Th_ppm\n"
                               "A,462000,7757000,24.6,1.61,9\nB,463000,7756000,<2,0.805,8\n");
  SampleReport report;
  const auto values = read_sample_values(in, "", "(Dy/Yb)N", k_utm33s, report);
  EXPECT_EQ(report.expression, "N(\"DY (ppm)\") / N(\"yb_ppm\")");
  ASSERT_EQ(values.size(), 2u);
  EXPECT_NEAR(values[0].value, 10.0, 1e-12);
  EXPECT_NEAR(values[1].value, (1 / 0.246) / (0.805 / 0.161), 1e-12);
  EXPECT_EQ(report.below_detection, 1);
  EXPECT_DOUBLE_EQ(values[0].x, 462000);
}

TEST(SampleValues, AnIndexWithoutItsColumnsNamesTheMissingElements) {
  TempDir dir;
  const VectorInput in = soils(dir, "easting,northing,Dy_ppm,Y_ppm\n462000,7757000,3,20\n");
  SampleReport report;
  try {
    read_sample_values(in, "", "Eu/Eu*", k_utm33s, report);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    EXPECT_THAT(e.what(), HasSubstr("soil.csv"));
    EXPECT_THAT(e.what(), HasSubstr("needs a column for Eu, Sm, Gd"));
    EXPECT_THAT(e.what(), HasSubstr("rare-earth columns for Dy, Y"));
  }
}

// A reported zero has no logarithm: the sample is skipped, counted and named.
TEST(SampleValues, ALogRatioOfAZeroNamesTheSample) {
  TempDir dir;
  const VectorInput in = soils(dir,
                               "easting,northing,Dy_ppm,La_ppm\n462000,7757000,3,20\n"
                               "463000,7756000,4,0\n464000,7755000,0,0\n");
  SampleReport report;
  const auto values = read_sample_values(in, "clr(Dy_ppm, La_ppm)", "", k_utm33s, report);
  ASSERT_EQ(values.size(), 3u);
  EXPECT_NEAR(values[0].value, std::log(3.0) - (std::log(3.0) + std::log(20.0)) / 2, 1e-12);
  EXPECT_TRUE(std::isnan(values[1].value));
  EXPECT_EQ(report.not_positive, 2);
  EXPECT_EQ(report.undefined, 0);
  EXPECT_EQ(report.first_not_positive, "feature 2: La_ppm = 0");
}

// A field below detection everywhere is a map of detection limits: said, not hidden.
TEST(SampleValues, AFieldBelowDetectionEverywhereIsWarnedAbout) {
  TempDir dir;
  const VectorInput in = soils(dir,
                               "easting,northing,Dy_ppm,Lu_ppm\n462000,7757000,3,<0.05\n"
                               "463000,7756000,4,<0.05\n");
  Diagnostics diagnostics;
  const DiagnosticsScope scope(&diagnostics);
  SampleReport report;
  read_sample_values(in, "Dy_ppm / Lu_ppm", "", k_utm33s, report);
  const auto warnings = diagnostics.texts(Severity::warning);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_THAT(warnings[0], HasSubstr("every one of the 2 value(s) of Lu_ppm"));
  EXPECT_THAT(warnings[0], HasSubstr("below detection"));
}
