#pragma once
// A weights-of-evidence score depends on a cell only through each layer's
// weight group (or missing). Where those combinations are few, the posterior
// and its standard deviation are computed once per combination, by posterior()
// itself (so the same bits as cell by cell), and each cell looks its pair up:
// on 8000² cells the scoring pass's posterior, exp and per-cell hashing went
// from most of its time to a look-up (BENCHMARKS.md).

#include <cstdint>
#include <optional>
#include <vector>

#include "prospect/models/wofe.hpp"

namespace prospect {

struct ConditionTable {
  static constexpr std::size_t k_max_conditions = std::size_t(1) << 14;
  std::vector<std::uint32_t> stride;       // per layer: over its groups + 1 (0 = missing)
  std::vector<float> probability, stddev;  // per combination
};

// The table of `model`, or nothing when it has more than k_max_conditions combinations.
std::optional<ConditionTable> condition_table(const PosteriorModel& model);

// Each cell's combination (`groups`, the table's index: a class the fit never
// saw is missing, as in posterior()), its posterior `p` and deviation `sd`.
// With `class_keys`, also each cell's classes as UniqueConditions numbers them
// (class index, or missing, in mixed radix), for UniqueConditions::add_keys.
void look_up(const ConditionTable& table, const PosteriorModel& model,
             const std::vector<const float*>& classes, std::size_t n,
             std::vector<std::uint32_t>& groups, std::vector<std::uint64_t>* class_keys, float* p,
             float* sd);

}  // namespace prospect
