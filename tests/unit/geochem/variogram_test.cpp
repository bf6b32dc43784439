#include "prospect/geochem/variogram.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "prospect/core/error.hpp"
#include "support/fixtures.hpp"

using namespace prospect;

namespace {

// Rows of a CSV with a header, as text cells.
std::vector<std::vector<std::string>> read_csv(const std::string& name) {
  return test::read_csv_rows(std::string(PROSPECT_TEST_DATA) + "/meuse/" + name);
}

std::vector<PointValue> meuse_log_zinc() {
  std::vector<PointValue> points;
  for (const auto& r : read_csv("meuse.csv"))
    points.push_back({std::stod(r[0]), std::stod(r[1]), std::log(std::stod(r[2]))});
  return points;
}

}  // namespace

// Values worked by hand: at h = range / 2 the spherical shape is
// 1.5 x 0.5 - 0.5 x 0.125 = 0.6875; the exponential 1 - e^-0.5; the Gaussian 1 - e^-0.25.
TEST(Variogram, ModelsByHand) {
  Variogram v{VariogramModel::spherical, 0.1, 2.0, 100};
  EXPECT_DOUBLE_EQ(v.gamma(0), 0.0);
  EXPECT_NEAR(v.gamma(50), 0.1 + 2 * 0.6875, 1e-15);
  EXPECT_NEAR(v.gamma(100), 2.1, 1e-15);
  EXPECT_NEAR(v.gamma(1e6), 2.1, 1e-15);
  v.model = VariogramModel::exponential;
  EXPECT_NEAR(v.gamma(50), 0.1 + 2 * (1 - std::exp(-0.5)), 1e-15);
  v.model = VariogramModel::gaussian;
  EXPECT_NEAR(v.gamma(50), 0.1 + 2 * (1 - std::exp(-0.25)), 1e-15);
  EXPECT_NEAR(v.gamma(1e-9), 0.1, 1e-12);  // the nugget: a jump at the origin
}

// The experimental variogram of log(zinc) equals gstat's variogram() with its defaults.
TEST(Variogram, ExperimentalEqualsGstat) {
  const ExperimentalVariogram e = experimental_variogram(meuse_log_zinc());
  const auto want = read_csv("variogram.csv");
  ASSERT_EQ(e.gamma.size(), want.size());
  for (std::size_t j = 0; j < want.size(); ++j) {
    EXPECT_EQ(e.pairs[j], std::stoll(want[j][0])) << j;
    EXPECT_NEAR(e.distance[j], std::stod(want[j][1]), 1e-12 * std::stod(want[j][1])) << j;
    EXPECT_NEAR(e.gamma[j], std::stod(want[j][2]), 1e-12 * std::stod(want[j][2])) << j;
  }
}

// The weighted least-squares fits reach gstat's parameters (within 0.5 %, or
// 0.001 for a nugget gstat puts at 0) and an error no larger than gstat's. The
// Gaussian is the exception, in prospect's favour: gstat stops at range 386.5
// (weighted error 1.915e-5) even when started at prospect's range 411.4, whose
// error by the same formula, evaluated in R with variogramLine(), is 1.762e-5.
TEST(Variogram, FitsMatchGstatsWeightedLeastSquares) {
  const ExperimentalVariogram e = experimental_variogram(meuse_log_zinc());
  for (const auto& row : read_csv("variogram_fits.csv")) {
    const VariogramModel model = row[0] == "Sph"   ? VariogramModel::spherical
                                 : row[0] == "Exp" ? VariogramModel::exponential
                                                   : VariogramModel::gaussian;
    const VariogramFit fit = fit_variogram(e, model);
    const double nugget = std::stod(row[1]), psill = std::stod(row[2]), range = std::stod(row[3]);
    const double gstat_sse = std::stod(row[4]);
    if (row[0] == "Gau") {
      EXPECT_NEAR(fit.weighted_sse, 1.76155e-5, 1e-9);
      EXPECT_LT(fit.weighted_sse, 0.95 * gstat_sse);
      continue;
    }
    EXPECT_NEAR(fit.variogram.nugget, nugget, std::max(0.001, 0.005 * nugget)) << row[0];
    EXPECT_NEAR(fit.variogram.partial_sill, psill, 0.005 * psill) << row[0];
    EXPECT_NEAR(fit.variogram.range, range, 0.005 * range) << row[0];
    EXPECT_LE(fit.weighted_sse, gstat_sse * (1 + 1e-6)) << row[0];
  }
}

TEST(Variogram, UnfittableVariogramsAreSaidToBe) {
  std::vector<PointValue> flat;
  for (int i = 0; i < 30; ++i) flat.push_back({double(i * 10), double((i * 7) % 30), 5.0});
  try {
    fit_variogram(experimental_variogram(flat), VariogramModel::spherical);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    EXPECT_THAT(e.what(), ::testing::HasSubstr("no spatial structure"));
  }
  try {
    fit_variogram(experimental_variogram({{0, 0, 1}, {1, 0, 2}}), VariogramModel::spherical);
    FAIL();
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("a fit needs at least 3"));
  }
}
