#include "prospect/models/wofe.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

using namespace prospect;

// Hand-worked example: a study area of 100 unit cells with 10 deposits; the
// pattern covers 20 unit cells and holds 6 deposits. Worked by hand:
//   W+ = ln[(6/10) / (14/90)] = ln 3.857143 = 1.349927,  s(W+) = sqrt(1/6 + 1/14) = 0.487950
//   W- = ln[(4/10) / (76/90)] = ln 0.473684 = -0.747214, s(W-) = sqrt(1/4 + 1/76) = 0.512989
//   C = 2.097141, s(C) = sqrt(0.238095 + 0.263158) = 0.707992, C/s(C) = 2.962096
TEST(WeightsOfEvidence, BinaryWeightsMatchTheHandWorkedExample) {
  const WeightsRow r = binary_weights(20, 6, 100, 10);
  EXPECT_NEAR(r.w_plus, 1.349927, 1e-6);
  EXPECT_NEAR(r.s_w_plus, 0.487950, 1e-6);
  EXPECT_NEAR(r.w_minus, -0.747214, 1e-6);
  EXPECT_NEAR(r.s_w_minus, 0.512989, 1e-6);
  EXPECT_NEAR(r.contrast, 2.097141, 1e-6);
  EXPECT_NEAR(r.s_contrast, 0.707992, 1e-6);
  EXPECT_NEAR(r.studentized, 2.962096, 1e-5);
  EXPECT_TRUE(r.note.empty());
}

TEST(WeightsOfEvidence, AreasAreInUnitCellsNotPixels) {
  // 2000 cells of 0.01 km2 = 20 km2 = 20 unit cells of 1 km2: the same as above.
  ClassCounter counter;
  std::vector<float> classes(10000, 0.0f);
  std::fill(classes.begin(), classes.begin() + 2000, 1.0f);
  std::vector<unsigned char> valid(10000, 1);
  counter.add_cells(classes.data(), valid.data(), classes.size());
  for (int i = 0; i < 6; ++i) counter.add_deposit(1.0f);
  for (int i = 0; i < 4; ++i) counter.add_deposit(0.0f);
  WeightsOptions o;
  o.cell_km2 = 0.01;
  o.unit_cell_km2 = 1.0;
  const WeightsTable t = weights_table(counter.counts(), o);
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_DOUBLE_EQ(t.total_unit_cells, 100);
  EXPECT_DOUBLE_EQ(t.rows[1].unit_cells, 20);
  EXPECT_NEAR(t.rows[1].w_plus, 1.349927, 1e-6);
}

TEST(WeightsOfEvidence, InvalidCellsCountNowhere) {
  ClassCounter c;
  const float classes[6] = {1, 1, 2, NAN, 2, 2};
  const unsigned char valid[6] = {1, 0, 1, 1, 1, 1};
  c.add_cells(classes, valid, 6);
  const auto counts = c.counts();
  ASSERT_EQ(counts.size(), 2u);
  EXPECT_EQ(counts[0].cells, 1);
  EXPECT_EQ(counts[1].cells, 3);
}

TEST(WeightsOfEvidence, MergingPartialsEqualsCountingAtOnce) {
  std::vector<float> classes = {3, 1, 1, 2, 3, 3, 1, 2, 2, 2};
  std::vector<unsigned char> valid(10, 1);
  ClassCounter whole, a, b;
  whole.add_cells(classes.data(), valid.data(), 10);
  a.add_cells(classes.data(), valid.data(), 4);
  b.add_cells(classes.data() + 4, valid.data() + 4, 6);
  a.merge(b);
  const auto x = whole.counts(), y = a.counts();
  ASSERT_EQ(x.size(), y.size());
  for (std::size_t i = 0; i < x.size(); ++i) EXPECT_EQ(x[i].cells, y[i].cells);
}

