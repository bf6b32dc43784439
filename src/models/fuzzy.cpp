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
  }
  return k_nan;
}

void apply_membership(const Membership& m, const float* in, float* out, std::size_t n) {
  if (m.type == MembershipType::linear && m.low != m.high) {
    // The common case, kept branch-light so it vectorises.
    const double scale = 1.0 / (m.high - m.low);
    for (std::size_t i = 0; i < n; ++i) {
      const double v = (double(in[i]) - m.low) * scale;
      out[i] = std::isnan(in[i]) ? k_nan : float(v < 0 ? 0 : (v > 1 ? 1 : v));
    }
    return;
  }
  for (std::size_t i = 0; i < n; ++i) out[i] = membership_value(m, in[i]);
}

void combine(const OperatorSpec& s, const std::vector<const float*>& in, float* out,
             std::size_t n) {
  const std::size_t k = in.size();
  double weight_total = 0;
  for (double w : s.weights) weight_total += w;
  for (std::size_t i = 0; i < n; ++i) {
    double lo = 1, hi = 0, prod = 1, co_prod = 1, wsum = 0;
    bool missing = false;
    for (std::size_t j = 0; j < k; ++j) {
      const float v = in[j][i];
      if (std::isnan(v)) {
        missing = true;
        break;
      }
      lo = std::min(lo, double(v));
      hi = std::max(hi, double(v));
      prod *= v;
      co_prod *= 1.0 - v;
      if (s.op == FuzzyOperator::weighted_sum) wsum += s.weights[j] * v;
    }
    if (missing || k == 0) {
      out[i] = k_nan;
      continue;
    }
    double r = 0;
    switch (s.op) {
      case FuzzyOperator::and_: r = lo; break;
      case FuzzyOperator::or_: r = hi; break;
      case FuzzyOperator::product: r = prod; break;
      case FuzzyOperator::sum: r = 1.0 - co_prod; break;
      case FuzzyOperator::gamma:
        r = std::pow(1.0 - co_prod, s.gamma) * std::pow(prod, 1.0 - s.gamma);
        break;
      case FuzzyOperator::weighted_sum: r = wsum / weight_total; break;
    }
    out[i] = float(r);
  }
}

const std::vector<std::string>& membership_names() {
  static const std::vector<std::string> names = {"linear", "small", "large",
                                                 "gaussian", "near", "categorical"};
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
