#include "prospect/output/quantile.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <random>

using namespace prospect;

TEST(FloatOrderKey, PreservesOrderAcrossSignsAndRoundTrips) {
  const std::vector<float> v = {-1e30f, -2.5f, -0.0f, 0.0f, 1e-30f, 0.25f, 1.0f, 3e38f};
  for (std::size_t i = 0; i + 1 < v.size(); ++i)
    EXPECT_LE(float_order_key(v[i]), float_order_key(v[i + 1])) << v[i];
  for (float x : v) EXPECT_EQ(float_from_order_key(float_order_key(x)), x);
}

TEST(TopValueSelector, MatchesASortOnRandomDataWithTiesAndGaps) {
  std::mt19937 rng(42);
  std::uniform_real_distribution<float> u(-2.0f, 2.0f);
  std::vector<float> values(100000);
  for (auto& x : values) x = (rng() % 10 == 0) ? std::round(u(rng) * 4) / 4 : u(rng);
  values[17] = std::numeric_limits<float>::quiet_NaN();  // missing cells are not counted
  std::vector<float> sorted;
  for (float x : values)
    if (!std::isnan(x)) sorted.push_back(x);
  std::sort(sorted.begin(), sorted.end(), std::greater<float>());

  for (std::uint64_t k :
       {std::uint64_t(1), std::uint64_t(500), std::uint64_t(31337), std::uint64_t(sorted.size())}) {
    TopValueSelector s;
    for (std::size_t i = 0; i < values.size(); i += 4096)  // in tiles
      s.count_pass1(values.data() + i, std::min<std::size_t>(4096, values.size() - i));
    ASSERT_EQ(s.population(), sorted.size());
    s.start_pass2(k);
    for (std::size_t i = 0; i < values.size(); i += 4096)
      s.count_pass2(values.data() + i, std::min<std::size_t>(4096, values.size() - i));
    EXPECT_EQ(s.value(), sorted[k - 1]) << "k=" << k;
  }
}

TEST(TopValueSelector, SeveralRanksInOnePassMatchASort) {
  std::mt19937 rng(7);
  std::normal_distribution<float> g(0.5f, 0.2f);
  std::vector<float> values(50000);
  for (auto& x : values) x = (rng() % 7 == 0) ? 0.25f : g(rng);  // a heavy tie, like a floor
  std::vector<float> sorted = values;
  std::sort(sorted.begin(), sorted.end(), std::greater<float>());
  // Ranks in any order, two in one bucket and one repeated.
  const std::vector<std::uint64_t> ranks = {25000, 1, 500, 501, 500, 50000, 12500};
  TopValueSelector s;
  s.count_pass1(values.data(), values.size());
  s.start_pass2(ranks);
  for (std::size_t i = 0; i < values.size(); i += 1000) s.count_pass2(values.data() + i, 1000);
  for (std::size_t r = 0; r < ranks.size(); ++r) {
    EXPECT_EQ(s.value(r), sorted[ranks[r] - 1]) << "k=" << ranks[r];
    // Counted the other way: every value at or above, ties with the cut included.
    const float cut = s.value(r);
    const auto at_or_above = std::uint64_t(
        std::count_if(values.begin(), values.end(), [&](float x) { return x >= cut; }));
    EXPECT_EQ(s.count_at_or_above(r), at_or_above) << "k=" << ranks[r];
    EXPECT_GE(s.count_at_or_above(r), ranks[r]);
  }
}

// Pass two on three "threads": each copy counts every third tile, then the
// copies merge into the same values a single pass finds.
TEST(TopValueSelector, PassTwoSplitOverCopiesMatchesASort) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  std::vector<float> values(60000);
  for (auto& x : values) x = (rng() % 5 == 0) ? 0.5f : u(rng);
  std::vector<float> sorted = values;
  std::sort(sorted.begin(), sorted.end(), std::greater<float>());
  const std::vector<std::uint64_t> ranks = {1, 600, 3000, 30000, 60000};
  TopValueSelector s;
  s.count_pass1(values.data(), values.size());
  s.start_pass2(ranks);
  std::vector<TopValueSelector> copies(3, s.pass2_copy());
  for (std::size_t t = 0; t * 1000 < values.size(); ++t)
    copies[t % 3].count_pass2(values.data() + t * 1000, 1000);
  for (const auto& c : copies) s.merge_pass2(c);
  for (std::size_t r = 0; r < ranks.size(); ++r)
    EXPECT_EQ(s.value(r), sorted[ranks[r] - 1]) << "k=" << ranks[r];
}

