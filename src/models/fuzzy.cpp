#include "prospect/models/fuzzy.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "prospect/core/vector_clones.hpp"

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

// r = exp(g ln s + (1 - g) ln p) where s and p are both positive (elsewhere r
// is that of s = p = 1, and not used). glibc's vector exp and log (libmvec)
// take four doubles a call where the CPU has AVX2; they are within 4 ulp of the
// scalar ones, far inside the Float32 the scores are stored as. Elsewhere the
// scalar functions, one value at a time.
#if defined(__x86_64__) && defined(PROSPECT_HAVE_LIBMVEC)
#pragma GCC push_options
#pragma GCC target("avx2")
extern "C" __m256d _ZGVdN4v_exp(__m256d);
extern "C" __m256d _ZGVdN4v_log(__m256d);

void exp_of_logs_avx2(double g, const double* s, const double* p, double* r, std::size_t m) {
  const __m256d gv = _mm256_set1_pd(g), hv = _mm256_set1_pd(1.0 - g), one = _mm256_set1_pd(1.0),
                zero = _mm256_setzero_pd();
  std::size_t i = 0;
  for (; i + 4 <= m; i += 4) {
    const __m256d sv = _mm256_loadu_pd(s + i), pv = _mm256_loadu_pd(p + i);
    const __m256d positive =
        _mm256_and_pd(_mm256_cmp_pd(sv, zero, _CMP_GT_OQ), _mm256_cmp_pd(pv, zero, _CMP_GT_OQ));
    const __m256d ls = _ZGVdN4v_log(_mm256_blendv_pd(one, sv, positive));
    const __m256d lp = _ZGVdN4v_log(_mm256_blendv_pd(one, pv, positive));
    _mm256_storeu_pd(r + i,
                     _ZGVdN4v_exp(_mm256_add_pd(_mm256_mul_pd(gv, ls), _mm256_mul_pd(hv, lp))));
  }
  for (; i < m; ++i) {
    const bool positive = s[i] > 0.0 && p[i] > 0.0;
    r[i] =
        std::exp(g * std::log(positive ? s[i] : 1.0) + (1.0 - g) * std::log(positive ? p[i] : 1.0));
  }
}
#pragma GCC pop_options

// Called from a static initialiser, which may run before libgcc has read the CPU.
const bool k_has_avx2 = (__builtin_cpu_init(), __builtin_cpu_supports("avx2"));
#endif

void exp_of_logs(double g, const double* s, const double* p, double* r, std::size_t m) {
#if defined(__x86_64__) && defined(PROSPECT_HAVE_LIBMVEC)
  if (k_has_avx2) return exp_of_logs_avx2(g, s, p, r, m);
#endif
  for (std::size_t i = 0; i < m; ++i) {
    const bool positive = s[i] > 0.0 && p[i] > 0.0;
    r[i] =
        std::exp(g * std::log(positive ? s[i] : 1.0) + (1.0 - g) * std::log(positive ? p[i] : 1.0));
  }
}

// sum^g * prod^(1-g), as one exp of logs (half the cost of two pow calls); m is
// at most k_chunk.
constexpr std::size_t k_chunk = 1024;

void gamma_of(double g, const double* prod, const double* sum, float* out, std::size_t m) {
  if (g == 1.0 || g == 0.0) {
    for (std::size_t i = 0; i < m; ++i) out[i] = float(g == 1.0 ? sum[i] : prod[i]);
    return;
  }
  double r[k_chunk];
  exp_of_logs(g, sum, prod, r, m);
  for (std::size_t i = 0; i < m; ++i) {
    const double pr = prod[i], su = sum[i];
    out[i] = float(pr != pr || su != su ? double(k_nan) : pr > 0.0 && su > 0.0 ? r[i] : 0.0);
  }
}

}  // namespace

PROSPECT_VECTOR_CLONES
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
  constexpr std::size_t chunk = k_chunk;
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
    // a = product of memberships, b = their algebraic sum 1 - prod(1 - m), built
    // up as b + m (1 - b): the same value, but without the cancellation of
    // 1 - prod(1 - m) when every membership is small (memberships of 1e-9 lost
    // a tenth of their digits that way).
    std::fill(a, a + m, 1.0);
    std::fill(b, b + m, 0.0);
    for (const float* input : in) {
      const float* v = input + i0;
      for (std::size_t i = 0; i < m; ++i) {
        a[i] *= v[i];
        b[i] += double(v[i]) * (1.0 - b[i]);
      }
    }
    float* o = out + i0;
    switch (s.op) {
      case FuzzyOperator::product:
        for (std::size_t i = 0; i < m; ++i) o[i] = float(a[i]);
        break;
      case FuzzyOperator::sum:
        for (std::size_t i = 0; i < m; ++i) o[i] = float(b[i]);
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
