#include "prospect/models/pairwise_independence.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace prospect {
namespace {

// Regularised upper incomplete gamma Q(s, x): a series for x < s + 1, else a
// continued fraction (the standard pair; both converge fast in their range).
double upper_gamma_q(double s, double x) {
  if (x <= 0) return 1.0;
  const double log_prefix = s * std::log(x) - x - std::lgamma(s);
  if (x < s + 1) {
    double term = 1.0 / s, sum = term;
    for (int n = 1; n < 1000 && std::abs(term) > 1e-16 * std::abs(sum); ++n) {
      term *= x / (s + n);
      sum += term;
    }
    return std::max(0.0, 1.0 - sum * std::exp(log_prefix));
  }
  // Lentz's method for the continued fraction of Q.
  const double tiny = 1e-300;
  double b = x + 1 - s, c = 1 / tiny, d = 1 / b, h = d;
  for (int i = 1; i < 1000; ++i) {
    const double an = -i * (i - s);
    b += 2;
    d = an * d + b;
    if (std::abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (std::abs(c) < tiny) c = tiny;
    d = 1 / d;
    const double delta = d * c;
    h *= delta;
    if (std::abs(delta - 1) < 1e-16) break;
  }
  return std::exp(log_prefix) * h;
}

}  // namespace

double chi_square_upper_tail(double x, int df) {
  if (df <= 0) return 1.0;
  return upper_gamma_q(df / 2.0, x / 2.0);
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
