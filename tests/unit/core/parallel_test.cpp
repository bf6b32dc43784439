#include "prospect/core/parallel.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <stdexcept>
#include <vector>

using namespace prospect;

namespace {

// Sums sin(i) in consume order; any reordering would change the floating-point result.
double ordered_sum(int threads, std::size_t count) {
  const std::size_t window = std::size_t(threads) * 2;
  std::vector<double> slot(window);
  double total = 0;
  std::size_t expected = 0;
  run_ordered(
      count, threads, window, [&](std::size_t i, int) { slot[i % window] = std::sin(double(i)) * 1e-3 + 1e7; },
      [&](std::size_t i) {
        EXPECT_EQ(i, expected++);
        total += slot[i % window];
      });
  EXPECT_EQ(expected, count);
  return total;
}

}  // namespace

TEST(RunOrdered, ConsumesInOrderAndGivesTheSameBitsForAnyThreadCount) {
  const double one = ordered_sum(1, 5000);
  EXPECT_EQ(one, ordered_sum(2, 5000));
  EXPECT_EQ(one, ordered_sum(7, 5000));
}

TEST(RunOrdered, NeverRunsMoreThanTheWindowAhead) {
  const std::size_t window = 3;
  std::atomic<long> computed{0}, consumed{0};
  std::atomic<long> worst{0};
  run_ordered(
      200, 4, window,
      [&](std::size_t, int) {
        const long ahead = ++computed - consumed;
        long w = worst;
        while (ahead > w && !worst.compare_exchange_weak(w, ahead)) {
        }
      },
      [&](std::size_t) { ++consumed; });
  EXPECT_LE(worst.load(), long(window));
}

TEST(RunOrdered, RethrowsTheFirstFailure) {
  EXPECT_THROW(run_ordered(
                   100, 2, 4,
                   [](std::size_t i, int) {
                     if (i == 37) throw std::runtime_error("tile 37 failed");
                   },
                   [](std::size_t) {}),
               std::runtime_error);
  EXPECT_THROW(run_ordered(
                   100, 2, 4, [](std::size_t, int) {},
                   [](std::size_t i) {
                     if (i == 5) throw std::logic_error("write failed");
                   }),
               std::logic_error);
}

TEST(RunOrdered, ZeroThreadsMeansOnePerCore) { EXPECT_GE(resolve_thread_count(0), 1); }
