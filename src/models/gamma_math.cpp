#include "prospect/models/gamma_math.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "prospect/core/vector_clones.hpp"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace prospect {
namespace {

constexpr float k_nan = std::numeric_limits<float>::quiet_NaN();

// ln 2 in two parts (Cody and Waite's reduction, with fdlibm's split): the high
// part has 32 significant bits, so e * k_ln2_hi is exact for every exponent e.
constexpr double k_ln2_hi = 0x1.62e42feep-1;
constexpr double k_ln2_lo = 0x1.a39ef35793c76p-33;
constexpr double k_inv_ln2 = 0x1.71547652b82fep+0;
constexpr double k_sqrt2 = 0x1.6a09e667f3bcdp+0;
constexpr double k_two54 = 0x1p54;  // lifts a subnormal into the normal range
constexpr double k_min_normal = 0x1p-1022;
constexpr double k_two52 = 0x1p52;  // an integer below 2^52 added to it sits in the low bits
constexpr std::uint64_t k_two52_bits = 0x4330000000000000ULL;
constexpr std::uint64_t k_mantissa = 0x000fffffffffffffULL, k_one_bits = 0x3ff0000000000000ULL;
constexpr double k_exp_limit = 700.0;

// ln m = 2 atanh f = 2 (f + f^3/3 + f^5/5 + ...), f = (m - 1)/(m + 1), |f| <= 0.1716:
// the omitted terms from f^15/15 on add up to less than 5e-13 (absolute).
constexpr double k_atanh[] = {1.0 / 13, 1.0 / 11, 1.0 / 9, 1.0 / 7, 1.0 / 5, 1.0 / 3};
// e^r = 1 + r + r^2/2! + ... + r^10/10!, |r| <= 0.3466: the omitted terms from
// r^11/11! on add up to less than 4e-13 of e^r.
constexpr double k_taylor[] = {1.0 / 3628800, 1.0 / 362880, 1.0 / 40320, 1.0 / 5040, 1.0 / 720,
                               1.0 / 120,     1.0 / 24,     1.0 / 6,     1.0 / 2};

double from_bits(std::uint64_t b) {
  double d;
  std::memcpy(&d, &b, sizeof d);
  return d;
}

}  // namespace

double gamma_log(double x) {
  double adjust = 0.0;
  if (x < k_min_normal) {
    x *= k_two54;
    adjust = -54.0;
  }
  std::uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  const double field = from_bits((bits >> 52) | k_two52_bits) - k_two52;
  double m = from_bits((bits & k_mantissa) | k_one_bits);  // in [1, 2)
  double e = (field - 1023.0) + adjust;
  if (m > k_sqrt2) {
    m *= 0.5;
    e += 1.0;
  }
  const double f = (m - 1.0) / (m + 1.0);
  const double z = f * f;
  double q = k_atanh[0];
  for (std::size_t k = 1; k < std::size(k_atanh); ++k) q = std::fma(q, z, k_atanh[k]);
  q = std::fma(q, z, 1.0);
  const double log_m = (f + f) * q;
  return std::fma(e, k_ln2_hi, std::fma(e, k_ln2_lo, log_m));
}

double gamma_exp(double y) {
  y = std::min(std::max(y, -k_exp_limit), k_exp_limit);
  const double k = std::nearbyint(y * k_inv_ln2);
  double r = std::fma(-k, k_ln2_hi, y);
  r = std::fma(-k, k_ln2_lo, r);
  double q = k_taylor[0];
  for (std::size_t i = 1; i < std::size(k_taylor); ++i) q = std::fma(q, r, k_taylor[i]);
  q = std::fma(q, r, 1.0);
  q = std::fma(q, r, 1.0);
  // 2^k from its bits: k + 1023 is the exponent field (k is within +-1010).
  std::uint64_t t;
  const double biased = k + (k_two52 + 1023.0);
  std::memcpy(&t, &biased, sizeof t);
  return q * from_bits(t << 52);
}

float gamma_of_cell(double g, double prod, double sum) {
  if (prod != prod || sum != sum) return k_nan;
  if (g == 1.0 || g == 0.0) return float(g == 1.0 ? sum : prod);
  if (!(prod > 0.0 && sum > 0.0)) return 0.0f;
  return float(gamma_exp(g * gamma_log(sum) + (1.0 - g) * gamma_log(prod)));
}

