#include "prospect/kinds/wofe_cv.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "support/fixtures.hpp"

using namespace prospect;
using namespace prospect::test;

namespace {

struct Survey {
  ModelSpec model;
  std::vector<std::vector<float>> cell_classes;  // per layer, per cell
  std::vector<std::size_t> deposit_cells;
  int width = 60;
};

// Two layers on a 60 x 60 grid of 1 km2 cells: a categorical code 0..2 in
// stripes (NaN in a corner: missing) and a 4-class distance-like code; deposits
// favour code 2 and low distance classes.
Survey make_survey() {
  Survey s;
  s.model.type = ModelType::wofe;
  s.model.training.emplace();
  s.model.training->unit_cell_km2 = 1.0;
  s.model.training->min_studentized = 0.5;
  EvidenceSpec a, b;
  a.name = "rock";
  a.input = 0;
  a.weights = WeightsType::categorical;
  b.name = "near_fault";
  b.input = 1;
  b.weights = WeightsType::ascending;
  s.model.evidence = {a, b};
  ScoreSpec score;
  score.name = "Dy";
  score.evidence = {0, 1};
  s.model.scores = {score};
  const int n = s.width * s.width;
  s.cell_classes.assign(2, std::vector<float>(std::size_t(n)));
  std::mt19937 rng(11);
  for (int i = 0; i < n; ++i) {
    const int col = i % s.width, row = i / s.width;
    s.cell_classes[0][std::size_t(i)] = (col < 5 && row < 5) ? NAN : float((col / 7) % 3);
    s.cell_classes[1][std::size_t(i)] = float(1 + (row / 4) % 4);
  }
  for (int i = 0; i < n; ++i) {
    const double p = 0.004 + (s.cell_classes[0][std::size_t(i)] == 2.0f ? 0.02 : 0.0) +
                     (s.cell_classes[1][std::size_t(i)] <= 2.0f ? 0.015 : 0.0);
    if (std::uniform_real_distribution<double>(0, 1)(rng) < p)
      s.deposit_cells.push_back(std::size_t(i));
  }
  return s;
}

WofeScoreFit fit_survey(const Survey& s) {
  WofeScoreFit fit;
  const std::size_t n = s.cell_classes[0].size();
  for (const auto& layer : s.cell_classes) {
    ClassCounter counter;
    const std::vector<unsigned char> valid(n, 1);
    counter.add_cells(layer.data(), valid.data(), n);
    fit.cell_counts.push_back(counter.counts());
  }
  for (std::size_t c : s.deposit_cells) {
    for (const auto& layer : s.cell_classes) fit.deposit_classes.push_back(layer[c]);
    fit.deposit_x.push_back(double(c % std::size_t(s.width)) * 1000 + 500);
    fit.deposit_y.push_back(double(c / std::size_t(s.width)) * 1000 + 500);
  }
  fit.deposits = std::int64_t(s.deposit_cells.size());
  fit.study_unit_cells = double(n);
  fit.model = weigh_score(s.model, s.model.scores[0], fit.cell_counts, fit.deposit_classes,
                          fit.study_unit_cells, 1.0, nullptr)
                  .model;
  return fit;
}

}  // namespace

// Each fold's AUC from unique conditions equals Mann-Whitney over every cell's
// posterior under the fold's refit, computed cell by cell.
TEST(WofeCrossValidation, FoldAucsMatchACellByCellRecomputation) {
  const Survey s = make_survey();
  ASSERT_GE(s.deposit_cells.size(), 20u);
  const WofeScoreFit fit = fit_survey(s);
  const std::size_t n = s.cell_classes[0].size();
  UniqueConditions conditions(fit.model), half(fit.model);
  std::vector<float> score(n, 0.5f);
  score[7] = NAN;  // an unscored cell is no area
  conditions.add({s.cell_classes[0].data(), s.cell_classes[1].data()}, score.data(), n / 2);
  half.add({s.cell_classes[0].data() + n / 2, s.cell_classes[1].data() + n / 2},
           score.data() + n / 2, n - n / 2);
  conditions.merge(half);
  EXPECT_LE(conditions.size(), 4u * 4u);

  CrossValidationSpec spec;
  spec.folds = 5;
  spec.block_m = 1500;  // neighbouring cells' deposits share a fold
  spec.seed = 3;
  const CrossValidation cv =
      cross_validate_wofe(s.model, s.model.scores[0], fit, conditions, spec, 1.0, 1.0);
  ASSERT_EQ(cv.plan.folds, 5);
  ASSERT_EQ(cv.folds.size(), 5u);
  double pooled = 0;
  std::size_t held_total = 0;
  for (int f = 0; f < 5; ++f) {
    std::vector<float> train_rows;
    std::vector<std::size_t> held;
    for (std::size_t d = 0; d < s.deposit_cells.size(); ++d) {
      if (cv.plan.fold_of[d] == f) {
        held.push_back(d);
        continue;
      }
      train_rows.push_back(fit.deposit_classes[2 * d]);
      train_rows.push_back(fit.deposit_classes[2 * d + 1]);
    }
    const ScoreWeights refit = weigh_score(s.model, s.model.scores[0], fit.cell_counts, train_rows,
                                           fit.study_unit_cells, 1.0, nullptr);
    std::vector<float> p(n), sd(n);
    posterior(refit.model, {s.cell_classes[0].data(), s.cell_classes[1].data()}, n, p.data(),
              sd.data());
    std::vector<float> cells, deposits;
    for (std::size_t i = 0; i < n; ++i)
      if (i != 7) cells.push_back(p[i]);
    for (std::size_t d : held) deposits.push_back(p[s.deposit_cells[d]]);
    const double expect = mann_whitney(deposits, cells);
    EXPECT_NEAR(cv.folds[std::size_t(f)].auc, expect, 1e-12) << "fold " << f;
    EXPECT_EQ(cv.folds[std::size_t(f)].held_out, held.size());
    pooled += expect * double(held.size());
    held_total += held.size();
  }
  EXPECT_NEAR(cv.pooled_auc, pooled / double(held_total), 1e-12);
  EXPECT_GT(cv.full_fit_auc, 0.6);
}

