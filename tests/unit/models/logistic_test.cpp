#include "prospect/models/logistic.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "support/fixtures.hpp"

using namespace prospect;
using namespace prospect::test;

namespace {

// Cells in two "tiles": predictor values and deposit flags.
struct Cells {
  std::vector<std::vector<float>> x;  // per predictor
  std::vector<unsigned char> y;
};

LogisticFit fit(const Cells& c) {
  const std::size_t p = c.x.size(), n = c.y.size(), half = n / 2;
  return fit_logistic(p, [&](const std::vector<double>& beta) {
    IrlsAccumulator a(p), b(p);  // two tiles, merged in order
    std::vector<const float*> xa, xb;
    for (const auto& col : c.x) {
      xa.push_back(col.data());
      xb.push_back(col.data() + half);
    }
    a.add(xa, c.y.data(), half, beta);
    b.add(xb, c.y.data() + half, n - half, beta);
    a.merge(b);
    return a;
  });
}

}  // namespace

// One binary predictor has a closed form: beta0 = ln odds where x = 0, beta1 = the
// log odds ratio, with Woolf's standard errors sqrt(sum of 1/count).
TEST(Logistic, BinaryPredictorMatchesTheClosedForm) {
  const int n0 = 800, k0 = 8, n1 = 200, k1 = 12;
  Cells c;
  c.x.resize(1);
  for (int i = 0; i < n0; ++i) {
    c.x[0].push_back(0.0f);
    c.y.push_back(i < k0);
  }
  for (int i = 0; i < n1; ++i) {
    c.x[0].push_back(1.0f);
    c.y.push_back(i < k1);
  }
  const LogisticFit f = fit(c);
  ASSERT_TRUE(f.converged) << f.problem;
  const double b0 = std::log(double(k0) / (n0 - k0));
  const double b1 = std::log(double(k1) / (n1 - k1)) - b0;
  EXPECT_NEAR(f.beta[0], b0, 1e-8);
  EXPECT_NEAR(f.beta[1], b1, 1e-8);
  EXPECT_NEAR(f.std_error[0], std::sqrt(1.0 / k0 + 1.0 / (n0 - k0)), 1e-6);
  EXPECT_NEAR(f.std_error[1], std::sqrt(1.0 / k0 + 1.0 / (n0 - k0) + 1.0 / k1 + 1.0 / (n1 - k1)),
              1e-6);
  EXPECT_NEAR(f.z[1], f.beta[1] / f.std_error[1], 1e-12);
  EXPECT_LT(f.p_value[1], 0.001);
}

TEST(Logistic, PerfectSeparationIsExplained) {
  Cells c;
  c.x.resize(1);
  for (int i = 0; i < 100; ++i) {
    c.x[0].push_back(float(i));
    c.y.push_back(i >= 90);  // every deposit above 89.5, nothing else there
  }
  const LogisticFit f = fit(c);
  EXPECT_FALSE(f.converged);
  EXPECT_THAT(f.problem, ::testing::HasSubstr("perfect separation"));
}

TEST(Logistic, CollinearPredictorsAreExplained) {
  Cells c;
  c.x.resize(2);
  for (int i = 0; i < 200; ++i) {
    c.x[0].push_back(float(i % 7));
    c.x[1].push_back(float(2 * (i % 7)));
    c.y.push_back(i % 13 == 0);
  }
  const LogisticFit f = fit(c);
  EXPECT_FALSE(f.converged);
  EXPECT_THAT(f.problem, ::testing::HasSubstr("collinear"));
}

TEST(Logistic, MissingValuesSkipTheCell) {
  Cells c;
  c.x.resize(1);
  for (int i = 0; i < 400; ++i) {
    c.x[0].push_back(i % 4 == 0 ? NAN : float(i % 2));
    c.y.push_back(i % 10 == 1);
  }
  IrlsAccumulator a(1);
  std::vector<const float*> x = {c.x[0].data()};
  a.add(x, c.y.data(), c.y.size(), {0.0, 0.0});
  EXPECT_EQ(a.cells(), 300);
}