#if defined(__x86_64__)
namespace {

// The same operations as gamma_log and gamma_exp above, 4 lanes at a time.
#define PROSPECT_AVX2_FMA __attribute__((target("avx2,fma")))

PROSPECT_AVX2_FMA inline __m256d log4(__m256d x) {
  const __m256d small = _mm256_cmp_pd(x, _mm256_set1_pd(k_min_normal), _CMP_LT_OQ);
  x = _mm256_blendv_pd(x, _mm256_mul_pd(x, _mm256_set1_pd(k_two54)), small);
  const __m256d adjust = _mm256_and_pd(small, _mm256_set1_pd(-54.0));
  const __m256i bits = _mm256_castpd_si256(x);
  const __m256d field = _mm256_sub_pd(
      _mm256_castsi256_pd(_mm256_or_si256(_mm256_srli_epi64(bits, 52),
                                          _mm256_set1_epi64x(std::int64_t(k_two52_bits)))),
      _mm256_set1_pd(k_two52));
  __m256d m = _mm256_castsi256_pd(
      _mm256_or_si256(_mm256_and_si256(bits, _mm256_set1_epi64x(std::int64_t(k_mantissa))),
                      _mm256_set1_epi64x(std::int64_t(k_one_bits))));
  __m256d e = _mm256_add_pd(_mm256_sub_pd(field, _mm256_set1_pd(1023.0)), adjust);
  const __m256d big = _mm256_cmp_pd(m, _mm256_set1_pd(k_sqrt2), _CMP_GT_OQ);
  m = _mm256_blendv_pd(m, _mm256_mul_pd(m, _mm256_set1_pd(0.5)), big);
  e = _mm256_blendv_pd(e, _mm256_add_pd(e, _mm256_set1_pd(1.0)), big);
  const __m256d one = _mm256_set1_pd(1.0);
  const __m256d f = _mm256_div_pd(_mm256_sub_pd(m, one), _mm256_add_pd(m, one));
  const __m256d z = _mm256_mul_pd(f, f);
  __m256d q = _mm256_set1_pd(k_atanh[0]);
  for (std::size_t k = 1; k < std::size(k_atanh); ++k)
    q = _mm256_fmadd_pd(q, z, _mm256_set1_pd(k_atanh[k]));
  q = _mm256_fmadd_pd(q, z, one);
  const __m256d log_m = _mm256_mul_pd(_mm256_add_pd(f, f), q);
  return _mm256_fmadd_pd(e, _mm256_set1_pd(k_ln2_hi),
                         _mm256_fmadd_pd(e, _mm256_set1_pd(k_ln2_lo), log_m));
}

PROSPECT_AVX2_FMA inline __m256d exp4(__m256d y) {
  y = _mm256_min_pd(_mm256_max_pd(y, _mm256_set1_pd(-k_exp_limit)), _mm256_set1_pd(k_exp_limit));
  const __m256d k = _mm256_round_pd(_mm256_mul_pd(y, _mm256_set1_pd(k_inv_ln2)),
                                    _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256d r = _mm256_fnmadd_pd(k, _mm256_set1_pd(k_ln2_hi), y);
  r = _mm256_fnmadd_pd(k, _mm256_set1_pd(k_ln2_lo), r);
  __m256d q = _mm256_set1_pd(k_taylor[0]);
  for (std::size_t i = 1; i < std::size(k_taylor); ++i)
    q = _mm256_fmadd_pd(q, r, _mm256_set1_pd(k_taylor[i]));
  const __m256d one = _mm256_set1_pd(1.0);
  q = _mm256_fmadd_pd(_mm256_fmadd_pd(q, r, one), r, one);
  const __m256i biased = _mm256_castpd_si256(_mm256_add_pd(k, _mm256_set1_pd(k_two52 + 1023.0)));
  return _mm256_mul_pd(q, _mm256_castsi256_pd(_mm256_slli_epi64(biased, 52)));
}

PROSPECT_AVX2_FMA std::size_t gamma_avx2(double g, const std::vector<const float*>& in, float* out,
                                         std::size_t n) {
  const __m256d one = _mm256_set1_pd(1.0), zero = _mm256_setzero_pd();
  const __m256d gv = _mm256_set1_pd(g), hv = _mm256_set1_pd(1.0 - g);
  const __m256d nan = _mm256_set1_pd(double(k_nan));
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    __m256d p = one, s = zero;
    for (const float* input : in) {
      const __m256d v = _mm256_cvtps_pd(_mm_loadu_ps(input + i));
      p = _mm256_mul_pd(p, v);
      s = _mm256_add_pd(s, _mm256_mul_pd(v, _mm256_sub_pd(one, s)));
    }
    const __m256d positive =
        _mm256_and_pd(_mm256_cmp_pd(s, zero, _CMP_GT_OQ), _mm256_cmp_pd(p, zero, _CMP_GT_OQ));
    const __m256d ls = log4(_mm256_blendv_pd(one, s, positive));
    const __m256d lp = log4(_mm256_blendv_pd(one, p, positive));
    const __m256d r = exp4(_mm256_add_pd(_mm256_mul_pd(gv, ls), _mm256_mul_pd(hv, lp)));
    const __m256d missing = _mm256_cmp_pd(p, s, _CMP_UNORD_Q);
    const __m256d result = _mm256_blendv_pd(_mm256_blendv_pd(zero, r, positive), nan, missing);
    _mm_storeu_ps(out + i, _mm256_cvtpd_ps(result));
  }
  return i;
}
PROSPECT_AVX2_FMA std::size_t log_avx2(const double* x, double* out, std::size_t n) {
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) _mm256_storeu_pd(out + i, log4(_mm256_loadu_pd(x + i)));
  return i;
}

