#include "prospect/raster/overviews.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace prospect;

TEST(Overviews, LevelsFollowTheCogRule) {
  EXPECT_EQ(overview_levels(8000, 8000, 512), 4);  // 4000, 2000, 1000, 500
  EXPECT_EQ(overview_levels(512, 300, 512), 0);
  EXPECT_EQ(overview_levels(513, 10, 512), 1);
}

// Each level against a direct average of the full-resolution cells it covers
// (valid cells only), for a tile with odd edges and nodata.
TEST(Overviews, PyramidAveragesTheValidCellsBelow) {
  std::mt19937 rng(1);
  const Window tile{64, 32, 29, 23};  // starts on a multiple of 2^2, odd size
  std::vector<float> v(tile.cell_count());
  for (auto& x : v) x = (rng() % 7 == 0) ? NAN : float(rng() % 1000) / 10.0f;
  const TilePyramid p = build_pyramid(tile, v.data(), 2);
  ASSERT_EQ(p.windows.size(), 2u);
  EXPECT_EQ(p.windows[0], (Window{32, 16, 15, 12}));
  EXPECT_EQ(p.windows[1], (Window{16, 8, 8, 6}));
  // Level 1 exactly; level 2 is an average of level-1 averages (display only).
  for (int r = 0; r < 12; ++r)
    for (int c = 0; c < 15; ++c) {
      double sum = 0;
      int n = 0;
      for (int dr = 0; dr < 2; ++dr)
        for (int dc = 0; dc < 2; ++dc) {
          const int sr = 2 * r + dr, sc = 2 * c + dc;
          if (sr >= tile.height || sc >= tile.width) continue;
          const float x = v[std::size_t(sr) * tile.width + sc];
          if (!std::isnan(x)) {
            sum += x;
            ++n;
          }
        }
      const float got = p.values[0][std::size_t(r) * 15 + c];
      if (n == 0)
        EXPECT_TRUE(std::isnan(got));
      else
        EXPECT_NEAR(got, sum / n, 1e-4);
    }
}

TEST(Overviews, ClassCodesTakeTheMostFrequentValidCode) {
  // 4 x 2 cells: block 1 = {3, 3, 5, NaN} -> 3; block 2 = {7, 2, 2, 7} -> tie, smallest: 2.
  const float nan = std::nanf("");
  const std::vector<float> v = {3, 3, 7, 2, 5, nan, 2, 7};
  const TilePyramid p = build_pyramid({0, 0, 4, 2}, v.data(), 1, PyramidRule::mode);
  ASSERT_EQ(p.values[0].size(), 2u);
  EXPECT_EQ(p.values[0][0], 3.0f);
  EXPECT_EQ(p.values[0][1], 2.0f);
  const TilePyramid mean = build_pyramid({0, 0, 4, 2}, v.data(), 1);
  EXPECT_FLOAT_EQ(mean.values[0][0], 11.0f / 3.0f);
}

TEST(Overviews, TilePyramidsOnlyWhenTilesLineUpWithEveryLevel) {
  EXPECT_EQ(tile_pyramid_levels(8000, 8000, 512), 4);  // 512 divides by 2^4
  EXPECT_EQ(tile_pyramid_levels(8000, 8000, 80), 0);   // 7 levels, 80 not a multiple of 128
  EXPECT_EQ(tile_pyramid_levels(300, 300, 512), 0);    // fits in one block: none needed
}