// count_below compares in float; it must count as lower_bound does in double,
// for thresholds no float equals (0.1, 0.7), that a float equals (0.5), past
// the largest float, and infinite, with values on and beside each of them.
TEST(WeightsOfEvidence, CountBelowAgreesWithABinarySearchInDouble) {
  const std::vector<double> thresholds = {
      -std::numeric_limits<double>::infinity(), 0.1, 0.5, 0.7, 1e39,
      std::numeric_limits<double>::infinity()};
  std::vector<float> values = {NAN,
                               -std::numeric_limits<float>::infinity(),
                               std::numeric_limits<float>::infinity(),
                               std::numeric_limits<float>::max(),
                               0.0f,
                               1.0f};
  for (double t : {0.1, 0.5, 0.7}) {
    const float f = float(t);
    for (float v : {std::nextafter(f, -1.0f), f, std::nextafter(f, 2.0f)}) values.push_back(v);
  }
  std::vector<std::uint8_t> below(values.size());
  count_below(thresholds, values.data(), below.data(), values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    const auto expected =
        std::isnan(values[i])
            ? 0
            : std::lower_bound(thresholds.begin(), thresholds.end(), double(values[i])) -
                  thresholds.begin();
    EXPECT_EQ(int(below[i]), int(expected)) << values[i];
  }
}

// A value's position among the class values, or their count where it is none
// of them (between two, past the last, NaN).
TEST(WeightsOfEvidence, ClassIndicesFindEachValueOrNone) {
  const std::vector<double> values = {0.5, 1, 2};
  const float in[7] = {0.5f, 1, 2, 1.5f, 3, -1, NAN};
  std::uint8_t index[7];
  class_indices(values, in, index, 7);
  const std::uint8_t expected[7] = {0, 1, 2, 3, 3, 3, 3};
  for (int i = 0; i < 7; ++i) EXPECT_EQ(index[i], expected[i]) << in[i];
}

// Past the first 256 cells the known classes are counted by counting the
// values below each cell: the counts equal a plain count, classes first seen
// later in a tile or in a later tile (and past the limit, overflow) included.
TEST(WeightsOfEvidence, CountsOfKnownAndNewClassesEqualAPlainCount) {
  std::map<float, std::int64_t> expected;
  ClassCounter counter;
  std::uint32_t seed = 12345;
  auto next = [&] { return seed = seed * 1664525u + 1013904223u; };
  for (int tile = 0; tile < 5; ++tile) {
    const std::size_t n = 1000 + std::size_t(tile);
    std::vector<float> classes(n);
    std::vector<unsigned char> valid(n);
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t r = next() >> 8;
      // Classes 0.5, 1.5, ... : more of them in later tiles; some NaN, some cells invalid.
      classes[i] = r % 53 == 0 ? NAN : float(r % std::uint32_t(3 + 2 * tile)) + 0.5f;
      valid[i] = (r >> 12) % 9 != 0;
      if (valid[i] && !std::isnan(classes[i])) ++expected[classes[i]];
    }
    counter.add_cells(classes.data(), valid.data(), n);
  }
  const auto counts = counter.counts();
  ASSERT_EQ(counts.size(), expected.size());
  std::size_t k = 0;
  for (const auto& [value, cells] : expected) {
    EXPECT_EQ(counts[k].value, double(value));
    EXPECT_EQ(counts[k].cells, cells) << value;
    ++k;
  }
  EXPECT_FALSE(counter.overflowed());

  ClassCounter limited(3);
  const float first[4] = {1, 2, 1, 3};
  const float later[3] = {2, 4, 1};
  const unsigned char all[4] = {1, 1, 1, 1};
  limited.add_cells(first, all, 4);
  EXPECT_FALSE(limited.overflowed());
  limited.add_cells(later, all, 3);
  EXPECT_TRUE(limited.overflowed());  // a fourth class
}

// Ascending at class k and descending at the next class are complementary
// patterns, so one's W+ is the other's W-: a cross-check of the cumulative sums.
TEST(WeightsOfEvidence, AscendingAndDescendingAreComplements) {
  const std::vector<ClassCount> counts = {{1, 300, 2}, {2, 250, 5}, {3, 200, 4}, {4, 250, 1}};
  WeightsOptions o;
  o.type = WeightsType::ascending;
  const WeightsTable asc = weights_table(counts, o);
  o.type = WeightsType::descending;
  const WeightsTable desc = weights_table(counts, o);
  // desc rows run 4, 3, 2, 1: the row after "<= k" in ascending order is ">= k+1".
  for (int k = 0; k < 3; ++k) {
    const WeightsRow& a = asc.rows[std::size_t(k)];
    const WeightsRow& d = desc.rows[std::size_t(2 - k)];
    EXPECT_EQ(a.cells + d.cells, 1000);
    EXPECT_NEAR(a.w_plus, d.w_minus, 1e-12);
    EXPECT_NEAR(a.w_minus, d.w_plus, 1e-12);
  }
}

