#include "prospect/core/vector_math.hpp"

#include <cmath>

#if defined(__x86_64__) && defined(PROSPECT_HAVE_LIBMVEC)
#include <immintrin.h>
#endif

#include "prospect/core/vector_clones.hpp"

namespace prospect {

#if defined(__x86_64__) && defined(PROSPECT_HAVE_LIBMVEC)
namespace {

#pragma GCC push_options
#pragma GCC target("avx2")
extern "C" __m256d _ZGVdN4v_exp(__m256d);
extern "C" __m256d _ZGVdN4v_log(__m256d);

template <__m256d (*F)(__m256d), double (*Scalar)(double)>
void apply_avx2(const double* in, double* out, std::size_t n) {
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) _mm256_storeu_pd(out + i, F(_mm256_loadu_pd(in + i)));
  for (; i < n; ++i) out[i] = Scalar(in[i]);
}
#pragma GCC pop_options

double scalar_exp(double v) { return std::exp(v); }
double scalar_log(double v) { return std::log(v); }

}  // namespace
#endif

void exp_values(const double* in, double* out, std::size_t n) {
#if defined(__x86_64__) && defined(PROSPECT_HAVE_LIBMVEC)
  if (cpu_has_avx2()) return apply_avx2<_ZGVdN4v_exp, scalar_exp>(in, out, n);
#endif
  for (std::size_t i = 0; i < n; ++i) out[i] = std::exp(in[i]);
}

void log_values(const double* in, double* out, std::size_t n) {
#if defined(__x86_64__) && defined(PROSPECT_HAVE_LIBMVEC)
  if (cpu_has_avx2()) return apply_avx2<_ZGVdN4v_log, scalar_log>(in, out, n);
#endif
  for (std::size_t i = 0; i < n; ++i) out[i] = std::log(in[i]);
}

}  // namespace prospect
