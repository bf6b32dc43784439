#include "prospect/evidence/idw.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "support/fixtures.hpp"

using namespace prospect;
using namespace prospect::test;

namespace {
const AnalysisGrid k_grid("EPSG:32733", 460000, 7760000, 50, 120, 100);

std::vector<Sample> random_samples(unsigned seed, int n) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> x(459500, 466500), y(7754500, 7760500), v(1, 100);
  std::vector<Sample> s;
  for (int i = 0; i < n; ++i) s.push_back({x(rng), y(rng), v(rng)});
  return s;
}
}  // namespace

// Every cell against brute-force IDW over all samples, with and without a radius.
TEST(Idw, ExactAgainstBruteForce) {
  for (double radius : {0.0, 300.0}) {
    IdwSpec spec;
    spec.max_points = 12;
    spec.min_points = radius > 0 ? 3 : 1;
    spec.radius = radius;
    const IdwField field(random_samples(4, 400), k_grid, spec);
    std::vector<float> v(std::size_t(k_grid.width()) * k_grid.height());
    field.compute({0, 0, k_grid.width(), k_grid.height()}, v.data());
    int missing = 0;
    for (int r = 0; r < k_grid.height(); ++r)
      for (int c = 0; c < k_grid.width(); ++c) {
        const double expected = field.brute_force(k_grid.center_x(c), k_grid.center_y(r));
        const float got = v[std::size_t(r) * k_grid.width() + c];
        if (std::isnan(expected)) {
          ASSERT_TRUE(std::isnan(got));
          ++missing;
        } else {
          ASSERT_NEAR(got, expected, 1e-4 * std::abs(expected)) << r << "," << c;
        }
      }
    if (radius > 0) {
      EXPECT_GT(missing, 0);  // some cells have too few samples in reach
    }
  }
}

TEST(Idw, HandWorkedTwoSamples) {
  // Samples 100 m west (value 10) and 300 m east (value 30) of a cell centre, power 2:
  // (10/100^2 + 30/300^2) / (1/100^2 + 1/300^2) = 12.
  const double cx = k_grid.center_x(60), cy = k_grid.center_y(50);
  IdwSpec spec;
  const IdwField field({{cx - 100, cy, 10}, {cx + 300, cy, 30}}, k_grid, spec);
  float v;
  field.compute({60, 50, 1, 1}, &v);
  EXPECT_NEAR(v, 12.0, 1e-5);
  IdwSpec logspec;
  logspec.log = true;
  const IdwField logfield({{cx - 100, cy, std::log(10.0)}, {cx + 300, cy, std::log(30.0)}}, k_grid,
                          logspec);
  logfield.compute({60, 50, 1, 1}, &v);
  EXPECT_NEAR(v, std::exp((std::log(10.0) / 1e4 + std::log(30.0) / 9e4) / (1 / 1e4 + 1 / 9e4)),
              1e-4);
}

TEST(Idw, CsvSamplesDuplicatesAndBadValuesAreReported) {
  TempDir dir;
  write_text(dir.file("soil.csv"),
             "id,easting,northing,Dy_ppm\n1,462000,7757000,12\n2,462000,7757000,14\n3,463000,"
             "7756000,<0.5\n"
             "4,464000,7755000,n.d.\n5,461000,7758000,\n");
  VectorInput in;
  in.path = dir.file("soil.csv");
  in.crs = "EPSG:32733";
  IdwSpec spec;
  spec.field = "Dy_ppm";
  SampleReport report;
  const auto samples = read_samples(in, spec, k_grid, report);
  EXPECT_EQ(report.read, 5);
  EXPECT_EQ(report.not_numeric, 2);
  EXPECT_EQ(report.below_detection, 1);
  EXPECT_EQ(report.duplicates_merged, 1);
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_DOUBLE_EQ(samples[0].value, 13.0);  // the two samples at one place, averaged
  spec.field = "Dy";
  try {
    read_samples(in, spec, k_grid, report);
    FAIL();
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("has no field 'Dy'"));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("Dy_ppm"));
  }
}

