#include "prospect/output/quantile.hpp"

#include <cmath>
#include <cstring>
#include <stdexcept>

namespace prospect {

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
  for (std::size_t i = 0; i < n; ++i) {
    if (std::isnan(v[i])) continue;
    ++m_high[float_order_key(v[i]) >> 16];
    ++m_population;
  }
}

std::uint64_t TopValueSelector::rank_for_top_percent(std::uint64_t population, double percent) {
  if (population == 0) return 0;
  auto k = std::uint64_t(std::ceil(double(population) * percent / 100.0 - 1e-9));
  if (k < 1) k = 1;
  if (k > population) k = population;
  return k;
}

void TopValueSelector::start_pass2(const std::vector<std::uint64_t>& ranks) {
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
}

void TopValueSelector::count_pass2(const float* v, std::size_t n) {
  const std::size_t buckets = m_buckets.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (std::isnan(v[i])) continue;
    const std::uint32_t key = float_order_key(v[i]);
    for (std::size_t b = 0; b < buckets; ++b)
      if ((key >> 16) == m_buckets[b]) {
        ++m_low[b][key & 0xffffu];
        break;
      }
  }
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

}  // namespace prospect
