#include "prospect/output/quantile.hpp"

#include <cmath>
#include <cstring>
#include <stdexcept>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "prospect/core/vector_clones.hpp"

namespace prospect {
namespace {

#if defined(__x86_64__)
// The cells of v whose high 16 key bits are one of `buckets` (at most 8), 8 cells
// at a time: most groups hold none and cost a few compares. Calls visit(i) for
// each such cell; returns how many cells it looked at (a multiple of 8).
template <class Visit>
__attribute__((target("avx2"))) std::size_t find_in_buckets_avx2(
    const float* v, std::size_t n, const std::vector<std::uint32_t>& buckets, Visit visit) {
  __m256i wanted[8];
  const std::size_t count = buckets.size();
  for (std::size_t b = 0; b < count; ++b) wanted[b] = _mm256_set1_epi32(int(buckets[b]));
  const __m256i top = _mm256_set1_epi32(int(0x80000000u));
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    // float_order_key in lanes: negative values flip every bit, others the sign bit.
    const __m256i u = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(v + i));
    const __m256i key = _mm256_xor_si256(u, _mm256_or_si256(_mm256_srai_epi32(u, 31), top));
    const __m256i high = _mm256_srli_epi32(key, 16);
    __m256i hit = _mm256_setzero_si256();
    for (std::size_t b = 0; b < count; ++b)
      hit = _mm256_or_si256(hit, _mm256_cmpeq_epi32(high, wanted[b]));
    unsigned mask = unsigned(_mm256_movemask_ps(_mm256_castsi256_ps(hit)));
    while (mask != 0) {
      visit(i + std::size_t(__builtin_ctz(mask)));
      mask &= mask - 1;
    }
  }
  return i;
}
#endif

}  // namespace

std::uint32_t float_order_key(float v) {
  std::uint32_t u;
  std::memcpy(&u, &v, sizeof u);
  return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
}

float float_from_order_key(std::uint32_t key) {
  const std::uint32_t u = (key & 0x80000000u) ? (key & 0x7fffffffu) : ~key;
  float v;
  std::memcpy(&v, &u, sizeof v);
  return v;
}

TopValueSelector::TopValueSelector() : m_high(65536, 0) {}

void TopValueSelector::count_pass1(const float* v, std::size_t n) {
  // The count in a register: m_population in memory took a load and a store per cell.
  std::uint64_t* high = m_high.data();
  std::uint64_t counted = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (std::isnan(v[i])) continue;
    ++high[float_order_key(v[i]) >> 16];
    ++counted;
  }
  m_population += counted;
}

void TopValueSelector::merge_pass1(const TopValueSelector& other) {
  for (std::size_t i = 0; i < m_high.size(); ++i) m_high[i] += other.m_high[i];
  m_population += other.m_population;
}

std::uint64_t TopValueSelector::rank_for_top_percent(std::uint64_t population, double percent) {
  if (population == 0) return 0;
  auto k = std::uint64_t(std::ceil(double(population) * percent / 100.0 - 1e-9));
  if (k < 1) k = 1;
  if (k > population) k = population;
  return k;
}

void TopValueSelector::start_pass2(const std::vector<std::uint64_t>& ranks) {
  if (ranks.size() > 255) throw std::length_error("at most 255 ranks in one pass");
  m_ranks.clear();
  m_buckets.clear();
  m_low.clear();
  for (std::uint64_t k : ranks) {
    if (k < 1 || k > m_population) throw std::out_of_range("rank outside the population");
    std::uint64_t above = 0;
    std::uint32_t b = 65536;
    while (b-- > 0 && above + m_high[b] < k) above += m_high[b];
    std::size_t index = 0;
    while (index < m_buckets.size() && m_buckets[index] != b) ++index;
    if (index == m_buckets.size()) {
      m_buckets.push_back(b);
      m_low.emplace_back(65536, 0);
    }
    m_ranks.push_back({index, k - above});
  }
  m_bucket_of.assign(65536, 0);
  for (std::size_t i = 0; i < m_buckets.size(); ++i)
    m_bucket_of[m_buckets[i]] = std::uint8_t(i + 1);
}

TopValueSelector TopValueSelector::pass2_copy() const {
  TopValueSelector copy;
  copy.m_high.clear();  // pass one's counts stay here
  copy.m_population = m_population;
  copy.m_ranks = m_ranks;
  copy.m_buckets = m_buckets;
  copy.m_bucket_of = m_bucket_of;
  copy.m_low.assign(m_low.size(), std::vector<std::uint64_t>(65536, 0));
  return copy;
}

void TopValueSelector::merge_pass2(const TopValueSelector& copy) {
  for (std::size_t b = 0; b < m_low.size(); ++b)
    for (std::size_t i = 0; i < 65536; ++i) m_low[b][i] += copy.m_low[b][i];
}

void TopValueSelector::count_pass2(const float* v, std::size_t n) {
  // One table look-up per cell: most cells lie in no bucket that holds a rank.
  const std::uint8_t* bucket_of = m_bucket_of.data();
  auto count_cell = [&](std::size_t i) {
    if (std::isnan(v[i])) return;
    const std::uint32_t key = float_order_key(v[i]);
    if (const std::uint8_t b = bucket_of[key >> 16]) ++m_low[b - 1u][key & 0xffffu];
  };
  std::size_t i = 0;
#if defined(__x86_64__)
  // Few buckets (the style's five breaks): compare 8 cells at a time with each,
  // and count only the cells found, as above.
  if (cpu_has_avx2() && m_buckets.size() <= 8)
    i = find_in_buckets_avx2(v, n, m_buckets, count_cell);
#endif
  for (; i < n; ++i) count_cell(i);
}

float TopValueSelector::value(std::size_t i) const {
  const Rank& r = m_ranks.at(i);
  const std::vector<std::uint64_t>& low = m_low[r.bucket];
  std::uint64_t above = 0;
  for (std::uint32_t b = 65536; b-- > 0;) {
    above += low[b];
    if (above >= r.rank_in_bucket) return float_from_order_key((m_buckets[r.bucket] << 16) | b);
  }
  throw std::logic_error("pass two did not see the values of pass one");
}

std::uint64_t TopValueSelector::count_at_or_above(std::size_t i) const {
  const Rank& r = m_ranks.at(i);
  const std::uint32_t key = float_order_key(value(i));
  std::uint64_t count = 0;
  for (std::uint32_t b = m_buckets[r.bucket] + 1; b < 65536; ++b) count += m_high[b];
  const std::vector<std::uint64_t>& low = m_low[r.bucket];
  for (std::uint32_t b = key & 0xffffu; b < 65536; ++b) count += low[b];
  return count;
}

}  // namespace prospect
