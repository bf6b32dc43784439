#include "prospect/evidence/field_expression.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "prospect/core/error.hpp"

using namespace prospect;

TEST(FieldExpression, PlainFieldIsItself) {
  const auto e = FieldExpression::parse("Dy_ppm");
  EXPECT_TRUE(e.is_single_field());
  ASSERT_EQ(e.fields(), std::vector<std::string>{"Dy_ppm"});
  EXPECT_EQ(e.evaluate({7.5}), 7.5);
}

TEST(FieldExpression, PrecedenceParenthesesAndRepeatedFields) {
  // Each field listed once, in order of first use; the values checked by hand.
  const auto e = FieldExpression::parse("(Dy + Tb + Y) / TREE - 2 * Dy / -4");
  EXPECT_FALSE(e.is_single_field());
  ASSERT_EQ(e.fields(), (std::vector<std::string>{"Dy", "Tb", "Y", "TREE"}));
  // (10 + 2 + 88) / 400 - 2 * 10 / -4 = 0.25 + 5
  EXPECT_DOUBLE_EQ(e.evaluate({10, 2, 88, 400}), 5.25);
  EXPECT_DOUBLE_EQ(FieldExpression::parse("1 - 2 - 3").evaluate({}), -4.0);  // left to right
  EXPECT_DOUBLE_EQ(FieldExpression::parse("8 / 4 / 2").evaluate({}), 1.0);
}

TEST(FieldExpression, QuotedNamesAndDivisionByZero) {
  const auto e = FieldExpression::parse("\"Dy (ppm)\" / \"Y (ppm)\"");
  ASSERT_EQ(e.fields(), (std::vector<std::string>{"Dy (ppm)", "Y (ppm)"}));
  EXPECT_DOUBLE_EQ(e.evaluate({3, 4}), 0.75);
  EXPECT_TRUE(std::isnan(e.evaluate({3, 0})));
}

TEST(FieldExpression, ErrorsSayWhere) {
  for (const char* bad : {"Dy +", "(Dy / Y", "Dy Y", "Dy / * Y", "", "\"Dy"}) {
    try {
      FieldExpression::parse(bad);
      FAIL() << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::bad_model);
      EXPECT_THAT(e.what(), ::testing::HasSubstr("at character")) << bad;
    }
  }
}

// 100,000 nested parentheses used to overflow the stack; now a clear error. A
// hundred levels still parse, and evaluate to the same value as flat text.
TEST(FieldExpression, NestingIsBoundedNotAStackOverflow) {
  for (const std::string& open : {std::string(100000, '('), std::string(100000, '-')}) {
    const std::string text = open + "Dy" + (open[0] == '(' ? std::string(100000, ')') : "");
    try {
      FieldExpression::parse(text);
      FAIL() << "accepted " << open[0] << " nested 100000 deep";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::bad_model);
      EXPECT_THAT(e.what(), ::testing::HasSubstr("nest more than 100 deep"));
      EXPECT_LT(std::string(e.what()).size(), 600u);  // the text is shown cut short
    }
  }
  std::string deep = "Dy";
  for (int i = 0; i < 99; ++i) deep = "(" + deep + " + 1)";
  EXPECT_DOUBLE_EQ(FieldExpression::parse(deep).evaluate({2}), 101.0);
}