TEST(WofeCrossValidation, OneBlockIsReportedNotRun) {
  Survey s = make_survey();
  const WofeScoreFit fit = fit_survey(s);
  UniqueConditions conditions(fit.model);
  CrossValidationSpec spec;
  spec.block_m = 1e9;  // everything in one block
  const CrossValidation cv =
      cross_validate_wofe(s.model, s.model.scores[0], fit, conditions, spec, 1.0, 1.0);
  EXPECT_EQ(cv.plan.folds, 0);
  EXPECT_TRUE(cv.folds.empty());
  EXPECT_NE(cv.plan.problem.find("one block"), std::string::npos);
}

// The unique conditions of a few classes are counted in an array, of many in a
// hash map: both give the same combinations and cells, in key order, whether
// counted from the classes, from keys or merged from two halves.
TEST(UniqueConditions, TheArrayAndTheMapCountAlike) {
  auto model_with = [](std::size_t second_layer_classes) {
    PosteriorModel m;
    LayerWeights a, b;
    a.class_values = {0, 1, 2};
    for (std::size_t c = 0; c < second_layer_classes; ++c) b.class_values.push_back(double(c));
    m.layers = {a, b};
    return m;
  };
  const PosteriorModel few = model_with(4);        // 4 x 5 keys: the array
  const PosteriorModel many = model_with(100000);  // 4 x 100001 keys: the map
  const std::size_t n = 500;
  std::vector<float> a(n), b(n), score(n);
  for (std::size_t i = 0; i < n; ++i) {
    a[i] = i % 17 == 3 ? NAN : float(i % 3);
    b[i] = i % 13 == 7 ? 9.5f : float((i / 3) % 4);  // 9.5: a class the fit never saw
    score[i] = i % 11 == 5 ? NAN : 0.5f;
  }
  const std::vector<const float*> classes = {a.data(), b.data()};
  UniqueConditions whole_few(few), whole_many(many), half_few(few), rest_few(few);
  whole_few.add(classes, score.data(), n);
  whole_many.add(classes, score.data(), n);
  half_few.add(classes, score.data(), n / 2);
  rest_few.add({a.data() + n / 2, b.data() + n / 2}, score.data() + n / 2, n - n / 2);
  half_few.merge(rest_few);
  // Keys as the scoring's look-up numbers them: class index (or missing) per layer, mixed radix.
  std::vector<std::uint64_t> keys(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t ia = std::isnan(a[i]) ? 3 : std::uint64_t(a[i]);
    const std::uint64_t ib = b[i] > 3 ? 4 : std::uint64_t(b[i]);
    keys[i] = ia + 4 * ib;
  }
  UniqueConditions keyed_few(few);
  keyed_few.add_keys(keys.data(), score.data(), n);
  std::vector<std::vector<float>> c_few, c_many, c_merged;
  std::vector<std::int64_t> n_few, n_many, n_merged;
  whole_few.columns(c_few, n_few);
  whole_many.columns(c_many, n_many);
  half_few.columns(c_merged, n_merged);
  std::vector<std::vector<float>> c_keyed;
  std::vector<std::int64_t> n_keyed;
  keyed_few.columns(c_keyed, n_keyed);
  EXPECT_EQ(n_few, n_keyed);
  ASSERT_GT(n_few.size(), 10u);
  EXPECT_EQ(whole_few.size(), n_few.size());
  EXPECT_EQ(whole_many.size(), n_many.size());
  EXPECT_EQ(n_few, n_many);
  EXPECT_EQ(n_few, n_merged);
  std::int64_t total = 0;
  for (std::int64_t c : n_few) total += c;
  std::int64_t scored = 0;
  for (float s : score) scored += std::isnan(s) ? 0 : 1;
  EXPECT_EQ(total, scored);
  for (std::size_t j = 0; j < 2; ++j)
    for (std::size_t k = 0; k < n_few.size(); ++k) {
      const float x = c_few[j][k], y = c_many[j][k];
      EXPECT_TRUE(x == y || (std::isnan(x) && std::isnan(y))) << j << " " << k;
    }
}