namespace {

// tests/data/glm: 3,000 cells and R's glm fits of them (tools/glm/logistic_reference.R).
Cells glm_cells() {
  Cells c;
  c.x.resize(3);
  for (const auto& row :
       read_csv_rows(std::string(PROSPECT_SOURCE_DIR) + "/tests/data/glm/cells.csv")) {
    for (std::size_t j = 0; j < 3; ++j) c.x[j].push_back(std::stof(row[j]));
    c.y.push_back(row[3] == "1" ? 1 : 0);
  }
  return c;
}

struct GlmTerm {
  double coefficient, std_error, log_likelihood;
};

std::vector<GlmTerm> glm_reference(const std::string& fit) {
  std::vector<GlmTerm> terms;
  for (const auto& row :
       read_csv_rows(std::string(PROSPECT_SOURCE_DIR) + "/tests/data/glm/glm_reference.csv"))
    if (row[0] == fit) terms.push_back({std::stod(row[2]), std::stod(row[3]), std::stod(row[4])});
  return terms;
}

LogisticFit fit_from(const Cells& c, double weight_of_ones, std::vector<double> start) {
  IrlsFitter fitter(c.x.size(), 50, std::move(start));
  std::vector<const float*> x;
  for (const auto& column : c.x) x.push_back(column.data());
  while (!fitter.done()) {
    IrlsAccumulator sums(c.x.size());
    sums.add_complete(x.data(), nullptr, c.y.data(), c.y.size(), fitter.beta(), weight_of_ones);
    fitter.take(sums);
  }
  return fitter.result();
}

void expect_glm(const LogisticFit& f, const std::vector<GlmTerm>& glm) {
  ASSERT_TRUE(f.converged) << f.problem;
  ASSERT_EQ(glm.size(), f.beta.size());
  for (std::size_t j = 0; j < glm.size(); ++j) {
    EXPECT_NEAR(f.beta[j], glm[j].coefficient, 1e-10 * std::abs(glm[j].coefficient)) << j;
    EXPECT_NEAR(f.std_error[j], glm[j].std_error, 1e-8 * glm[j].std_error) << j;
  }
  EXPECT_NEAR(f.log_likelihood, glm[0].log_likelihood, 1e-10 * std::abs(glm[0].log_likelihood));
}

}  // namespace

// R's glm on the same cells: coefficients, Wald standard errors and the
// log-likelihood, with and without a case weight on the deposit cells.
TEST(Logistic, MatchesRsGlm) {
  const Cells c = glm_cells();
  ASSERT_EQ(c.y.size(), 3000u);
  expect_glm(fit_from(c, 1.0, {}), glm_reference("unweighted"));
  expect_glm(fit_from(c, 5.0, {}), glm_reference("deposits_weighted_5"));
}

// Started elsewhere (as from a subsample's fit, or a fold from the full fit),
// IRLS ends at the same answer; add() of cells with NaN gives the same sums
// as add_complete() of the complete rows, bit for bit.
TEST(Logistic, AnyStartEndsAtTheSameFitAndBothWaysOfAddingAgree) {
  const Cells c = glm_cells();
  const std::vector<GlmTerm> glm = glm_reference("unweighted");
  expect_glm(fit_from(c, 1.0, {-3.0, 0.5, 0.3, 0.5}), glm);
  expect_glm(fit_from(c, 1.0, {-4.5, 1.0, 0.1, 1.5}), glm);

  Cells holes = c;  // a NaN in every seventh row
  std::vector<std::uint32_t> complete;
  std::vector<unsigned char> y;
  for (std::size_t i = 0; i < holes.y.size(); ++i) {
    if (i % 7 == 3) {
      holes.x[i % 3][i] = NAN;
      continue;
    }
    complete.push_back(std::uint32_t(i));
    y.push_back(holes.y[i]);
  }
  const std::vector<double> beta = {-4.0, 0.8, 0.2, 1.0};
  std::vector<const float*> x;
  for (const auto& column : holes.x) x.push_back(column.data());
  IrlsAccumulator with_nan(3), indexed(3);
  with_nan.add(x, holes.y.data(), holes.y.size(), beta, 2.0);
  indexed.add_complete(x.data(), complete.data(), y.data(), complete.size(), beta, 2.0);
  EXPECT_EQ(with_nan.cells(), double(complete.size()));
  EXPECT_EQ(with_nan.xtwx(), indexed.xtwx());
  EXPECT_EQ(with_nan.xtwz(), indexed.xtwz());
  EXPECT_EQ(with_nan.log_likelihood(), indexed.log_likelihood());
}
