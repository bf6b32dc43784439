#include "prospect/core/parallel.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "prospect/core/error.hpp"

using namespace prospect;

namespace {

// Sums sin(i) in consume order; any reordering would change the floating-point result.
double ordered_sum(int threads, std::size_t count) {
  const std::size_t window = std::size_t(threads) * 2;
  std::vector<double> slot(window);
  double total = 0;
  std::size_t expected = 0;
  run_ordered(
      count, threads, window,
      [&](std::size_t i, int) { slot[i % window] = std::sin(double(i)) * 1e-3 + 1e7; },
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

TEST(Parallel, ThreadCountsAreCapped) {
  EXPECT_EQ(resolve_thread_count(0), core_count());
  EXPECT_EQ(resolve_thread_count(1), 1);
  EXPECT_EQ(resolve_thread_count(1024), max_thread_count());
  EXPECT_GE(max_thread_count(), 8);
}

#if !defined(__SANITIZE_ADDRESS__)
// When the system gives fewer threads than asked (here: an address-space limit
// that 64 thread stacks do not fit in), run_ordered says so as an Error instead
// of ending the process (std::terminate). In a child process, whose limit ends with it.
TEST(Parallel, ThreadCreationFailureIsAnErrorNotACrash) {
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    rlimit limit{};
    getrlimit(RLIMIT_AS, &limit);
    std::ifstream status("/proc/self/statm");
    long pages = 0;
    status >> pages;
    limit.rlim_cur =
        rlim_t(pages) * rlim_t(sysconf(_SC_PAGESIZE)) + (64 << 20);  // 64 MiB more than now
    setrlimit(RLIMIT_AS, &limit);
    try {
      run_ordered(
          1000, 64, 128, [](std::size_t, int) {}, [](std::size_t) {});
      _exit(10);  // every thread started: the limit did not bite
    } catch (const Error& e) {
      _exit(std::string(e.what()).find("could not start 64 worker threads") != std::string::npos
                ? 0
                : 11);
    } catch (...) {
      _exit(12);
    }
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status)) << "the child crashed";
  if (WEXITSTATUS(status) == 10) GTEST_SKIP() << "64 threads fit under the limit here";
  EXPECT_EQ(WEXITSTATUS(status), 0);
}
#endif