TEST(IdwSamples, RatiosAreComputedPerSampleWithTheDetectionRule) {
  TempDir dir;
  write_text(dir.file("soil.csv"),
             "id,easting,northing,Dy_ppm,Y_ppm\n1,462000,7757000,12,48\n2,463000,7756000,<1,10\n"
             "3,464000,7755000,5,0\n4,461000,7758000,5,x\n5,470000,7757000,2,4\n");
  VectorInput in;
  in.path = dir.file("soil.csv");
  in.crs = "EPSG:32733";
  IdwSpec spec;
  spec.field = "Dy_ppm / Y_ppm";
  SampleReport report;
  const auto samples = read_samples(in, spec, k_grid, report);
  EXPECT_EQ(report.read, 5);
  EXPECT_EQ(report.undefined, 1);    // Y = 0
  EXPECT_EQ(report.not_numeric, 1);  // Y = x
  EXPECT_EQ(report.below_detection, 1);
  EXPECT_EQ(report.outside_grid, 1);  // east of the grid: kept, it informs the edge cells
  ASSERT_EQ(samples.size(), 3u);
  // Samples come out ordered by location: (462000, ...) then (463000, ...).
  EXPECT_DOUBLE_EQ(samples[0].value, 0.25);
  EXPECT_DOUBLE_EQ(samples[1].value, 0.05);  // <1 is taken as 0.5
  EXPECT_DOUBLE_EQ(samples[2].value, 0.5);
}

// Rows without usable coordinates (an empty or "n/a" cell, a short row) are
// counted by their reason, not dropped unseen; the rows read add up.
TEST(IdwSamples, RowsWithoutCoordinatesAreCounted) {
  TempDir dir;
  write_text(
      dir.file("soil.csv"),
      "id,easting,northing,Dy_ppm\n1,462000,7757000,12\n2,n/a,7757000,14\n3,463000,,9\n4,464000\n"
      "5,461000,7758000,7\n");
  VectorInput in;
  in.path = dir.file("soil.csv");
  in.crs = "EPSG:32733";
  IdwSpec spec;
  spec.field = "Dy_ppm";
  SampleReport report;
  const auto samples = read_samples(in, spec, k_grid, report);
  EXPECT_EQ(report.read, 5);
  EXPECT_EQ(report.without_coordinates, 3);
  EXPECT_EQ(report.used, 2);
  EXPECT_EQ(samples.size(), 2u);
}

// Easting and northing swapped put every sample far outside the grid: an error
// that says so, instead of a surface extrapolated from thousands of km away.
TEST(IdwSamples, SwappedCoordinatesAreAnErrorWithAHint) {
  TempDir dir;
  write_text(dir.file("soil.csv"),
             "id,easting,northing,Dy_ppm\n1,7757000,462000,12\n2,7756000,463000,9\n");
  VectorInput in;
  in.path = dir.file("soil.csv");
  in.crs = "EPSG:32733";
  IdwSpec spec;
  spec.field = "Dy_ppm";
  SampleReport report;
  try {
    read_samples(in, spec, k_grid, report);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    EXPECT_THAT(e.what(), ::testing::HasSubstr("all 2 sample location(s) lie outside the grid"));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("are the easting and northing columns swapped?"));
  }
}

// max_points: all averages every sample: for 30 samples, the same surface as
// max_points: 30, and a hand-check at one cell (weights 1/d^2 over all of them).
// More samples than the limit are refused, not averaged for hours.
TEST(Idw, AllPointsMeansEverySample) {
  const std::vector<Sample> samples = random_samples(7, 30);
  IdwSpec all, thirty;
  all.max_points = k_all_idw_points;
  thirty.max_points = 30;
  const IdwField a(samples, k_grid, all), b(samples, k_grid, thirty);
  std::vector<float> va(std::size_t(k_grid.width()) * k_grid.height()), vb(va.size());
  a.compute({0, 0, k_grid.width(), k_grid.height()}, va.data());
  b.compute({0, 0, k_grid.width(), k_grid.height()}, vb.data());
  EXPECT_EQ(va, vb);
  const double x = k_grid.center_x(7), y = k_grid.center_y(11);
  double sw = 0, swz = 0;
  for (const Sample& s : samples) {
    const double w = 1.0 / ((s.x - x) * (s.x - x) + (s.y - y) * (s.y - y));
    sw += w;
    swz += w * s.value;
  }
  EXPECT_NEAR(va[11 * std::size_t(k_grid.width()) + 7], swz / sw, 1e-4 * swz / sw);
  EXPECT_THROW(IdwField(random_samples(8, k_max_idw_points + 1), k_grid, all), Error);
}
