#include "prospect/kinds/wofe_conditions.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

#include "prospect/kinds/wofe_cv.hpp"

using namespace prospect;

namespace {

// Three layers: a cumulative one (classes 10..50 in two groups), a categorical
// one with a pooled group and a class without a group, and one of 40 classes
// (the binary-search path), each with its own weights.
PosteriorModel three_layers() {
  PosteriorModel m;
  m.prior_logit = std::log(0.01 / 0.99);
  m.prior_logit_variance = 1e-3;
  LayerWeights a;
  a.class_values = {10, 20, 30, 40, 50};
  a.class_group = {0, 0, 1, 1, 1};
  a.group_weight = {0.9, -0.4};
  a.group_variance = {0.02, 0.01};
  a.group_share = {0.3, 0.7};
  LayerWeights b;
  b.class_values = {1, 2, 3, 7};
  b.class_group = {0, 1, 1, -1};
  b.group_weight = {1.3, -0.2};
  b.group_variance = {0.05, 0.004};
  b.group_share = {0.1, 0.9};
  LayerWeights c;
  for (int k = 0; k < 40; ++k) {
    c.class_values.push_back(0.5 * k);
    c.class_group.push_back(k % 3);
  }
  c.group_weight = {0.2, -0.1, 0.05};
  c.group_variance = {0.01, 0.02, 0.03};
  c.group_share = {0.3, 0.3, 0.4};
  m.layers = {a, b, c};
  return m;
}

}  // namespace

// The table's values are posterior()'s, bit for bit, for every kind of cell:
// each class, classes the fit never saw, classes without a group, missing.
TEST(WofeConditionTable, LooksUpWhatPosteriorComputesCellByCell) {
  const PosteriorModel model = three_layers();
  const auto table = condition_table(model);
  ASSERT_TRUE(table);
  EXPECT_EQ(table->probability.size(), 3u * 3u * 4u);
  std::mt19937 rng(5);
  const std::size_t n = 5000;
  std::vector<std::vector<float>> classes(3, std::vector<float>(n));
  const float a_values[] = {10, 20, 30, 40, 50, 60, NAN};
  const float b_values[] = {1, 2, 3, 7, 4, NAN};
  for (std::size_t i = 0; i < n; ++i) {
    classes[0][i] = a_values[rng() % 7];
    classes[1][i] = b_values[rng() % 6];
    classes[2][i] = rng() % 10 == 0 ? NAN : 0.5f * float(rng() % 45);  // 40..44: unseen
  }
  const std::vector<const float*> columns = {classes[0].data(), classes[1].data(),
                                             classes[2].data()};
  std::vector<float> p(n), sd(n), table_p(n), table_sd(n);
  posterior(model, columns, n, p.data(), sd.data());
  std::vector<std::uint32_t> groups;
  std::vector<std::uint64_t> keys;
  look_up(*table, model, columns, n, groups, &keys, table_p.data(), table_sd.data());
  EXPECT_EQ(std::memcmp(p.data(), table_p.data(), n * sizeof(float)), 0);
  EXPECT_EQ(std::memcmp(sd.data(), table_sd.data(), n * sizeof(float)), 0);

  // The class keys count the same unique conditions as UniqueConditions::add.
  std::vector<float> score(n, 0.5f);
  score[3] = NAN;
  UniqueConditions by_classes(model), by_keys(model);
  by_classes.add(columns, score.data(), n);
  by_keys.add_keys(keys.data(), score.data(), n);
  std::vector<std::vector<float>> classes_a, classes_b;
  std::vector<std::int64_t> cells_a, cells_b;
  by_classes.columns(classes_a, cells_a);
  by_keys.columns(classes_b, cells_b);
  EXPECT_EQ(cells_a, cells_b);
  ASSERT_EQ(classes_a.size(), classes_b.size());
  for (std::size_t j = 0; j < classes_a.size(); ++j)
    EXPECT_EQ(
        std::memcmp(classes_a[j].data(), classes_b[j].data(), classes_a[j].size() * sizeof(float)),
        0);
}

TEST(WofeConditionTable, TooManyCombinationsGiveNoTable) {
  PosteriorModel model;
  LayerWeights layer;
  layer.class_values = {1, 2, 3};
  layer.class_group = {0, 1, 2};
  layer.group_weight = {0.1, 0.2, 0.3};
  layer.group_variance = {0.01, 0.01, 0.01};
  layer.group_share = {0.3, 0.3, 0.4};
  model.layers.assign(7, layer);  // 4^7 = 16384 combinations: the largest table
  EXPECT_TRUE(condition_table(model));
  model.layers.push_back(layer);  // 4^8
  EXPECT_FALSE(condition_table(model));
}
