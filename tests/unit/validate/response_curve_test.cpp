#include "prospect/validate/response_curve.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace prospect;

TEST(ValueHistogram, KeysKeepTheOrderOfValues) {
  const std::vector<float> v = {-1e6f, -3.5f, -0.0f, 0.0f, 1e-20f, 0.5f, 2.0f, 1e9f};
  for (std::size_t i = 1; i < v.size(); ++i)
    EXPECT_LE(ValueHistogram::key_of(v[i - 1]), ValueHistogram::key_of(v[i]));
  for (float x :
       {-250.0f, -1.0f, 0.001f, 3.0f, 4999.0f}) {  // a bin's centre is within 0.4 % of its values
    const double c = ValueHistogram::centre_of(ValueHistogram::key_of(x));
    EXPECT_NEAR(c, x, std::abs(x) * 0.004) << x;
  }
}

TEST(ValueHistogram, QuantilesAndMaskAndMerge) {
  ValueHistogram a, b;
  std::vector<float> v(1000);
  for (int i = 0; i < 1000; ++i) v[std::size_t(i)] = float(i);
  std::vector<unsigned char> inside(1000, 1);
  inside[999] = 0;
  v[5] = NAN;
  a.add(v.data(), inside.data(), 500);
  b.add(v.data() + 500, inside.data() + 500, 500);
  a.merge(b);
  EXPECT_EQ(a.total(), 998);
  EXPECT_NEAR(a.quantile(0.5), 500, 500 * 0.004 + 1);
  EXPECT_NEAR(a.quantile(0.99), 989, 989 * 0.004 + 1);
}

// The curve against the formula evaluated directly on the exact values.
TEST(ResponseCurve, MatchesTheKernelRatioOnExactValues) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> u(0, 1000);
  std::vector<float> cells(20000);
  for (auto& c : cells) c = u(rng);
  std::vector<float> deposits;  // more deposits at low values
  for (int i = 0; i < 60; ++i) deposits.push_back(float(std::pow(u(rng) / 1000.0, 3) * 1000.0));
  ValueHistogram h;
  h.add(cells.data(), nullptr, cells.size());
  const double cell_km2 = 0.000625;  // 25 m cells
  const ResponseCurve rc = response_curve(h, deposits, cell_km2, 21);
  ASSERT_EQ(rc.value.size(), 21u);
  EXPECT_NEAR(rc.average_density, 60 / (20000 * cell_km2), 1e-9);
  const double bw = rc.bandwidth;
  for (std::size_t k = 0; k < rc.value.size(); ++k) {
    const double x = rc.value[k];
    double num = 0, sq = 0, den = 0;
    for (float d : deposits) {
      const double kk = std::exp(-0.5 * std::pow((x - d) / bw, 2));
      num += kk;
      sq += kk * kk;
    }
    for (float c : cells) den += std::exp(-0.5 * std::pow((x - c) / bw, 2));
    const double expect = num / (den * cell_km2);
    EXPECT_NEAR(rc.density[k], expect, expect * 0.02 + 1e-6) << x;
    EXPECT_NEAR(rc.high[k] - rc.density[k], 1.96 * std::sqrt(sq) / (den * cell_km2),
                expect * 0.02 + 1e-6);
  }
  EXPECT_GT(rc.density.front(), 3 * rc.average_density);  // low values favour deposits
  EXPECT_LT(rc.density.back(), rc.average_density);
}

TEST(ResponseCurve, ConstantLayerAndNoDepositsAreNotedNotDrawn) {
  ValueHistogram h;
  std::vector<float> same(100, 7.0f);
  h.add(same.data(), nullptr, same.size());
  EXPECT_TRUE(response_curve(h, {7.0f, 7.0f}, 1.0).value.empty());
  EXPECT_FALSE(response_curve(h, {7.0f}, 1.0).note.empty());
  ValueHistogram g;
  std::vector<float> ramp(100);
  for (int i = 0; i < 100; ++i) ramp[std::size_t(i)] = float(i);
  g.add(ramp.data(), nullptr, ramp.size());
  const ResponseCurve none = response_curve(g, {NAN}, 1.0);
  EXPECT_TRUE(none.value.empty());
  EXPECT_NE(none.note.find("no deposit"), std::string::npos);
}
