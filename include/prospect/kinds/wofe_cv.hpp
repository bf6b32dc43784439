#pragma once
// Cross-validation of a weights-of-evidence score without re-reading a tile.
// A WofE posterior depends on a cell only through its class on each layer, so
// the study area reduces to "unique conditions": each combination of classes
// and how many valid cells have it, counted during the scoring pass. A fold's
// refit then needs only class counts (cells from the fit, deposits from the
// fold's training deposits), and its map's AUC for the held-out deposits comes
// from the posterior of each unique condition, weighted by its cell count.

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "prospect/config/model_file.hpp"
#include "prospect/kinds/wofe_fit.hpp"
#include "prospect/validate/cross_validation.hpp"

namespace prospect {

class UniqueConditions {
 public:
  UniqueConditions() = default;
  // The classes each layer can take, from the fitted model (classes seen in the study area).
  explicit UniqueConditions(const PosteriorModel& fitted);
  // False when the combinations cannot be numbered in 64 bits (too many layers and classes).
  bool usable() const { return m_usable; }
  // Counts the cells whose score is not NaN, by their classes on each layer.
  void add(const std::vector<const float*>& layer_classes, const float* score, std::size_t n);
  // The same from each cell's key, already numbered as this class numbers them.
  void add_keys(const std::uint64_t* keys, const float* score, std::size_t n);
  void merge(const UniqueConditions& other);
  // Every combination seen, in key order: each layer's class per combination, and its cells.
  void columns(std::vector<std::vector<float>>& layer_classes,
               std::vector<std::int64_t>& cells) const;
  std::size_t size() const;

 private:
  std::vector<std::vector<double>> m_values;  // per layer, sorted
  std::vector<std::uint64_t> m_stride;        // mixed radix: class index (or missing) per layer
  // Cells by key: in an array indexed by the key when every combination fits
  // in k_dense_keys (the usual few layers of few classes), else in a hash map.
  static constexpr std::uint64_t k_dense_keys = 65536;
  std::vector<std::int64_t> m_dense;
  std::unordered_map<std::uint64_t, std::int64_t> m_cells;
  bool m_usable = false;
  void count(std::uint64_t key, std::int64_t cells) {
    if (m_dense.empty())
      m_cells[key] += cells;
    else
      m_dense[key] += cells;
  }
};

// `metres_per_unit` converts grid units to metres for the blocks.
CrossValidation cross_validate_wofe(const ModelSpec& model, const ScoreSpec& spec,
                                    const WofeScoreFit& fit, const UniqueConditions& conditions,
                                    const CrossValidationSpec& cv, double metres_per_unit,
                                    double cell_km2);

}  // namespace prospect
