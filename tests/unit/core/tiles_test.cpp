#include "prospect/core/tiles.hpp"

#include <gtest/gtest.h>

#include <vector>

using namespace prospect;

TEST(Tiles, CoverTheGridExactlyOnceInRowMajorOrder) {
  const int w = 1000, h = 700, size = 256;
  const auto tiles = make_tiles(w, h, size);
  ASSERT_EQ(tiles.size(), 4u * 3u);
  std::vector<int> hits(std::size_t(w) * h, 0);
  for (std::size_t i = 0; i < tiles.size(); ++i) {
    EXPECT_EQ(tiles[i].index, i);
    const Window& t = tiles[i].window;
    EXPECT_EQ(t.col % size, 0);  // block-aligned
    EXPECT_EQ(t.row % size, 0);
    for (int r = t.row; r < t.row + t.height; ++r)
      for (int c = t.col; c < t.col + t.width; ++c) ++hits[std::size_t(r) * w + c];
  }
  for (int v : hits) ASSERT_EQ(v, 1);
  EXPECT_EQ(tiles.back().window, (Window{768, 512, 232, 188}));
}

TEST(Tiles, HaloGrowsAndClipsToTheGrid) {
  EXPECT_EQ(with_halo({0, 0, 10, 10}, 3, 100, 100), (Window{0, 0, 13, 13}));
  EXPECT_EQ(with_halo({50, 50, 10, 10}, 3, 100, 100), (Window{47, 47, 16, 16}));
  EXPECT_EQ(with_halo({90, 95, 10, 5}, 3, 100, 100), (Window{87, 92, 13, 8}));
}