TEST(WeightsOfEvidence, UndefinedWeightsAreReportedNotPatched) {
  const WeightsRow none = binary_weights(20, 0, 100, 10);
  EXPECT_FALSE(none.w_plus_defined);
  EXPECT_TRUE(none.w_minus_defined);
  EXPECT_TRUE(std::isnan(none.w_plus));
  EXPECT_TRUE(std::isnan(none.studentized));
  EXPECT_NE(none.note.find("no deposit on the pattern"), std::string::npos);

  const WeightsRow all = binary_weights(20, 10, 100, 10);
  EXPECT_TRUE(all.w_plus_defined);
  EXPECT_FALSE(all.w_minus_defined);
  EXPECT_NE(all.note.find("all deposits on the pattern"), std::string::npos);
}

TEST(WeightsOfEvidence, GeneralisationPicksTheLargestSignificantContrast) {
  const std::vector<ClassCount> counts = {{1, 100, 6}, {2, 100, 3}, {3, 300, 1}, {4, 500, 0}};
  WeightsOptions o;
  o.type = WeightsType::ascending;
  o.min_studentized = 1.0;
  const WeightsTable t = weights_table(counts, o);
  int best = -1;
  double best_c = -1e9;
  for (std::size_t i = 0; i < t.rows.size(); ++i)
    if (t.rows[i].w_plus_defined && t.rows[i].w_minus_defined && t.rows[i].studentized >= 1.0 &&
        t.rows[i].contrast > best_c) {
      best_c = t.rows[i].contrast;
      best = int(i);
    }
  ASSERT_GE(best, 0);
  EXPECT_EQ(t.threshold_row, best);
  EXPECT_DOUBLE_EQ(t.generalized_w_plus, t.rows[std::size_t(best)].w_plus);
  for (std::size_t i = 0; i < t.rows.size(); ++i)
    EXPECT_EQ(t.rows[i].generalized, int(i) <= best ? 2 : 1);

  o.min_studentized = 100;
  const WeightsTable none = weights_table(counts, o);
  EXPECT_EQ(none.threshold_row, -1);
  EXPECT_FALSE(none.generalization_note.empty());
}

namespace {
// The binary pattern of the hand-worked example as scoring weights: class 1 in
// the pattern (20 of 100 unit cells), class 0 outside.
PosteriorModel example_model() {
  const std::vector<ClassCount> counts = {{0, 80, 4}, {1, 20, 6}};
  WeightsOptions o;
  o.type = WeightsType::descending;  // pattern = classes >= 1
  o.min_studentized = 1.0;
  PosteriorModel m = make_posterior_model(10, 100);
  m.layers.push_back(layer_weights(weights_table(counts, o), counts, 1.0));
  return m;
}
}  // namespace

// With one binary layer the posterior is the deposit density of the pattern:
// 6 / 20 = 0.3 inside, 4 / 80 = 0.05 outside; on missing evidence the prior 0.1.
// Standard deviations worked by hand from the formulas in
// docs/science/weights-of-evidence.md:
//   inside:  sqrt(1/(0.1*0.9*100) + 1/6 + 1/14) * 0.3 * 0.7 = 0.124097
//   missing: weights sqrt(0.111111) * 0.1 * 0.9 = 0.03; missing data
//            (0.3-0.1)^2 * 0.2 + (0.05-0.1)^2 * 0.8 = 0.01; total sqrt(0.0009 + 0.01) = 0.104403
TEST(WeightsOfEvidencePosterior, OneLayerGivesThePatternsDepositDensity) {
  const PosteriorModel m = example_model();
  const float classes[3] = {1.0f, 0.0f, NAN};
  float p[3], sd[3];
  posterior(m, {classes}, 3, p, sd);
  EXPECT_NEAR(p[0], 0.3, 1e-6);
  EXPECT_NEAR(p[1], 0.05, 1e-6);
  EXPECT_NEAR(p[2], 0.1, 1e-6);
  EXPECT_NEAR(sd[0], 0.124097, 1e-6);
  EXPECT_NEAR(sd[2], 0.104403, 1e-6);
}

