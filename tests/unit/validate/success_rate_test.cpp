#include "prospect/validate/success_rate.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "support/fixtures.hpp"

using namespace prospect;
using namespace prospect::test;

TEST(SuccessRate, AucEqualsAnIndependentMannWhitneyWithTies) {
  std::mt19937 rng(3);
  std::vector<float> cells(5000);
  for (auto& c : cells) c = float(rng() % 50) / 50.0f;  // many ties
  std::vector<float> deposits;
  for (int i = 0; i < 40; ++i)
    deposits.push_back(cells[rng() % cells.size()] + (i % 3 == 0 ? 0.02f : 0.0f));
  SuccessRate a(deposits), b(deposits);
  a.add_cells(cells.data(), 2000);  // two tiles, merged
  b.add_cells(cells.data() + 2000, 3000);
  a.merge(b);
  EXPECT_NEAR(a.auc(), mann_whitney(deposits, cells), 1e-12);
}

TEST(SuccessRate, CurveAgainstBruteForce) {
  std::mt19937 rng(9);
  std::vector<float> cells(3000);
  for (auto& c : cells) c = float(rng() % 1000) / 1000.0f;
  cells[10] = NAN;  // no score: not area
  std::vector<float> deposits = {0.9f, 0.95f, 0.5f, 0.5f, 0.2f, NAN};
  SuccessRate s(deposits);
  s.add_cells(cells.data(), cells.size());
  EXPECT_EQ(s.deposits(), 5u);
  EXPECT_EQ(s.cells(), 2999);
  const auto curve = s.curve();
  ASSERT_EQ(curve.size(), 4u);  // distinct deposit scores
  for (const auto& p : curve) {
    const double area = double(std::count_if(cells.begin(), cells.end(),
                                             [&](float c) { return c >= p.threshold; })) /
                        2999.0;
    const double deps = double(std::count_if(deposits.begin(), deposits.end(),
                                             [&](float d) { return d >= p.threshold; })) /
                        5.0;
    EXPECT_NEAR(p.area_share, area, 1e-12) << p.threshold;
    EXPECT_NEAR(p.deposit_share, deps, 1e-12) << p.threshold;
  }
  EXPECT_NEAR(curve.back().deposit_share, 1.0, 1e-12);
  EXPECT_DOUBLE_EQ(s.capture(0.0), 0.0);
  EXPECT_DOUBLE_EQ(s.capture(1.0), 1.0);
}

TEST(SuccessRate, PerfectAndUselessMaps) {
  std::vector<float> cells = {0, 0, 0, 0, 1};
  SuccessRate perfect(std::vector<float>{1.0f});
  perfect.add_cells(cells.data(), cells.size());
  EXPECT_NEAR(perfect.auc(), (4 + 0.5) / 5.0, 1e-12);
  std::vector<float> flat(100, 0.3f);
  SuccessRate useless(std::vector<float>{0.3f, 0.3f});
  useless.add_cells(flat.data(), flat.size());
  EXPECT_DOUBLE_EQ(useless.auc(), 0.5);
}

// Worked by hand: curve points (area, deposits, threshold) = (0.1, 0.5, 0.9),
// (0.4, 0.8, 0.6), (1, 1, 0.1). f = deposits - (1 - area): -0.4, 0.2, 1. The
// crossing lies between the first two, 0.4 / 0.6 = two thirds of the way: area
// 0.1 + 0.2 = 0.3, deposits 0.5 + 0.2 = 0.7, threshold 0.9 - 0.2 = 0.7;
// density 7/3, weight ln(7/3).
TEST(PredictionArea, IntersectionWorkedByHand) {
  const std::vector<CurvePoint> curve = {{0.1, 0.5, 0.9}, {0.4, 0.8, 0.6}, {1.0, 1.0, 0.1}};
  const PredictionArea pa = prediction_area_intersection(curve);
  ASSERT_TRUE(pa.found);
  EXPECT_NEAR(pa.area_share, 0.3, 1e-12);
  EXPECT_NEAR(pa.deposit_share, 0.7, 1e-12);
  EXPECT_NEAR(pa.threshold, 0.7, 1e-12);
  EXPECT_NEAR(pa.deposit_share, 1 - pa.area_share, 1e-12);  // on the line P = 1 - A
  EXPECT_NEAR(pa.weight, std::log(7.0 / 3.0), 1e-12);
}

// A map no better than random (deposits spread like the area): the crossing is at half.
TEST(PredictionArea, RandomMapCrossesAtHalf) {
  std::vector<CurvePoint> curve;
  for (int k = 1; k <= 10; ++k) curve.push_back({k / 10.0, k / 10.0, 1.0 - k / 10.0});
  const PredictionArea pa = prediction_area_intersection(curve);
  ASSERT_TRUE(pa.found);
  EXPECT_NEAR(pa.area_share, 0.5, 1e-12);
  EXPECT_NEAR(pa.normalized_density, 1.0, 1e-12);
}

// The placements' mean is the AUC; the bootstrap is reproducible with its seed,
// brackets the AUC, and its standard error matches the textbook one for a mean,
// sd(placements) / sqrt(n), within sampling noise.
TEST(AucBootstrap, PlacementsAverageToTheAucAndTheIntervalIsReproducible) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> u(0, 1);
  std::vector<float> deposits;
  for (int i = 0; i < 40; ++i) deposits.push_back(std::sqrt(u(rng)));  // skewed high
  SuccessRate sr(deposits);
  std::vector<float> cells(5000);
  for (auto& c : cells) c = u(rng);
  sr.add_cells(cells.data(), cells.size());
  const auto p = sr.placements();
  ASSERT_EQ(p.size(), 40u);
  double mean = 0;
  for (double v : p) mean += v;
  mean /= 40;
  EXPECT_NEAR(mean, sr.auc(), 1e-12);

  const AucInterval a = bootstrap_auc(p, 4000, 7), b = bootstrap_auc(p, 4000, 7);
  EXPECT_EQ(a.low, b.low);
  EXPECT_EQ(a.high, b.high);
  EXPECT_LT(a.low, sr.auc());
  EXPECT_GT(a.high, sr.auc());
  double var = 0;
  for (double v : p) var += (v - mean) * (v - mean);
  const double textbook = std::sqrt(var / 39) / std::sqrt(40.0);
  EXPECT_NEAR(a.std_error, textbook, 0.1 * textbook);
  EXPECT_NE(bootstrap_auc(p, 4000, 8).low, a.low);  // another seed, another draw
}

// The bucketed placement must agree with Mann-Whitney at the edges: negative
// scores, both zeros, huge and tiny values, cells beyond the deposits' range.
TEST(SuccessRate, ExactAcrossSignsZerosAndRanges) {
  std::vector<float> cells = {-1e30f, -5.0f, -0.0f, 0.0f,    1e-30f,  0.25f,
                              0.5f,   0.5f,  0.75f, 3.0e38f, INFINITY};
  std::mt19937 rng(17);
  for (int i = 0; i < 4000; ++i) cells.push_back(float(int(rng() % 2001) - 1000) / 997.0f);
  for (const std::vector<float>& deposits :
       {std::vector<float>{0.0f, -0.0f, 0.5f, 0.75f, -5.0f}, std::vector<float>{0.5f},
        std::vector<float>{0.5f, 0.5f}, std::vector<float>{-1e30f, 3.0e38f},
        std::vector<float>{0.25f, 0.2508f, 0.2509f, 0.251f}}) {
    SuccessRate s(deposits);
    s.add_cells(cells.data(), cells.size());
    EXPECT_NEAR(s.auc(), mann_whitney(deposits, cells), 1e-12) << deposits.size();
  }
}