PROSPECT_AVX2_FMA std::size_t exp_avx2(const double* y, double* out, std::size_t n) {
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) _mm256_storeu_pd(out + i, exp4(_mm256_loadu_pd(y + i)));
  return i;
}
#undef PROSPECT_AVX2_FMA

// Again, 8 lanes at a time. (GCC 12 warns inside its own avx512fintrin.h that
// the conversions' unused merge operand is uninitialised.)
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#define PROSPECT_AVX512 __attribute__((target("avx512f")))

PROSPECT_AVX512 inline __m512d log8(__m512d x) {
  const __mmask8 small = _mm512_cmp_pd_mask(x, _mm512_set1_pd(k_min_normal), _CMP_LT_OQ);
  x = _mm512_mask_mul_pd(x, small, x, _mm512_set1_pd(k_two54));
  const __m512d adjust = _mm512_maskz_mov_pd(small, _mm512_set1_pd(-54.0));
  const __m512i bits = _mm512_castpd_si512(x);
  const __m512d field = _mm512_sub_pd(
      _mm512_castsi512_pd(_mm512_or_si512(_mm512_srli_epi64(bits, 52),
                                          _mm512_set1_epi64(std::int64_t(k_two52_bits)))),
      _mm512_set1_pd(k_two52));
  __m512d m = _mm512_castsi512_pd(
      _mm512_or_si512(_mm512_and_si512(bits, _mm512_set1_epi64(std::int64_t(k_mantissa))),
                      _mm512_set1_epi64(std::int64_t(k_one_bits))));
  __m512d e = _mm512_add_pd(_mm512_sub_pd(field, _mm512_set1_pd(1023.0)), adjust);
  const __mmask8 big = _mm512_cmp_pd_mask(m, _mm512_set1_pd(k_sqrt2), _CMP_GT_OQ);
  m = _mm512_mask_mul_pd(m, big, m, _mm512_set1_pd(0.5));
  e = _mm512_mask_add_pd(e, big, e, _mm512_set1_pd(1.0));
  const __m512d one = _mm512_set1_pd(1.0);
  const __m512d f = _mm512_div_pd(_mm512_sub_pd(m, one), _mm512_add_pd(m, one));
  const __m512d z = _mm512_mul_pd(f, f);
  __m512d q = _mm512_set1_pd(k_atanh[0]);
  for (std::size_t k = 1; k < std::size(k_atanh); ++k)
    q = _mm512_fmadd_pd(q, z, _mm512_set1_pd(k_atanh[k]));
  q = _mm512_fmadd_pd(q, z, one);
  const __m512d log_m = _mm512_mul_pd(_mm512_add_pd(f, f), q);
  return _mm512_fmadd_pd(e, _mm512_set1_pd(k_ln2_hi),
                         _mm512_fmadd_pd(e, _mm512_set1_pd(k_ln2_lo), log_m));
}

