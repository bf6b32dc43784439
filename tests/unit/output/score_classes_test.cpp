#include "prospect/output/score_classes.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace prospect;

namespace {

std::vector<std::string> labels_of(const std::vector<ScoreClass>& classes) {
  std::vector<std::string> labels;
  for (const ScoreClass& c : classes) labels.push_back(c.label);
  return labels;
}

}  // namespace

TEST(ScoreClasses, WithoutTiesEachClassIsTheShareAsked) {
  const auto classes =
      score_classes({{50, 0.3, 50}, {25, 0.5, 25}, {10, 0.7, 10}, {5, 0.8, 5}, {1, 0.9, 1}});
  EXPECT_EQ(labels_of(classes),
            (std::vector<std::string>{"lower 50 % (< 0.3)", "top 50–25 % (0.3–0.5)",
                                      "top 25–10 % (0.5–0.7)", "top 10–5 % (0.7–0.8)",
                                      "top 5–1 % (0.8–0.9)", "top 1 % (≥ 0.9)"}));
  EXPECT_EQ(classes.front().colour, score_class_colours().front());
  EXPECT_EQ(classes.back().colour, score_class_colours().back());
}

// The demo's Dy map: 53 % of the cells score exactly 0, so the break asked at
// "top 50 %" is 0 and every cell reaches it. There used to be an empty class
// "lower 50 % (< 0)" while the zeros were drawn as "top 50–25 %".
TEST(ScoreClasses, TiesAtZeroLeaveNoEmptyClassAndSayTheRealShare) {
  const auto classes =
      score_classes({{50, 0.0, 100}, {25, 0.2, 25}, {10, 0.5, 10}, {5, 0.7, 5}, {1, 0.9, 1}});
  ASSERT_EQ(classes.size(), 5u);
  EXPECT_EQ(classes[0].label, "lower 75 % (0–0.2)");
  EXPECT_EQ(classes[1].label, "top 25–10 % (0.2–0.5)");
  EXPECT_EQ(score_class_of(classes, 0.0), 0u);   // the zeros are in the lower 75 %
  EXPECT_EQ(score_class_of(classes, 0.2f), 1u);  // cells are floats, and so are the breaks
  EXPECT_EQ(classes.back().colour, score_class_colours().back());
  EXPECT_EQ(classes.front().colour, score_class_colours()[1]);  // fewer classes skip the dark end

  // A tie at a class above the bottom: the share below it is what remains.
  const auto tied =
      score_classes({{50, 0.0, 53.2}, {25, 0.0, 53.2}, {10, 0.5, 10}, {5, 0.7, 5}, {1, 0.9, 1}});
  EXPECT_EQ(
      labels_of(tied),
      (std::vector<std::string>{"lower 46.8 % (< 0)", "top 53.2–10 % (0–0.5)",
                                "top 10–5 % (0.5–0.7)", "top 5–1 % (0.7–0.9)", "top 1 % (≥ 0.9)"}));
}

TEST(ScoreClasses, NeighbouringValuesGetDigitsEnoughToTellThemApart) {
  const auto classes = score_classes({{10, 0.031200, 10}, {5, 0.031204, 5}});
  EXPECT_EQ(labels_of(classes),
            (std::vector<std::string>{"lower 90 % (< 0.0312)", "top 10–5 % (0.0312–0.031204)",
                                      "top 5 % (≥ 0.031204)"}));
}

TEST(ScoreClasses, ACellEqualToABreakIsInTheHigherClass) {
  const auto classes = score_classes({{50, 1, 50}, {10, 2, 10}});
  EXPECT_EQ(score_class_of(classes, 0.999), 0u);
  EXPECT_EQ(score_class_of(classes, 1), 1u);
  EXPECT_EQ(score_class_of(classes, 2), 2u);
  EXPECT_EQ(score_class_of(classes, 1e30), 2u);
  EXPECT_TRUE(score_classes({}).empty());
}
