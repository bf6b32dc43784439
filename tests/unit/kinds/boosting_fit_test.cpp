#include "prospect/kinds/boosting_fit.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "support/fixtures.hpp"

using namespace prospect;
using namespace prospect::test;

namespace {

// 400 cells: a distance-like value, a class code (0-3) and an assay missing on
// a fifth of the cells; deposits where the distance is small, the class is 2
// and the assay high, with noise. Deposit cells weigh 5.
TrainingTable synthetic_table() {
  TrainingTable t;
  t.features = {"distance", "alteration", "soil"};
  t.categorical = {0, 1, 0};
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(0, 1);
  for (int r = 0; r < 400; ++r) {
    const float distance = 1000 * u(rng);
    const float alteration = float(int(4 * u(rng)));
    const float soil = u(rng) < 0.2f ? NAN : 100 * u(rng);
    const double odds = std::exp(-distance / 200 + (alteration == 2 ? 1.5 : 0) +
                                 (std::isnan(soil) ? 0 : soil / 50) - 1.5);
    const bool deposit = u(rng) < odds / (1 + odds);
    t.values.insert(t.values.end(), {distance, alteration, soil});
    t.labels.push_back(deposit ? 1.0f : 0.0f);
    t.weights.push_back(deposit ? 5.0f : 1.0f);
  }
  return t;
}

std::string field(float v) {
  if (std::isnan(v)) return "";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

// Fits with prospect and with Debian's python3-xgboost on the same table and
// parameters; both predict the same rows.
void expect_same_predictions_as_python(ModelType type, const LearnerSpec& learner) {
  TempDir dir;
  const TrainingTable table = synthetic_table();
  const LearnerParams params = learner_params(type, learner, table.features.size());
  const XgbModel model(table, params);

  std::ofstream csv(dir.file("table.csv"));
  csv << "distance,alteration,soil,label,weight\n";
  for (std::size_t r = 0; r < table.rows(); ++r)
    csv << field(table.values[r * 3]) << "," << field(table.values[r * 3 + 1]) << ","
        << field(table.values[r * 3 + 2]) << "," << field(table.labels[r]) << ","
        << field(table.weights[r]) << "\n";
  csv.close();
  std::vector<float> rows;
  std::ofstream rows_csv(dir.file("rows.csv"));
  rows_csv << "distance,alteration,soil\n";
  for (int k = 0; k < 60; ++k) {
    const float d = float(k * 17 % 1000), a = float(k % 4), s = k % 5 == 0 ? NAN : float(k * 1.7);
    rows.insert(rows.end(), {d, a, s});
    rows_csv << field(d) << "," << field(a) << "," << field(s) << "\n";
  }
  rows_csv.close();
  nlohmann::json spec = {{"rounds", params.rounds}, {"categorical", {0, 1, 0}}};
  for (const auto& [key, value] : params.params) spec["params"][key] = value;
  std::ofstream(dir.file("params.json")) << spec.dump();

  const std::string command = "/usr/bin/python3 " + std::string(PROSPECT_SOURCE_DIR) +
                              "/tools/ml/xgboost_peer.py " + dir.file("table.csv") + " " +
                              dir.file("params.json") + " " + dir.file("rows.csv") + " " +
                              dir.file("out.csv");
  ASSERT_EQ(std::system(command.c_str()), 0) << command;

  std::vector<float> ours(60);
  model.predict(rows.data(), 60, 3, ours.data());
  std::ifstream peer(dir.file("out.csv"));
  double spread = 0;
  for (std::size_t k = 0; k < 60; ++k) {
    double theirs = 0;
    ASSERT_TRUE(peer >> theirs) << "row " << k;
    EXPECT_NEAR(ours[k], theirs, 1e-6) << "row " << k;
    spread = std::max(spread, double(std::abs(ours[k] - ours[0])));
  }
  EXPECT_GT(spread, 0.05);  // the rows are told apart: the check compares real predictions
}

}  // namespace

TEST(BoostingFit, GradientBoostingPredictsAsPythonXgboost) {
  LearnerSpec learner;
  learner.trees = 40;
  learner.depth = 3;
  expect_same_predictions_as_python(ModelType::gradient_boosting, learner);
}

TEST(BoostingFit, RandomForestPredictsAsPythonXgboost) {
  LearnerSpec learner;
  learner.trees = 50;
  expect_same_predictions_as_python(ModelType::random_forest, learner);
}

// XGBoost's random forest: one round of parallel trees, no shrinkage, rows and
// features subsampled; boosting: rounds of shallow trees with shrinkage.
TEST(BoostingFit, KindsGetTheirDefaults) {
  const LearnerParams forest = learner_params(ModelType::random_forest, {}, 9);
  EXPECT_EQ(forest.rounds, 1);
  auto value = [](const LearnerParams& p, const std::string& key) {
    for (const auto& [k, v] : p.params)
      if (k == key) return v;
    return std::string("(none)");
  };
  EXPECT_EQ(value(forest, "num_parallel_tree"), "500");
  EXPECT_EQ(value(forest, "eta"), "1");
  EXPECT_EQ(std::stod(value(forest, "colsample_bynode")), 3.0 / 9);  // sqrt(p) of p features
  EXPECT_EQ(value(forest, "nthread"), "1");
  const LearnerParams boosting = learner_params(ModelType::gradient_boosting, {}, 9);
  EXPECT_EQ(boosting.rounds, 200);
  EXPECT_EQ(value(boosting, "max_depth"), "4");
  EXPECT_EQ(std::stod(value(boosting, "eta")), 0.1);
}

// Gain on the informative features; the model names them in its JSON.
TEST(BoostingFit, ImportanceAndJsonNameTheFeatures) {
  LearnerSpec learner;
  learner.trees = 30;
  const TrainingTable table = synthetic_table();
  const XgbModel model(table, learner_params(ModelType::gradient_boosting, learner, 3));
  const std::vector<double> gain = model.gain(3);
  ASSERT_EQ(gain.size(), 3u);
  EXPECT_GT(gain[0], 0);  // distance drives the synthetic deposits most
  EXPECT_GT(gain[0], gain[1]);
  // XGBoost's JSON (it writes NaN where a split has no value, so not every JSON reader takes it).
  const std::string json = model.json();
  EXPECT_NE(json.find("\"feature_names\":[\"distance\",\"alteration\",\"soil\"]"),
            std::string::npos);
  EXPECT_NE(json.find("\"feature_types\":[\"q\",\"c\",\"q\"]"), std::string::npos);
}

// Partial dependence: each point is the mean prediction over the evaluation
// cells with the feature set to that value, here recomputed one row at a time.
// Deposits lie near (small distance), so the curve falls with distance.
TEST(BoostingFit, PartialDependenceIsTheMeanPredictionAtEachValue) {
  LearnerSpec learner;
  learner.trees = 30;
  TrainingTable table = synthetic_table();
  table.evaluation = std::vector<float>(table.values.begin(), table.values.begin() + 3 * 100);
  const XgbModel model(table, learner_params(ModelType::gradient_boosting, learner, 3));
  const PartialDependence pd = partial_dependence(model, table, 0);
  ASSERT_GE(pd.x.size(), 10u);
  EXPECT_FALSE(pd.categorical);
  for (std::size_t k = 0; k < pd.x.size(); k += 5) {
    double sum = 0;
    for (std::size_t r = 0; r < 100; ++r) {
      float row[3] = {float(pd.x[k]), table.evaluation[r * 3 + 1], table.evaluation[r * 3 + 2]};
      float y = 0;
      model.predict(row, 1, 3, &y);
      sum += y;
    }
    EXPECT_NEAR(pd.y[k], sum / 100, 1e-6) << "at " << pd.x[k];
  }
  EXPECT_GT(pd.y.front(), pd.y.back());
  const PartialDependence classes = partial_dependence(model, table, 1);
  EXPECT_TRUE(classes.categorical);
  EXPECT_EQ(classes.x, (std::vector<double>{0, 1, 2, 3}));
}

// TreeSHAP's local accuracy (Lundberg et al. 2020): a cell's contributions and
// the bias add up to its log-odds, here logit of the predicted probability.
TEST(BoostingFit, ContributionsAddUpToTheLogOdds) {
  LearnerSpec learner;
  learner.trees = 30;
  const TrainingTable table = synthetic_table();
  const XgbModel model(table, learner_params(ModelType::gradient_boosting, learner, 3));
  std::vector<float> contributions, probability(50);
  model.contributions(table.values.data(), 50, 3, contributions);
  model.predict(table.values.data(), 50, 3, probability.data());
  ASSERT_EQ(contributions.size(), 50u * 4);
  for (std::size_t r = 0; r < 50; ++r) {
    const double sum = double(contributions[r * 4]) + contributions[r * 4 + 1] +
                       contributions[r * 4 + 2] + contributions[r * 4 + 3];
    EXPECT_NEAR(sum, std::log(probability[r] / (1 - probability[r])), 1e-4) << "row " << r;
  }
}
