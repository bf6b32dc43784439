#include "prospect/models/score_tree.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace prospect;

namespace {
ScoreNode leaf(int e) {
  ScoreNode n;
  n.evidence = e;
  return n;
}
ScoreNode node(FuzzyOperator op, std::vector<ScoreNode> children, double gamma = 0.9) {
  ScoreNode n;
  n.op.op = op;
  n.op.gamma = gamma;
  n.children = std::move(children);
  return n;
}
}  // namespace

TEST(ScoreTree, NestedOperatorsMatchAHandEvaluation) {
  // gamma(0.8, [a, and(b, c)]) on two cells.
  const float a[2] = {0.9f, 0.1f}, b[2] = {0.6f, 0.5f}, c[2] = {0.3f, 0.7f};
  const ScoreNode tree =
      node(FuzzyOperator::gamma, {leaf(0), node(FuzzyOperator::and_, {leaf(1), leaf(2)})}, 0.8);
  float out[2];
  evaluate(tree, {a, b, c}, out, 2);
  for (int i = 0; i < 2; ++i) {
    const double m = std::min(b[i], c[i]);
    const double sum = 1 - (1 - a[i]) * (1 - m);
    const double prod = a[i] * m;
    EXPECT_NEAR(out[i], std::pow(sum, 0.8) * std::pow(prod, 0.2), 1e-6);
  }
  EXPECT_EQ(used_evidence(tree), (std::vector<int>{0, 1, 2}));
}

TEST(ScoreTree, CompositeIsTheNormalisedWeightedSum) {
  const float dy[2] = {0.5f, 1.0f}, tb[2] = {1.0f, 0.0f}, y[2] = {0.0f, 0.5f};
  float out[2];
  weighted_composite({dy, tb, y}, {239, 507, 3}, out, 2);
  EXPECT_NEAR(out[0], (239 * 0.5 + 507 * 1.0) / 749.0, 1e-6);
  EXPECT_NEAR(out[1], (239 * 1.0 + 3 * 0.5) / 749.0, 1e-6);
}
