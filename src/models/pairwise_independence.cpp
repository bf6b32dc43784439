#include "prospect/models/pairwise_independence.hpp"

#include <algorithm>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <cstdio>
#include <map>

namespace prospect {
double chi_square_upper_tail(double x, int df) {
  if (df <= 0 || !(x > 0)) return 1.0;  // also NaN: no evidence against independence
  if (std::isinf(x)) return 0.0;
  // Q(df / 2, x / 2), the regularised upper incomplete gamma function.
  return boost::math::gamma_q(df / 2.0, x / 2.0);
}

PairwiseTest pairwise_independence(const std::string& first, const std::vector<int>& a,
                                   const std::string& second, const std::vector<int>& b) {
  PairwiseTest t;
  t.first = first;
  t.second = second;
  std::map<std::pair<int, int>, double> observed;
  std::map<int, double> rows, cols;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (a[i] < 0 || b[i] < 0) continue;
    observed[{a[i], b[i]}] += 1;
    rows[a[i]] += 1;
    cols[b[i]] += 1;
    ++t.deposits;
  }
  t.degrees_of_freedom = int(rows.size() - 1) * int(cols.size() - 1);
  if (t.degrees_of_freedom <= 0 || t.deposits == 0) return t;
  t.min_expected = double(t.deposits);
  const double n = double(t.deposits);
  for (const auto& [r, nr] : rows)
    for (const auto& [c, nc] : cols) {
      const double expected = nr * nc / n;
      const auto it = observed.find({r, c});
      const double o = it == observed.end() ? 0.0 : it->second;
      t.chi_square += (o - expected) * (o - expected) / expected;
      t.min_expected = std::min(t.min_expected, expected);
    }
  t.p_value = chi_square_upper_tail(t.chi_square, t.degrees_of_freedom);
  return t;
}

std::string PairwiseTest::verdict() const {
  char buf[400];
  if (degrees_of_freedom == 0) {
    std::snprintf(buf, sizeof buf,
                  "%s / %s: not testable (the deposits fall in one class of a layer)",
                  first.c_str(), second.c_str());
    return buf;
  }
  const char* caution = min_expected < 5 ? "; few deposits per class, so the test is rough" : "";
  if (p_value < 0.05)
    std::snprintf(
        buf, sizeof buf,
        "%s / %s: dependent given the deposits (chi-square %.2f, %d df, p = %.3f%s): they "
        "say much the same thing; merge them or drop one",
        first.c_str(), second.c_str(), chi_square, degrees_of_freedom, p_value, caution);
  else
    std::snprintf(buf, sizeof buf,
                  "%s / %s: no evidence of dependence (chi-square %.2f, %d df, p = %.3f%s)",
                  first.c_str(), second.c_str(), chi_square, degrees_of_freedom, p_value, caution);
  return buf;
}

}  // namespace prospect
