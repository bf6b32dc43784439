#pragma once
// The exact k-th largest values of a float population that arrives in tiles,
// in two passes with constant memory (radix select on the float's bit pattern:
// pass one counts the top 16 bits, pass two the low 16 bits inside the buckets
// that hold the ranks). Used to cut the top N % of study-area cells as targets,
// and the percentile class breaks of the score style, without holding the
// score raster in memory.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace prospect {

class TopValueSelector {
 public:
  TopValueSelector();
  void count_pass1(const float* values, std::size_t n);  // NaN is skipped
  // Pass one over several threads: each counts into its own selector, then they
  // are merged (integer counts: the same in any order).
  void merge_pass1(const TopValueSelector& other);
  std::uint64_t population() const { return m_population; }

  // Chooses rank k (1 = largest) for pass two; k in [1, population].
  void start_pass2(std::uint64_t k) { start_pass2(std::vector<std::uint64_t>{k}); }
  // Several ranks at once, found in the same pass two.
  void start_pass2(const std::vector<std::uint64_t>& ranks);
  void count_pass2(const float* values, std::size_t n);
  // Pass two over several threads: each counts into its own copy (the ranks
  // asked for, no counts yet), and the copies are merged back. Counts are
  // integers, so the result does not depend on who counted what.
  TopValueSelector pass2_copy() const;
  void merge_pass2(const TopValueSelector& copy);
  float value(std::size_t i = 0) const;  // the value of the i-th rank asked for, after pass two
  // How many cells are >= value(i), ties included (at least the rank asked for), after pass two.
  std::uint64_t count_at_or_above(std::size_t i) const;

  // Rank of the cut for the top `percent` of `population` cells: ceil, at least 1.
  static std::uint64_t rank_for_top_percent(std::uint64_t population, double percent);

 private:
  struct Rank {
    std::size_t bucket = 0;            // index into m_buckets
    std::uint64_t rank_in_bucket = 0;  // 1 = largest within the bucket
  };
  std::vector<std::uint64_t> m_high;
  std::uint64_t m_population = 0;
  std::vector<Rank> m_ranks;
  std::vector<std::uint32_t> m_buckets;   // distinct high 16 bits holding a rank
  std::vector<std::uint8_t> m_bucket_of;  // high 16 bits -> index into m_buckets + 1, 0: none
  std::vector<std::vector<std::uint64_t>> m_low;  // per bucket: counts of the low 16 bits
};

// Order-preserving map from float to uint32 (a < b  <=>  key(a) < key(b)).
std::uint32_t float_order_key(float v);
float float_from_order_key(std::uint32_t key);

}  // namespace prospect