PROSPECT_AVX512 inline __m512d exp8(__m512d y) {
  y = _mm512_min_pd(_mm512_max_pd(y, _mm512_set1_pd(-k_exp_limit)), _mm512_set1_pd(k_exp_limit));
  const __m512d k = _mm512_roundscale_pd(_mm512_mul_pd(y, _mm512_set1_pd(k_inv_ln2)),
                                         _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m512d r = _mm512_fnmadd_pd(k, _mm512_set1_pd(k_ln2_hi), y);
  r = _mm512_fnmadd_pd(k, _mm512_set1_pd(k_ln2_lo), r);
  __m512d q = _mm512_set1_pd(k_taylor[0]);
  for (std::size_t i = 1; i < std::size(k_taylor); ++i)
    q = _mm512_fmadd_pd(q, r, _mm512_set1_pd(k_taylor[i]));
  const __m512d one = _mm512_set1_pd(1.0);
  q = _mm512_fmadd_pd(_mm512_fmadd_pd(q, r, one), r, one);
  const __m512i biased = _mm512_castpd_si512(_mm512_add_pd(k, _mm512_set1_pd(k_two52 + 1023.0)));
  return _mm512_mul_pd(q, _mm512_castsi512_pd(_mm512_slli_epi64(biased, 52)));
}

PROSPECT_AVX512 std::size_t gamma_avx512(double g, const std::vector<const float*>& in, float* out,
                                         std::size_t n) {
  const __m512d one = _mm512_set1_pd(1.0), zero = _mm512_setzero_pd();
  const __m512d gv = _mm512_set1_pd(g), hv = _mm512_set1_pd(1.0 - g);
  const __m512d nan = _mm512_set1_pd(double(k_nan));
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m512d p = one, s = zero;
    for (const float* input : in) {
      const __m512d v = _mm512_cvtps_pd(_mm256_loadu_ps(input + i));
      p = _mm512_mul_pd(p, v);
      s = _mm512_add_pd(s, _mm512_mul_pd(v, _mm512_sub_pd(one, s)));
    }
    const __mmask8 positive =
        _mm512_cmp_pd_mask(s, zero, _CMP_GT_OQ) & _mm512_cmp_pd_mask(p, zero, _CMP_GT_OQ);
    const __m512d ls = log8(_mm512_mask_blend_pd(positive, one, s));
    const __m512d lp = log8(_mm512_mask_blend_pd(positive, one, p));
    const __m512d r = exp8(_mm512_add_pd(_mm512_mul_pd(gv, ls), _mm512_mul_pd(hv, lp)));
    const __mmask8 missing = _mm512_cmp_pd_mask(p, s, _CMP_UNORD_Q);
    const __m512d result =
        _mm512_mask_blend_pd(missing, _mm512_mask_blend_pd(positive, zero, r), nan);
    _mm256_storeu_ps(out + i, _mm512_cvtpd_ps(result));
  }
  return i;
}
PROSPECT_AVX512 std::size_t log_avx512(const double* x, double* out, std::size_t n) {
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) _mm512_storeu_pd(out + i, log8(_mm512_loadu_pd(x + i)));
  return i;
}

PROSPECT_AVX512 std::size_t exp_avx512(const double* y, double* out, std::size_t n) {
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) _mm512_storeu_pd(out + i, exp8(_mm512_loadu_pd(y + i)));
  return i;
}
#undef PROSPECT_AVX512
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

bool cpu_has_fma() {
  static const bool has = (__builtin_cpu_init(), __builtin_cpu_supports("fma"));
  return has;
}

}  // namespace
#endif

bool has_gamma_lanes(GammaLanes lanes) {
#if defined(__x86_64__)
  switch (lanes) {
    case GammaLanes::one_by_one:
      return true;
    case GammaLanes::avx2:
      return cpu_has_avx2() && cpu_has_fma();
    case GammaLanes::avx512:
      return cpu_has_avx512f();
  }
  return false;
#else
  return lanes == GammaLanes::one_by_one;
#endif
}

GammaLanes best_gamma_lanes() {
  static const GammaLanes best = has_gamma_lanes(GammaLanes::avx512) ? GammaLanes::avx512
                                 : has_gamma_lanes(GammaLanes::avx2) ? GammaLanes::avx2
                                                                     : GammaLanes::one_by_one;
  return best;
}

std::size_t gamma_in_lanes(GammaLanes lanes, double g, const std::vector<const float*>& in,
                           float* out, std::size_t n) {
#if defined(__x86_64__)
  if (lanes == GammaLanes::avx512) return gamma_avx512(g, in, out, n);
  if (lanes == GammaLanes::avx2) return gamma_avx2(g, in, out, n);
#endif
  (void)lanes, (void)g, (void)in, (void)out, (void)n;
  return 0;
}

std::size_t log_in_lanes(GammaLanes lanes, const double* x, double* out, std::size_t n) {
#if defined(__x86_64__)
  if (lanes == GammaLanes::avx512) return log_avx512(x, out, n);
  if (lanes == GammaLanes::avx2) return log_avx2(x, out, n);
#endif
  (void)lanes, (void)x, (void)out, (void)n;
  return 0;
}

std::size_t exp_in_lanes(GammaLanes lanes, const double* y, double* out, std::size_t n) {
#if defined(__x86_64__)
  if (lanes == GammaLanes::avx512) return exp_avx512(y, out, n);
  if (lanes == GammaLanes::avx2) return exp_avx2(y, out, n);
#endif
  (void)lanes, (void)y, (void)out, (void)n;
  return 0;
}

}  // namespace prospect
