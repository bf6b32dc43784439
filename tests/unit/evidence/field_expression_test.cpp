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

// Compositional functions, worked by hand: with parts 1, e^2, e^4 the logs are
// 0, 2, 4, so clr of the first is 0 - 2 = -2 and the balance of the first two
// against the third is sqrt(2 x 1 / 3) x ((0 + 2) / 2 - 4) = -3 sqrt(2/3).
TEST(FieldExpression, CompositionalFunctions) {
  const std::vector<double> parts = {1.0, std::exp(2.0), std::exp(4.0)};
  EXPECT_NEAR(FieldExpression::parse("clr(a, b, c)").evaluate(parts), -2.0, 1e-12);
  EXPECT_NEAR(FieldExpression::parse("clr(c, a, b)").evaluate({parts[2], parts[0], parts[1]}), 2.0,
              1e-12);
  EXPECT_NEAR(FieldExpression::parse("balance(a, b | c)").evaluate(parts),
              -3.0 * std::sqrt(2.0 / 3.0), 1e-12);
  EXPECT_NEAR(FieldExpression::parse("gmean(a, b, c)").evaluate(parts), std::exp(2.0), 1e-12);
  EXPECT_NEAR(FieldExpression::parse("ln(a / b)").evaluate(parts), -2.0, 1e-12);  // alr
  EXPECT_DOUBLE_EQ(FieldExpression::parse("log10(x) + sqrt(y)").evaluate({1000, 16}), 7.0);
  // The parts of clr() may be expressions: a sum of parts is one part.
  EXPECT_NEAR(FieldExpression::parse("clr(a + b, c)").evaluate({1, 3, 4}), 0.0, 1e-12);
}

TEST(FieldExpression, LogsOfNonPositiveValuesAreNaN) {
  EXPECT_TRUE(FieldExpression::parse("clr(a, b)").takes_logs());
  EXPECT_TRUE(FieldExpression::parse("ln(a)").takes_logs());
  EXPECT_FALSE(FieldExpression::parse("sqrt(a) / b").takes_logs());
  EXPECT_TRUE(std::isnan(FieldExpression::parse("clr(a, b)").evaluate({0, 1})));
  EXPECT_TRUE(std::isnan(FieldExpression::parse("balance(a | b)").evaluate({1, -2})));
  EXPECT_TRUE(std::isnan(FieldExpression::parse("ln(a)").evaluate({0})));
  EXPECT_TRUE(std::isnan(FieldExpression::parse("sqrt(a)").evaluate({-1})));
}

// N() divides by the element's CI-chondrite value (McDonough & Sun 1995) and
// converts the column's unit: Dy 24.6 ppm = 24,600 ppb = 100 x chondrite (0.246).
TEST(FieldExpression, ChondriteNormalisation) {
  EXPECT_NEAR(FieldExpression::parse("N(Dy_ppm)").evaluate({24.6}), 100.0, 1e-12);
  EXPECT_NEAR(FieldExpression::parse("N(\"DY (ppb)\")").evaluate({24600}), 100.0, 1e-9);
  const auto e = FieldExpression::parse("N(Dy_ppm) / N(Yb_ppm)");
  EXPECT_EQ(e.fields(), (std::vector<std::string>{"Dy_ppm", "Yb_ppm"}));
  EXPECT_NEAR(e.evaluate({24.6, 1.61}), 10.0, 1e-12);
}

TEST(FieldExpression, FunctionErrorsSayWhatIsWrong) {
  struct Case {
    const char* text;
    const char* says;
  };
  for (const Case& c :
       {Case{"N(Th_ppm)", "does not name one"}, Case{"N(Dy2O3)", "not an oxide"},
        Case{"N(Dy + Yb)", "N() takes one field name"},
        Case{"cos(Dy)", "there is no function 'cos'"}, Case{"ln(a, b)", "ln() takes one value"},
        Case{"clr(a)", "clr() needs the part and at least one more"},
        Case{"balance(a, b)", "balance() needs two groups"},
        Case{"gmean(a | b)", "'|' only parts the two groups"},
        Case{"ln(a", "expected ',' or ')'"}}) {
    try {
      FieldExpression::parse(c.text);
      FAIL() << c.text;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::bad_model);
      EXPECT_THAT(e.what(), ::testing::HasSubstr(c.says)) << c.text;
    }
  }
}
