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

TopValueSelector::TopValueSelector() : m_high(65536, 0), m_low(65536, 0) {}

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

void TopValueSelector::start_pass2(std::uint64_t k) {
  if (k < 1 || k > m_population) throw std::out_of_range("rank outside the population");
  m_k = k;
  std::uint64_t above = 0;
  for (std::uint32_t b = 65536; b-- > 0;) {
    if (above + m_high[b] >= k) {
      m_bucket = b;
      m_rank_in_bucket = k - above;
      return;
    }
    above += m_high[b];
  }
}

void TopValueSelector::count_pass2(const float* v, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    if (std::isnan(v[i])) continue;
    const std::uint32_t key = float_order_key(v[i]);
    if ((key >> 16) == m_bucket) ++m_low[key & 0xffffu];
  }
}

float TopValueSelector::value() const {
  std::uint64_t above = 0;
  for (std::uint32_t b = 65536; b-- > 0;) {
    above += m_low[b];
    if (above >= m_rank_in_bucket) return float_from_order_key((m_bucket << 16) | b);
  }
  throw std::logic_error("pass two did not see the values of pass one");
}

}  // namespace prospect
