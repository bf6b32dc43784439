#include "prospect/geochem/elements.hpp"

#include <gtest/gtest.h>

using namespace prospect;

TEST(RareEarthElements, FifteenInOrderWithChondriteValues) {
  const auto& table = rare_earth_elements();
  ASSERT_EQ(table.size(), 15u);
  EXPECT_STREQ(table.front().symbol, "La");
  EXPECT_STREQ(table[13].symbol, "Lu");
  EXPECT_STREQ(table.back().symbol, "Y");
  // Spot values of McDonough & Sun (1995), Table 1, CI chondrite (ppm).
  EXPECT_DOUBLE_EQ(find_rare_earth("La")->chondrite, 0.237);
  EXPECT_DOUBLE_EQ(find_rare_earth("Eu")->chondrite, 0.0563);
  EXPECT_DOUBLE_EQ(find_rare_earth("Dy")->chondrite, 0.246);
  EXPECT_DOUBLE_EQ(find_rare_earth("Yb")->chondrite, 0.161);
  EXPECT_DOUBLE_EQ(find_rare_earth("Y")->chondrite, 1.57);
  int heavy = 0;
  for (const auto& e : table) heavy += e.heavy;
  EXPECT_EQ(heavy, 9);  // Gd-Lu and Y
  EXPECT_FALSE(find_rare_earth("Eu")->heavy);
  EXPECT_TRUE(find_rare_earth("Gd")->heavy);
  EXPECT_EQ(find_rare_earth("Pm"), nullptr);
}

TEST(ElementColumn, ReadsSymbolAndUnitFromTheName) {
  struct Case {
    const char* column;
    const char* symbol;
    double to_ppm;
  };
  for (const Case& c : {Case{"Dy_ppm", "Dy", 1}, Case{"DY (ppb)", "Dy", 1e-3}, Case{"dy", "Dy", 1},
                        Case{"Y", "Y", 1}, Case{"Yb_pct", "Yb", 1e4}, Case{"Lu %", "Lu", 1e4},
                        Case{"La_ICP_ppm", "La", 1}, Case{"Ce g/t", "Ce", 1}}) {
    const auto e = element_column(c.column);
    ASSERT_TRUE(e) << c.column;
    EXPECT_STREQ(e->element->symbol, c.symbol) << c.column;
    EXPECT_DOUBLE_EQ(e->to_ppm, c.to_ppm) << c.column;
  }
}

TEST(ElementColumn, OxidesAndOtherColumnsAreNotElements) {
  for (const char* column :
       {"Dy2O3_ppm", "Th_ppm", "sample_id", "easting", "TREO_pct", "Dysprosium", "", "_Dy"})
    EXPECT_FALSE(element_column(column)) << column;
}