// Pass two looks for its buckets 8 cells at a time when there are few (the
// style's breaks) and by table when many: both find a sort's values, in tiles
// of odd sizes (cells left over after the groups of 8), with negatives, +Inf,
// and NaNs whose bits lie in the same bucket as +Inf (never counted).
TEST(TopValueSelector, FewOrManyBucketsInOddTilesMatchASort) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::vector<float> values(40001);
  for (auto& x : values) x = u(rng);
  const float inf = std::numeric_limits<float>::infinity();
  const std::uint32_t nan_bits_near_inf = 0x7f800001u;  // a NaN: exponent all ones, mantissa 1
  float nan_near_inf;
  std::memcpy(&nan_near_inf, &nan_bits_near_inf, sizeof nan_near_inf);
  ASSERT_TRUE(std::isnan(nan_near_inf));
  for (std::size_t i : {5u, 900u, 31000u}) values[i] = inf;
  for (std::size_t i : {6u, 7u, 12345u, 40000u}) values[i] = nan_near_inf;
  std::vector<float> sorted;
  for (float x : values)
    if (!std::isnan(x)) sorted.push_back(x);
  std::sort(sorted.begin(), sorted.end(), std::greater<float>());
  std::vector<std::uint64_t> few = {1, 3, 4, 400, 20000};
  std::vector<std::uint64_t> many;
  for (std::uint64_t k = 1; k <= sorted.size(); k += 1999) many.push_back(k);
  ASSERT_GT(many.size(), 8u);
  for (const auto& ranks : {few, many}) {
    TopValueSelector s;
    s.count_pass1(values.data(), values.size());
    ASSERT_EQ(s.population(), sorted.size());
    s.start_pass2(ranks);
    for (std::size_t i = 0; i < values.size(); i += 997)
      s.count_pass2(values.data() + i, std::min<std::size_t>(997, values.size() - i));
    for (std::size_t r = 0; r < ranks.size(); ++r)
      EXPECT_EQ(s.value(r), sorted[ranks[r] - 1]) << "k=" << ranks[r] << " of " << ranks.size();
  }
}

TEST(TopValueSelector, RankForTopPercent) {
  EXPECT_EQ(TopValueSelector::rank_for_top_percent(1000, 5), 50u);
  EXPECT_EQ(TopValueSelector::rank_for_top_percent(1001, 5), 51u);   // ceil
  EXPECT_EQ(TopValueSelector::rank_for_top_percent(10, 0.001), 1u);  // at least one cell
  EXPECT_EQ(TopValueSelector::rank_for_top_percent(10, 100), 10u);
  EXPECT_EQ(TopValueSelector::rank_for_top_percent(0, 5), 0u);
}

// Pass one counted on two threads and merged finds the same ranks as one
// selector counting everything.
TEST(TopValueSelector, MergedPassOneEqualsOneCount) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  std::vector<float> values(50000);
  for (auto& x : values) x = rng() % 20 == 0 ? std::numeric_limits<float>::quiet_NaN() : u(rng);
  TopValueSelector one, first, second;
  one.count_pass1(values.data(), values.size());
  first.count_pass1(values.data(), 12345);
  second.count_pass1(values.data() + 12345, values.size() - 12345);
  first.merge_pass1(second);
  ASSERT_EQ(first.population(), one.population());
  const std::vector<std::uint64_t> ranks = {1, 500, one.population()};
  for (TopValueSelector* s : {&one, &first}) {
    s->start_pass2(ranks);
    s->count_pass2(values.data(), values.size());
  }
  for (std::size_t i = 0; i < ranks.size(); ++i) {
    EXPECT_EQ(first.value(i), one.value(i));
    EXPECT_EQ(first.count_at_or_above(i), one.count_at_or_above(i));
  }
  std::vector<float> sorted;
  for (float x : values)
    if (!std::isnan(x)) sorted.push_back(x);
  std::sort(sorted.begin(), sorted.end(), std::greater<float>());
  EXPECT_EQ(first.value(1), sorted[499]);
}
