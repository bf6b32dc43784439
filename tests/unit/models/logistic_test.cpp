#include "prospect/models/logistic.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using namespace prospect;

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
