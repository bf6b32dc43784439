#include "prospect/models/fuzzy.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "prospect/core/vector_clones.hpp"
#include "prospect/models/gamma_math.hpp"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

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
      const std::size_t k =
          std::size_t(std::lower_bound(m.breaks.begin(), m.breaks.end(), x) - m.breaks.begin());
      return float(m.values[std::min(k, m.values.size() - 1)]);
    }
  }
  return k_nan;
}

PROSPECT_VECTOR_CLONES
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
PROSPECT_VECTOR_CLONES
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

#if defined(__x86_64__)
#define PROSPECT_AVX2 __attribute__((target("avx2")))

// The membership products and algebraic sums (or the weighted sums) of 8 cells
// at a time, kept in registers while every input is added: the same IEEE
// operations per cell, in the same order, as the scalar loops in combine(), so
// the same bits, without the accumulators going through memory for each input.
struct EightCells {
  __m256d lo, hi;  // cells 0..3 and 4..7, in double
};

PROSPECT_AVX2 inline EightCells widen(const float* v) {
  const __m256 x = _mm256_loadu_ps(v);
  return {_mm256_cvtps_pd(_mm256_castps256_ps128(x)), _mm256_cvtps_pd(_mm256_extractf128_ps(x, 1))};
}

PROSPECT_AVX2 inline void store_narrowed(float* out, __m256d lo, __m256d hi) {
  _mm256_storeu_ps(out, _mm256_set_m128(_mm256_cvtpd_ps(hi), _mm256_cvtpd_ps(lo)));
}

// Returns how many cells it did (a multiple of 8); combine() does the rest.
PROSPECT_AVX2 std::size_t weighted_sum_avx2(const std::vector<const float*>& in, const double* w,
                                            float* out, std::size_t n) {
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256d lo = _mm256_setzero_pd(), hi = _mm256_setzero_pd();
    for (std::size_t j = 0; j < in.size(); ++j) {
      const EightCells v = widen(in[j] + i);
      const __m256d wj = _mm256_set1_pd(w[j]);
      lo = _mm256_add_pd(lo, _mm256_mul_pd(wj, v.lo));
      hi = _mm256_add_pd(hi, _mm256_mul_pd(wj, v.hi));
    }
    store_narrowed(out + i, lo, hi);
  }
  return i;
}

// p = product of the memberships, s = their algebraic sum, built up as s + m (1 - s).
PROSPECT_AVX2 inline void product_and_sum(const std::vector<const float*>& in, std::size_t i,
                                          __m256d& p, __m256d& s) {
  const __m256d one = _mm256_set1_pd(1.0);
  p = one;
  s = _mm256_setzero_pd();
  for (const float* input : in) {
    const __m256d v = _mm256_cvtps_pd(_mm_loadu_ps(input + i));
    p = _mm256_mul_pd(p, v);
    s = _mm256_add_pd(s, _mm256_mul_pd(v, _mm256_sub_pd(one, s)));
  }
}

// The product or the sum (gamma with g = 0 or 1); returns how many cells it did
// (a multiple of 4).
PROSPECT_AVX2 std::size_t product_or_sum_avx2(bool want_sum, const std::vector<const float*>& in,
                                              float* out, std::size_t n) {
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    __m256d p, s;
    product_and_sum(in, i, p, s);
    _mm_storeu_ps(out + i, _mm256_cvtpd_ps(want_sum ? s : p));
  }
  return i;
}
#undef PROSPECT_AVX2

#endif

// The cells combine() does in vector lanes where the CPU has them: how many
// (from the first), the rest is left to the scalar loop.
std::size_t combine_in_lanes(const OperatorSpec& s, const std::vector<const float*>& in,
                             const std::vector<double>& w, float* out, std::size_t n) {
  if (s.op == FuzzyOperator::gamma && s.gamma != 0.0 && s.gamma != 1.0)
    return gamma_in_lanes(best_gamma_lanes(), s.gamma, in, out, n);
#if defined(__x86_64__)
  if (cpu_has_avx2()) {
    if (s.op == FuzzyOperator::weighted_sum) return weighted_sum_avx2(in, w.data(), out, n);
    return product_or_sum_avx2(
        s.op == FuzzyOperator::sum || (s.op == FuzzyOperator::gamma && s.gamma == 1.0), in, out, n);
  }
#endif
  (void)w;
  return 0;
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
  std::vector<double> w;  // the weights, normalised
  if (s.op == FuzzyOperator::weighted_sum) {
    double total = 0;
    for (double x : s.weights) total += x;
    for (double x : s.weights) w.push_back(x / total);
  }
  const std::size_t done = combine_in_lanes(s, in, w, out, n);
  // The cells left (all of them without AVX2), one at a time: the same operations.
  for (std::size_t i = done; i < n; ++i) {
    if (s.op == FuzzyOperator::weighted_sum) {
      double a = 0.0;
      for (std::size_t j = 0; j < in.size(); ++j) a += w[j] * double(in[j][i]);
      out[i] = float(a);
      continue;
    }
    // a = product of memberships, b = their algebraic sum 1 - prod(1 - m), built
    // up as b + m (1 - b): the same value, but without the cancellation of
    // 1 - prod(1 - m) when every membership is small (memberships of 1e-9 lost
    // a tenth of their digits that way).
    double a = 1.0, b = 0.0;
    for (const float* input : in) {
      const double v = input[i];
      a *= v;
      b += v * (1.0 - b);
    }
    out[i] = s.op == FuzzyOperator::product ? float(a)
             : s.op == FuzzyOperator::sum   ? float(b)
                                            : gamma_of_cell(s.gamma, a, b);
  }
}

const std::vector<std::string>& membership_names() {
  static const std::vector<std::string> names = {"linear", "small",       "large",  "gaussian",
                                                 "near",   "categorical", "classes"};
  return names;
}

const std::vector<std::string>& operator_names() {
  static const std::vector<std::string> names = {"and", "or",    "product",
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
