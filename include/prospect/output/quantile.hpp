#pragma once
// The exact k-th largest value of a float population that arrives in tiles,
// in two passes with constant memory (radix select on the float's bit pattern:
// pass one counts the top 16 bits, pass two the low 16 bits inside the bucket
// that holds rank k). Used to cut the top N % of study-area cells as targets
// without holding the score raster in memory.

#include <cstdint>
#include <cstddef>
#include <vector>

namespace prospect {

class TopValueSelector {
 public:
  TopValueSelector();
  void count_pass1(const float* values, std::size_t n);  // NaN is skipped
  std::uint64_t population() const { return m_population; }

  // Chooses rank k (1 = largest) for pass two; k in [1, population].
  void start_pass2(std::uint64_t k);
  void count_pass2(const float* values, std::size_t n);
  float value() const;  // the k-th largest value, after pass two

  // Rank of the cut for the top `percent` of `population` cells: ceil, at least 1.
  static std::uint64_t rank_for_top_percent(std::uint64_t population, double percent);

 private:
  std::vector<std::uint64_t> m_high;
  std::vector<std::uint64_t> m_low;
  std::uint64_t m_population = 0;
  std::uint64_t m_k = 0;
  std::uint32_t m_bucket = 0;
  std::uint64_t m_rank_in_bucket = 0;  // 1 = largest within the bucket
};

// Order-preserving map from float to uint32 (a < b  <=>  key(a) < key(b)).
std::uint32_t float_order_key(float v);
float float_from_order_key(std::uint32_t key);

}  // namespace prospect
