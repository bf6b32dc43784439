#include "prospect/output/zones.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <vector>

using namespace prospect;

namespace {

// Reference: flood fill on the whole grid, zones numbered by first cell in
// row-major order *of the grid*.
std::vector<int> flood_fill(const std::vector<unsigned char>& mask, int w, int h, int* count) {
  std::vector<int> zone(mask.size(), 0);
  *count = 0;
  for (int start = 0; start < w * h; ++start) {
    if (!mask[std::size_t(start)] || zone[std::size_t(start)]) continue;
    ++*count;
    std::vector<int> stack = {start};
    zone[std::size_t(start)] = *count;
    while (!stack.empty()) {
      const int i = stack.back();
      stack.pop_back();
      const int r = i / w, c = i % w;
      const int next[4][2] = {{r - 1, c}, {r + 1, c}, {r, c - 1}, {r, c + 1}};
      for (const auto& n : next) {
        if (n[0] < 0 || n[1] < 0 || n[0] >= h || n[1] >= w) continue;
        const int j = n[0] * w + n[1];
        if (mask[std::size_t(j)] && !zone[std::size_t(j)]) {
          zone[std::size_t(j)] = *count;
          stack.push_back(j);
        }
      }
    }
  }
  return zone;
}

}  // namespace

// The streamed labels must partition the cells exactly as a whole-grid flood fill
// does, whatever the tile size (same zones, same cell counts).
TEST(ZoneLabeller, MatchesAFloodFillAcrossTileEdges) {
  std::mt19937 rng(7);
  const int w = 97, h = 83;
  for (double density : {0.3, 0.55, 0.7}) {
    std::vector<unsigned char> mask(std::size_t(w) * h);
    for (auto& m : mask) m = (rng() % 1000) < density * 1000 ? 1 : 0;
    int expected_count = 0;
    const auto expected = flood_fill(mask, w, h, &expected_count);
    for (int tile : {5, 16, 40, 200}) {
      ZoneLabeller z(w);
      std::vector<std::int32_t> labels(mask.size());
      std::vector<std::int32_t> tile_labels;
      std::vector<unsigned char> tile_mask;
      for (const Tile& t : make_tiles(w, h, tile)) {
        const Window& win = t.window;
        tile_mask.resize(win.cell_count());
        tile_labels.resize(win.cell_count());
        for (int r = 0; r < win.height; ++r)
          for (int c = 0; c < win.width; ++c)
            tile_mask[std::size_t(r) * win.width + c] =
                mask[std::size_t(win.row + r) * w + win.col + c];
        z.label_tile(win, tile_mask.data(), tile_labels.data());
        for (int r = 0; r < win.height; ++r)
          for (int c = 0; c < win.width; ++c)
            labels[std::size_t(win.row + r) * w + win.col + c] =
                tile_labels[std::size_t(r) * win.width + c];
      }
      z.finish();
      ASSERT_EQ(z.zone_count(), expected_count) << "tile " << tile;
      // Same partition: a one-to-one map between our zones and the reference's.
      std::map<int, int> ours_to_ref, ref_to_ours;
      std::map<int, std::int64_t> cells;
      for (std::size_t i = 0; i < mask.size(); ++i) {
        const int ours = z.zone_of(labels[i]);
        ASSERT_EQ(ours == 0, expected[i] == 0);
        if (!ours) continue;
        ++cells[ours];
        auto [a, new_a] = ours_to_ref.emplace(ours, expected[i]);
        auto [b, new_b] = ref_to_ours.emplace(expected[i], ours);
        ASSERT_EQ(a->second, expected[i]);
        ASSERT_EQ(b->second, ours);
      }
      for (const auto& [zone, n] : cells) EXPECT_EQ(z.zone_cells(zone), n);
    }
  }
}

TEST(ZoneLabeller, DiagonalNeighboursAreSeparateZones) {
  const unsigned char mask[4] = {1, 0, 0, 1};
  std::int32_t labels[4];
  ZoneLabeller z(2);
  z.label_tile({0, 0, 2, 2}, mask, labels);
  z.finish();
  EXPECT_EQ(z.zone_count(), 2);
}

// A second pass that only numbers hands out the first pass's provisional
// labels again, tile for tile (write_targets relies on it instead of storing them).
TEST(ZoneLabeller, NumberingOnlyRepeatsTheProvisionalLabels) {
  std::mt19937 rng(11);
  const int w = 70, h = 45;
  std::vector<unsigned char> mask(std::size_t(w) * h);
  for (auto& m : mask) m = (rng() % 100) < 55 ? 1 : 0;
  ZoneLabeller first(w);
  ZoneLabeller again = ZoneLabeller::numbering_only(w);
  std::vector<unsigned char> tile_mask;
  std::vector<std::int32_t> a, b;
  for (const Tile& t : make_tiles(w, h, 16)) {
    const Window& win = t.window;
    tile_mask.resize(win.cell_count());
    for (int r = 0; r < win.height; ++r)
      for (int c = 0; c < win.width; ++c)
        tile_mask[std::size_t(r) * win.width + c] =
            mask[std::size_t(win.row + r) * w + win.col + c];
    a.resize(win.cell_count());
    b.resize(win.cell_count());
    first.label_tile(win, tile_mask.data(), a.data());
    again.label_tile(win, tile_mask.data(), b.data());
    ASSERT_EQ(a, b) << "tile at " << win.col << ", " << win.row;
  }
}
