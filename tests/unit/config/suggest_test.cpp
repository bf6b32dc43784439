#include "prospect/config/suggest.hpp"

#include <gtest/gtest.h>

using namespace prospect;

TEST(Suggest, EditDistance) {
  EXPECT_EQ(edit_distance("extent", "extent"), 0);
  EXPECT_EQ(edit_distance("extnt", "extent"), 1);
  EXPECT_EQ(edit_distance("exetnt", "extent"), 1);  // neighbours swapped
  EXPECT_EQ(edit_distance("Cell_Size", "cell_size"), 0);
  EXPECT_EQ(edit_distance("", "abc"), 3);
}

TEST(Suggest, ClosestMatchOnlyForLikelyTypos) {
  const std::vector<std::string> keys = {"crs", "cell_size", "extent", "snap", "like"};
  EXPECT_EQ(closest_match("extnt", keys), "extent");
  EXPECT_EQ(closest_match("cellsize", keys), "cell_size");
  EXPECT_EQ(closest_match("resolution", keys), "");
}