TEST(WeightsOfEvidencePosterior, TwoLayersAddTheirWeightsInLogits) {
  PosteriorModel m = example_model();
  m.layers.push_back(m.layers[0]);  // the same layer twice: weights add
  const float a[1] = {1.0f};
  float p[1], sd[1];
  posterior(m, {a, a}, 1, p, sd);
  const double logit = std::log(0.1 / 0.9) + 2 * std::log((6.0 / 10) / (14.0 / 90));
  EXPECT_NEAR(p[0], 1 / (1 + std::exp(-logit)), 1e-6);
}

TEST(WeightsOfEvidencePosterior, CategoricalPoolsClassesBelowTheConfidence) {
  // Class 3 is strongly significant; classes 1 and 2 are not, and are pooled.
  const std::vector<ClassCount> counts = {{1, 400, 3}, {2, 400, 2}, {3, 200, 10}};
  WeightsOptions o;
  const WeightsTable t = weights_table(counts, o);
  const LayerWeights lw = layer_weights(t, counts, 2.0);
  ASSERT_EQ(lw.group_weight.size(), 2u);
  EXPECT_EQ(lw.group_of(1.0f), lw.group_of(2.0f));
  EXPECT_NE(lw.group_of(1.0f), lw.group_of(3.0f));
  EXPECT_DOUBLE_EQ(lw.group_weight[std::size_t(lw.group_of(3.0f))], t.rows[2].w_plus);
  const WeightsRow pooled = binary_weights(800, 5, 1000, 15);
  EXPECT_NEAR(lw.group_weight[std::size_t(lw.group_of(1.0f))], pooled.w_plus, 1e-12);
  EXPECT_NEAR(lw.group_share[std::size_t(lw.group_of(1.0f))], 0.8, 1e-12);
  EXPECT_EQ(lw.group_of(7.0f), -1);  // a class the fit never saw
}

TEST(WeightsOfEvidence, BreaksGiveTheUpperBoundOfEachInterval) {
  const float in[6] = {0.0f, 100.0f, 100.5f, 600.0f, 601.0f, NAN};
  float out[6];
  classify_by_breaks({100, 300, 600}, in, out, 6);
  EXPECT_EQ(out[0], 100.0f);
  EXPECT_EQ(out[1], 100.0f);  // a value on a break belongs to the interval it closes
  EXPECT_EQ(out[2], 300.0f);
  EXPECT_EQ(out[3], 600.0f);
  EXPECT_TRUE(std::isinf(out[4]));
  EXPECT_TRUE(std::isnan(out[5]));
}

// A value on a break belongs to the interval it closes, with few breaks
// (counted) and many (searched) alike.
TEST(WeightsOfEvidence, ManyBreaksClassifyAsFewDo) {
  std::vector<double> breaks;
  for (int k = 0; k < 40; ++k) breaks.push_back(k * 2.5);
  std::vector<float> in;
  for (int k = -2; k < 210; ++k) in.push_back(0.5f * float(k));
  in.push_back(NAN);
  std::vector<float> many(in.size()), few(in.size());
  classify_by_breaks(breaks, in.data(), many.data(), in.size());
  for (std::size_t i = 0; i + 1 < in.size(); ++i) {
    const auto it = std::lower_bound(breaks.begin(), breaks.end(), double(in[i]));
    const float expect = it == breaks.end() ? INFINITY : float(*it);
    EXPECT_EQ(many[i], expect) << in[i];
  }
  EXPECT_TRUE(std::isnan(many.back()));
  const std::vector<double> first(breaks.begin(), breaks.begin() + 10);
  classify_by_breaks(first, in.data(), few.data(), in.size());
  for (std::size_t i = 0; i + 1 < in.size(); ++i) {
    const auto it = std::lower_bound(first.begin(), first.end(), double(in[i]));
    EXPECT_EQ(few[i], it == first.end() ? INFINITY : float(*it)) << in[i];
  }
  EXPECT_TRUE(std::isnan(few.back()));
}
