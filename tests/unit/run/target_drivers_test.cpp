#include "prospect/run/target_drivers.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

using namespace prospect;

// The study area's term sums against a plain loop: cells where the term or the
// target score is NaN left out, any n (not only multiples of the four lanes).
TEST(TermSums, AddWhereScoredSumsTheScoredCellsOnly) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (std::size_t n : {0u, 1u, 3u, 4u, 7u, 1001u}) {
    std::vector<float> terms(n), target(n);
    double expected = 0;
    std::int64_t expected_count = 0;
    for (std::size_t i = 0; i < n; ++i) {
      terms[i] = i % 5 == 1 ? nan : float(std::sin(double(i)) * 3);
      target[i] = i % 7 == 2 ? nan : 0.5f;
      if (!std::isnan(terms[i]) && !std::isnan(target[i])) {
        expected += terms[i];
        ++expected_count;
      }
    }
    TermSums sums;
    sums.sum = {10.0, 0.0};
    sums.count = {2, 0};
    sums.add_where_scored(1, terms.data(), target.data(), n);
    EXPECT_NEAR(sums.sum[1], expected, 1e-12 * (1 + std::abs(expected))) << n;
    EXPECT_EQ(sums.count[1], expected_count) << n;
    EXPECT_EQ(sums.sum[0], 10.0);  // other layers untouched
    EXPECT_EQ(sums.count[0], 2);
  }
}
