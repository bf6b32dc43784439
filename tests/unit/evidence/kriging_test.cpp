#include "prospect/evidence/kriging.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "prospect/core/error.hpp"
#include "support/fixtures.hpp"

using namespace prospect;

namespace {

// The grid of tests/data/meuse/kriging.csv: 100 m cells from (178500, 333700), 30 x 42.
const AnalysisGrid k_grid("EPSG:28992", 178500, 333700, 100, 30, 42);

std::vector<std::vector<std::string>> read_csv(const std::string& name) {
  return test::read_csv_rows(std::string(PROSPECT_TEST_DATA) + "/meuse/" + name);
}

std::vector<Sample> meuse_log_zinc() {
  std::vector<Sample> samples;
  for (const auto& r : read_csv("meuse.csv"))
    samples.push_back({std::stod(r[0]), std::stod(r[1]), std::log(std::stod(r[2]))});
  return samples;
}

double cell(const std::string& text) {
  return text.find("NA") != std::string::npos ? NAN : std::stod(text);
}

KrigingSpec given(const std::string& model, double nugget, double psill, double range,
                  int max_points) {
  KrigingSpec spec;
  spec.model = model;
  spec.nugget = nugget;
  spec.partial_sill = psill;
  spec.range = range;
  spec.max_points = max_points;
  return spec;
}

// Every cell centre of the reference grid against gstat's krige(): prediction
// and kriging variance to 1e-6 relative (they agree to about 1e-12).
void expect_gstat(const KrigingField& field, std::size_t column, const char* what) {
  double worst = 0;
  int missing = 0;
  for (const auto& r : read_csv("kriging.csv")) {
    const double x = std::stod(r[0]), y = std::stod(r[1]);
    const double pred = cell(r[column]), var = cell(r[column + 1]);
    const KrigingEstimate e = field.at(x, y);
    if (std::isnan(pred)) {
      EXPECT_TRUE(std::isnan(e.estimate)) << what << " at " << x << " " << y;
      ++missing;
      continue;
    }
    worst = std::max({worst, std::fabs(e.estimate - pred) / std::fabs(pred),
                      std::fabs(e.variance - var) / std::fabs(var)});
    EXPECT_NEAR(e.estimate, pred, 1e-6 * std::fabs(pred)) << what << " at " << x << " " << y;
    EXPECT_NEAR(e.variance, var, 1e-6 * std::fabs(var)) << what << " at " << x << " " << y;
  }
  std::printf("%s: 1260 cells, %d missing as in gstat, largest relative difference %.1e\n", what,
              missing, worst);
}

}  // namespace

TEST(Kriging, GlobalEqualsGstat) {
  expect_gstat(
      KrigingField(meuse_log_zinc(), k_grid, given("spherical", 0.05, 0.59, 897, k_all_idw_points)),
      2, "global, spherical");
}

TEST(Kriging, NearestSixteenEqualsGstat) {
  expect_gstat(KrigingField(meuse_log_zinc(), k_grid, given("spherical", 0.05, 0.59, 897, 16)), 4,
               "nmax 16, spherical");
}

TEST(Kriging, RadiusAndMinimumEqualGstat) {
  KrigingSpec spec = given("exponential", 0.04, 0.7, 400, 24);
  spec.radius = 1200;
  spec.min_points = 4;
  expect_gstat(KrigingField(meuse_log_zinc(), k_grid, spec), 6, "nmax 24 within 1200 m, exp");
}

// The tiled computation writes what at() computes (as float), and the variance
// band is the variance; with log the estimate is exp of the kriged log.
TEST(Kriging, GridCellsAreThePointEstimates) {
  KrigingSpec spec = given("spherical", 0.05, 0.59, 897, 16);
  spec.log = true;
  const KrigingField field(meuse_log_zinc(), k_grid, spec);
  spec.variance = true;
  const KrigingField variance(meuse_log_zinc(), k_grid, spec);
  const Window w{0, 0, k_grid.width(), k_grid.height()};
  std::vector<float> est(std::size_t(w.width * w.height)), var(est.size());
  field.compute(w, est.data());
  variance.compute(w, var.data());
  for (int r = 0; r < w.height; ++r)
    for (int c = 0; c < w.width; ++c) {
      const KrigingEstimate e = field.at(k_grid.center_x(c), k_grid.center_y(r));
      const std::size_t i = std::size_t(r * w.width + c);
      EXPECT_EQ(est[i], float(std::exp(e.estimate)));
      EXPECT_EQ(var[i], float(e.variance));
    }
}

// At a sample the estimate is its value with variance 0 (kriging is exact).
TEST(Kriging, ExactAtASample) {
  const auto samples = meuse_log_zinc();
  const KrigingField field(samples, k_grid, given("spherical", 0.05, 0.59, 897, 16));
  const KrigingEstimate e = field.at(samples[10].x, samples[10].y);
  EXPECT_NEAR(e.estimate, samples[10].value, 1e-9);
  EXPECT_NEAR(e.variance, 0.0, 1e-9);
}

TEST(Kriging, AFittedVariogramIsUsedWhenNoneIsGiven) {
  KrigingSpec spec;
  spec.model = "spherical";
  const KrigingField field(meuse_log_zinc(), k_grid, spec);
  EXPECT_TRUE(field.fitted());
  EXPECT_NEAR(field.variogram().range, 897.04, 0.005 * 897.04);  // gstat's fit
  EXPECT_EQ(field.experimental().gamma.size(), 15u);
}

TEST(Kriging, ImpossibleSettingsAreErrors) {
  KrigingSpec spec = given("cubic", 0, 1, 100, 16);
  EXPECT_THROW(KrigingField(meuse_log_zinc(), k_grid, spec), Error);
  spec = given("spherical", 0, 0, 100, 16);
  EXPECT_THROW(KrigingField(meuse_log_zinc(), k_grid, spec), Error);
  spec = given("spherical", 0, 1, 100, 8);
  spec.min_points = 9;
  EXPECT_THROW(KrigingField(meuse_log_zinc(), k_grid, spec), Error);
}
