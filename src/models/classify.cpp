#include "prospect/models/classify.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace prospect {
namespace {

// Keeps increasing breaks strictly below the largest value (a break there
// would leave its class above empty).
std::vector<double> tidy(std::vector<double> breaks, const std::vector<double>& sorted) {
  std::vector<double> out;
  for (double b : breaks)
    if (b < sorted.back() && (out.empty() || b > out.back())) out.push_back(b);
  return out;
}

}  // namespace

std::vector<double> quantile_breaks(const std::vector<double>& sorted, int classes) {
  if (sorted.empty() || classes < 2) return {};
  const std::size_t n = sorted.size();
  std::vector<double> breaks;
  for (int k = 1; k < classes; ++k) {
    // Nearest rank: the smallest value with at least k/classes of the data at or below it.
    const std::size_t rank = std::size_t(std::ceil(double(k) * double(n) / classes));
    breaks.push_back(sorted[std::max<std::size_t>(rank, 1) - 1]);
  }
  return tidy(breaks, sorted);
}

std::vector<double> natural_breaks(const std::vector<double>& sorted, int classes) {
  const std::size_t n = sorted.size();
  if (n == 0 || classes < 2) return {};
  const int k = int(std::min<std::size_t>(std::size_t(classes), n));
  // Prefix sums for the squared deviation of any run sorted[i..j].
  std::vector<double> s1(n + 1, 0.0), s2(n + 1, 0.0);
  const double shift = sorted[n / 2];  // centring keeps the sums well conditioned
  for (std::size_t i = 0; i < n; ++i) {
    const double v = sorted[i] - shift;
    s1[i + 1] = s1[i] + v;
    s2[i + 1] = s2[i] + v * v;
  }
  auto ssd = [&](std::size_t i, std::size_t j) {  // run [i, j), j > i
    const double m = double(j - i), a = s1[j] - s1[i];
    return std::max(0.0, (s2[j] - s2[i]) - a * a / m);
  };
  const double inf = std::numeric_limits<double>::infinity();
  // cost[c][j]: best total for the first j values in c + 1 classes; from[c][j]: start of the last
  // class.
  std::vector<std::vector<double>> cost(std::size_t(k), std::vector<double>(n + 1, inf));
  std::vector<std::vector<std::size_t>> from(std::size_t(k), std::vector<std::size_t>(n + 1, 0));
  for (std::size_t j = 1; j <= n; ++j) cost[0][j] = ssd(0, j);
  for (int c = 1; c < k; ++c)
    for (std::size_t j = std::size_t(c) + 1; j <= n; ++j)
      for (std::size_t i = std::size_t(c); i < j; ++i) {
        const double t = cost[std::size_t(c) - 1][i] + ssd(i, j);
        if (t <
            cost[std::size_t(c)][j]) {  // strict: the earliest best split wins, deterministically
          cost[std::size_t(c)][j] = t;
          from[std::size_t(c)][j] = i;
        }
      }
  std::vector<double> breaks;
  std::size_t j = n;
  for (int c = k - 1; c >= 1; --c) {
    const std::size_t i = from[std::size_t(c)][j];
    breaks.push_back(sorted[i - 1]);  // the last value of the class below
    j = i;
  }
  std::reverse(breaks.begin(), breaks.end());
  return tidy(breaks, sorted);
}

std::vector<double> even_subsample(const std::vector<double>& sorted, std::size_t limit) {
  if (sorted.size() <= limit || limit < 2) return sorted;
  std::vector<double> out;
  out.reserve(limit);
  for (std::size_t i = 0; i < limit; ++i)
    out.push_back(sorted[i * (sorted.size() - 1) / (limit - 1)]);
  return out;
}

const char* break_method_name(BreakMethod method) {
  switch (method) {
    case BreakMethod::quantiles:
      return "quantiles";
    case BreakMethod::natural:
      return "natural breaks";
    case BreakMethod::none:
      break;
  }
  return "given";
}

}  // namespace prospect
