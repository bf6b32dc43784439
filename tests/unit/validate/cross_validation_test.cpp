#include "prospect/validate/cross_validation.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

using namespace prospect;

namespace {
// Three clusters of deposits 100 m apart within, kilometres apart between, plus a loner.
void clustered(std::vector<double>& x, std::vector<double>& y) {
  x = {0, 100, 200, 5000, 5100, 10000, 10080, 10160, 10240, 20000};
  y = {0, 0, 0, 5000, 5000, 0, 0, 0, 0, 20000};
}
}  // namespace

TEST(PlanFolds, BlocksStayInOneFold) {
  std::vector<double> x, y;
  clustered(x, y);
  const FoldPlan plan = plan_folds(x, y, 3, 150, 7);
  ASSERT_EQ(plan.folds, 3);
  EXPECT_EQ(plan.blocks, 4);
  EXPECT_EQ(plan.fold_of[0], plan.fold_of[1]);
  EXPECT_EQ(plan.fold_of[1], plan.fold_of[2]);
  EXPECT_EQ(plan.fold_of[3], plan.fold_of[4]);
  for (int d : {6, 7, 8}) EXPECT_EQ(plan.fold_of[5], plan.fold_of[std::size_t(d)]);
  // Largest block (4) alone, then 3, then 2 + 1 share the emptiest fold.
  std::vector<int> per_fold(3, 0);
  for (int f : plan.fold_of) ++per_fold[std::size_t(f)];
  EXPECT_EQ(std::multiset<int>(per_fold.begin(), per_fold.end()), (std::multiset<int>{4, 3, 3}));
}

TEST(PlanFolds, ChainsOfNeighboursAreOneBlock) {
  // Each 90 m from the next: 0 and 270 are farther apart than 100 but linked.
  const FoldPlan plan = plan_folds({0, 90, 180, 270, 5000}, {0, 0, 0, 0, 0}, 2, 100, 1);
  EXPECT_EQ(plan.blocks, 2);
  EXPECT_EQ(plan.fold_of[0], plan.fold_of[3]);
  EXPECT_NE(plan.fold_of[0], plan.fold_of[4]);
}

TEST(PlanFolds, SameSeedSameFoldsAndEveryFoldUsed) {
  std::vector<double> x, y;
  for (int i = 0; i < 50; ++i) {
    x.push_back(i * 1000.0);
    y.push_back((i * 37 % 11) * 1000.0);
  }
  const FoldPlan a = plan_folds(x, y, 10, 0, 42), b = plan_folds(x, y, 10, 0, 42),
                 c = plan_folds(x, y, 10, 0, 43);
  EXPECT_EQ(a.fold_of, b.fold_of);
  EXPECT_NE(a.fold_of, c.fold_of);
  std::vector<int> per_fold(10, 0);
  for (int f : a.fold_of) ++per_fold[std::size_t(f)];
  for (int n : per_fold) EXPECT_EQ(n, 5);
}

TEST(PlanFolds, LeaveOneOutIsOneFoldPerBlock) {
  std::vector<double> x, y;
  clustered(x, y);
  EXPECT_EQ(plan_folds(x, y, 0, 0, 1).folds, 10);
  EXPECT_EQ(plan_folds(x, y, 0, 150, 1).folds, 4);
}

TEST(PlanFolds, FewerDepositsThanFoldsRunsOneFoldEachWithANote) {
  const FoldPlan plan = plan_folds({0, 1000, 2000}, {0, 0, 0}, 10, 0, 1);
  EXPECT_EQ(plan.folds, 3);
  EXPECT_NE(plan.note.find("only 3 blocks"), std::string::npos) << plan.note;
}

TEST(PlanFolds, AllDepositsInOneBlockIsReportedNotRun) {
  const FoldPlan plan = plan_folds({0, 50, 100}, {0, 0, 0}, 5, 1000, 1);
  EXPECT_EQ(plan.folds, 0);
  EXPECT_NE(plan.problem.find("one block"), std::string::npos) << plan.problem;
  EXPECT_EQ(plan_folds({0}, {0}, 5, 0, 1).folds, 0);
  EXPECT_EQ(plan_folds({}, {}, 5, 0, 1).folds, 0);
}

TEST(FoldSpread, MeanAndSampleStandardDeviation) {
  const FoldSpread s = fold_spread({0.6, 0.8, 1.0});
  EXPECT_NEAR(s.mean, 0.8, 1e-12);
  EXPECT_NEAR(s.std_dev, 0.2, 1e-12);  // sqrt((0.04 + 0 + 0.04) / 2)
  EXPECT_EQ(s.min, 0.6);
  EXPECT_EQ(s.max, 1.0);
}
