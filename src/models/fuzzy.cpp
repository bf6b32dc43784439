#include "prospect/models/fuzzy.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace prospect {
namespace {

constexpr float k_nan = std::numeric_limits<float>::quiet_NaN();

double clamp01(double v) { return std::min(1.0, std::max(0.0, v)); }

}  // namespace

float membership_value(const Membership& m, float xf) {
  if (std::isnan(xf)) return k_nan;
  const double x = xf;
  switch (m.type) {
    case MembershipType::linear: {
      if (m.low == m.high) return x >= m.high ? 1.0f : 0.0f;
      return float(clamp01((x - m.low) / (m.high - m.low)));
    }
    case MembershipType::large: {
      // 1 / (1 + (x/f2)^-f1); defined for x > 0, with its limit 0 at x <= 0.
      if (x <= 0) return 0.0f;
      return float(1.0 / (1.0 + std::pow(x / m.midpoint, -m.spread)));
    }
    case MembershipType::small: {
      // 1 / (1 + (x/f2)^f1); defined for x > 0, with its limit 1 at x <= 0.
      if (x <= 0) return 1.0f;
      return float(1.0 / (1.0 + std::pow(x / m.midpoint, m.spread)));
    }
    case MembershipType::gaussian: {
      const double d = x - m.midpoint;
      return float(std::exp(-m.spread * d * d));
    }
    case MembershipType::near: {
      const double d = x - m.midpoint;
      return float(1.0 / (1.0 + m.spread * d * d));
    }
    case MembershipType::categorical: {
      const auto it = m.table.find(std::llround(x));
      return float(it == m.table.end() ? m.other : it->second);
    }
    case MembershipType::classes: {
      const std::size_t k = std::size_t(std::lower_bound(m.breaks.begin(), m.breaks.end(), x) - m.breaks.begin());
      return float(m.values[std::min(k, m.values.size() - 1)]);
    }
  }
  return k_nan;
}

void apply_membership(const Membership& m, const float* in, float* out, std::size_t n) {
  if (m.type == MembershipType::linear && m.low != m.high) {
    // The common case, branch-free so it vectorises; NaN fails both comparisons
    // and so stays NaN.
    const float low = float(m.low), scale = float(1.0 / (m.high - m.low));
    for (std::size_t i = 0; i < n; ++i) {
      float v = (in[i] - low) * scale;
      v = v < 0.0f ? 0.0f : v;
      out[i] = v > 1.0f ? 1.0f : v;
    }
    return;
  }
  for (std::size_t i = 0; i < n; ++i) out[i] = membership_value(m, in[i]);
}

namespace {

// Input by input over the whole buffer (not cell by cell over the inputs): each
// loop is a plain multiply or compare that the compiler vectorises. Products
// and sums propagate NaN (missing) by themselves; min/max are told explicitly.
void combine_min_max(bool is_min, const std::vector<const float*>& in, float* out, std::size_t n) {
  std::copy(in[0], in[0] + n, out);
  for (std::size_t j = 1; j < in.size(); ++j) {
    const float* v = in[j];
    for (std::size_t i = 0; i < n; ++i) {
      const float a = out[i], b = v[i];
      const float m = is_min ? (b < a ? b : a) : (b > a ? b : a);
      out[i] = (a != a || b != b) ? k_nan : m;
    }
  }
}

// sum^g * prod^(1-g) with sum = 1 - b, as one exp of logs (half the cost of two pow calls).
void gamma_of(double g, const double* prod, const double* b, float* out, std::size_t m) {
  for (std::size_t i = 0; i < m; ++i) {
    const double p = prod[i], sum = 1.0 - b[i];
    double r;
    if (p != p || sum != sum)
      r = k_nan;
    else if (g == 1.0)
      r = sum;
    else if (g == 0.0)
      r = p;
    else if (p <= 0.0 || sum <= 0.0)
      r = 0.0;
    else
      r = std::exp(g * std::log(sum) + (1.0 - g) * std::log(p));
    out[i] = float(r);
  }
}

}  // namespace

void combine(const OperatorSpec& s, const std::vector<const float*>& in, float* out,
             std::size_t n) {
  if (in.empty()) {
    std::fill(out, out + n, k_nan);
    return;
  }
  if (s.op == FuzzyOperator::and_ || s.op == FuzzyOperator::or_) {
    combine_min_max(s.op == FuzzyOperator::and_, in, out, n);
    return;
  }
  // In chunks that stay in the L1 cache: each input is one pass over a chunk,
  // not over the whole tile.
  constexpr std::size_t chunk = 1024;
  double a[chunk], b[chunk];
  if (s.op == FuzzyOperator::weighted_sum) {
    double total = 0;
    for (double w : s.weights) total += w;
    for (std::size_t i0 = 0; i0 < n; i0 += chunk) {
      const std::size_t m = std::min(chunk, n - i0);
      std::fill(a, a + m, 0.0);
      for (std::size_t j = 0; j < in.size(); ++j) {
        const double w = s.weights[j] / total;
        const float* v = in[j] + i0;
        for (std::size_t i = 0; i < m; ++i) a[i] += w * v[i];
      }
      for (std::size_t i = 0; i < m; ++i) out[i0 + i] = float(a[i]);
    }
    return;
  }
  for (std::size_t i0 = 0; i0 < n; i0 += chunk) {
    const std::size_t m = std::min(chunk, n - i0);
    // a = product of memberships, b = product of complements (sum = 1 - b).
    std::fill(a, a + m, 1.0);
    std::fill(b, b + m, 1.0);
    for (const float* input : in) {
      const float* v = input + i0;
      for (std::size_t i = 0; i < m; ++i) {
        a[i] *= v[i];
        b[i] *= 1.0 - double(v[i]);
      }
    }
    float* o = out + i0;
    switch (s.op) {
      case FuzzyOperator::product:
        for (std::size_t i = 0; i < m; ++i) o[i] = float(a[i]);
        break;
      case FuzzyOperator::sum:
        for (std::size_t i = 0; i < m; ++i) o[i] = float(1.0 - b[i]);
        break;
      case FuzzyOperator::gamma:
        gamma_of(s.gamma, a, b, o, m);
        break;
      default:
        break;
    }
  }
}

const std::vector<std::string>& membership_names() {
  static const std::vector<std::string> names = {"linear",   "small",       "large",  "gaussian",
                                                 "near",     "categorical", "classes"};
  return names;
}

const std::vector<std::string>& operator_names() {
  static const std::vector<std::string> names = {"and", "or", "product",
                                                 "sum", "gamma", "weighted_sum"};
  return names;
}

bool parse_membership_type(const std::string& name, MembershipType& out) {
  const auto& names = membership_names();
  const auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) return false;
  out = MembershipType(it - names.begin());
  return true;
}

bool parse_operator(const std::string& name, FuzzyOperator& out) {
  const auto& names = operator_names();
  const auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) return false;
  out = FuzzyOperator(it - names.begin());
  return true;
}

}  // namespace prospect
