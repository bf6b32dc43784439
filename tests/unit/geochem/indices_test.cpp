#include "prospect/geochem/indices.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "prospect/core/error.hpp"
#include "prospect/evidence/field_expression.hpp"

using namespace prospect;
using ::testing::HasSubstr;

namespace {

const std::vector<std::string> k_columns = {"sample_id", "easting", "northing", "La_ppm", "Ce_ppm",
                                            "Pr_ppm",    "Nd_ppm",  "Sm_ppm",   "Eu_ppm", "Gd_ppm",
                                            "Tb_ppm",    "Dy_ppm",  "Ho_ppm",   "Er_ppm", "Tm_ppm",
                                            "Yb_ppm",    "Lu_ppm",  "Y_ppm",    "Th_ppm"};

// The index evaluated on one sample given as element -> ppm.
double evaluate(const std::string& index, const std::map<std::string, double>& ppm) {
  const FieldExpression e = FieldExpression::parse(index_expression(index, k_columns));
  std::vector<double> values;
  for (const std::string& f : e.fields()) values.push_back(ppm.at(f.substr(0, f.find('_'))));
  return e.evaluate(values);
}

}  // namespace

TEST(GeochemIndex, WrittenOutWithTheLayersColumns) {
  EXPECT_EQ(index_expression("(Dy/Yb)N", k_columns), "N(\"Dy_ppm\") / N(\"Yb_ppm\")");
  EXPECT_EQ(index_expression("Y/Ho", k_columns), "\"Y_ppm\" / \"Ho_ppm\"");
  EXPECT_EQ(index_expression("Eu/Eu*", k_columns),
            "N(\"Eu_ppm\") / sqrt(N(\"Sm_ppm\") * N(\"Gd_ppm\"))");
  EXPECT_EQ(index_elements("HREE/LREE"),
            (std::vector<std::string>{"Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu", "Y", "La",
                                      "Ce", "Pr", "Nd", "Sm", "Eu"}));
  EXPECT_EQ(index_template("ΣHREE / ΣLREE"), index_template("HREE/LREE"));
}

// Values worked by hand from the chondrite table: La 23.7 ppm is 100 x chondrite
// (0.237), Yb 1.61 is 10 x (0.161), so (La/Yb)N = 10; Sm 14.8 and Gd 19.9 are
// both 100 x, Eu 2.815 is 50 x (0.0563): Eu/Eu* = 50 / sqrt(100 x 100) = 0.5.
TEST(GeochemIndex, HandWorkedValues) {
  std::map<std::string, double> s = {{"La", 23.7}, {"Ce", 61.3},  {"Pr", 4.64}, {"Nd", 22.85},
                                     {"Sm", 14.8}, {"Eu", 2.815}, {"Gd", 19.9}, {"Tb", 3.61},
                                     {"Dy", 24.6}, {"Ho", 5.46},  {"Er", 16.0}, {"Tm", 2.47},
                                     {"Yb", 1.61}, {"Lu", 2.46},  {"Y", 157.0}};
  EXPECT_NEAR(evaluate("(La/Yb)N", s), 10.0, 1e-12);
  EXPECT_NEAR(evaluate("(Dy/Yb)N", s), 10.0, 1e-12);  // Dy 24.6 is 100 x (0.246)
  EXPECT_NEAR(evaluate("Eu/Eu*", s), 0.5, 1e-12);
  // Ce 61.3 is 100 x (0.613); La 100 x, Pr 4.64 is 50 x (0.0928): 100 / sqrt(5000).
  EXPECT_NEAR(evaluate("Ce/Ce*", s), 100.0 / std::sqrt(5000.0), 1e-12);
  EXPECT_NEAR(evaluate("Y/Ho", s), 157.0 / 5.46, 1e-12);
  const double lree = 23.7 + 61.3 + 4.64 + 22.85 + 14.8 + 2.815;
  const double hree = 19.9 + 3.61 + 24.6 + 5.46 + 16.0 + 2.47 + 1.61 + 2.46 + 157.0;
  EXPECT_NEAR(evaluate("HREE/LREE", s), hree / lree, 1e-12);
  EXPECT_NEAR(evaluate("HREE/TREE", s), hree / (hree + lree), 1e-12);
  EXPECT_NEAR(evaluate("TREE", s), hree + lree, 1e-9);
}

TEST(GeochemIndex, UnknownNamesListTheForms) {
  for (const char* bad : {"(Dy/Th)N", "Dy/Dy", "Eu/Eu", "HREE/MREE", "", "(Dy/Yb)"}) {
    try {
      index_template(bad);
      FAIL() << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::bad_model);
      EXPECT_THAT(e.hint(), HasSubstr("Eu/Eu*")) << bad;
    }
  }
}

TEST(GeochemIndex, MissingOrDoubledElementsAreNamed) {
  const std::vector<std::string> demo_before = {"Y_ppm",  "Dy_ppm", "Tb_ppm", "La_ppm",
                                                "Ce_ppm", "Nd_ppm", "Th_ppm"};
  try {
    index_expression("HREE/LREE", demo_before);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    EXPECT_THAT(e.problem(), HasSubstr("needs a column for Gd, Ho, Er, Tm, Yb, Lu, Pr, Sm, Eu"));
    EXPECT_THAT(e.problem(), HasSubstr("has rare-earth columns for La, Ce, Nd, Tb, Dy, Y"));
  }
  try {
    index_expression("Y/Ho", {"Y_ppm", "Ho_ppm", "HO (ppb)"});
    FAIL();
  } catch (const Error& e) {
    EXPECT_THAT(e.problem(), HasSubstr("Ho in Ho_ppm and HO (ppb)"));
  }
}
