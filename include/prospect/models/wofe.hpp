#pragma once
// Weights of evidence (Bonham-Carter 1994, "Geographic Information Systems for
// Geoscientists", ch. 9; Bonham-Carter, Agterberg and Wright 1989). Pure
// functions over class counts: the counts are reductions of per-tile partials,
// so the same code serves one thread, many threads or many machines.
//
// Conventions (docs/science/weights-of-evidence.md):
//  - areas are in unit cells of a stated size (km2): N = area / unit cell area;
//  - deposits are points, each counts 1 (not the cells they fall in);
//  - only valid cells count: inside the study area with evidence present;
//  - where a formula needs ln 0 or 1/0 the row is marked undefined with the
//    reason, never silently patched.

#include <cstdint>
#include <string>
#include <vector>

namespace prospect {

// Cells and deposits of one evidence class, over the valid study area.
struct ClassCount {
  double value = 0;           // class code (or the upper/lower bound for cumulative rows)
  std::int64_t cells = 0;     // grid cells
  std::int64_t deposits = 0;  // deposit points
};

// Accumulates class counts tile by tile; merge() adds another accumulator.
class ClassCounter {
 public:
  // At most `limit` distinct classes: a continuous layer has a class per value,
  // and counting a million of them into a sorted table takes quadratic time.
  // Past the limit counting stops and overflowed() says so.
  explicit ClassCounter(std::size_t limit = std::size_t(-1)) : m_limit(limit) {}
  void add_cells(const float* classes, const unsigned char* valid, std::size_t n);
  void add_deposit(float class_value);
  void merge(const ClassCounter& other);
  std::vector<ClassCount> counts() const;  // ascending by value
  bool overflowed() const { return m_overflowed; }

 private:
  std::vector<ClassCount> m_counts;  // kept sorted
  std::size_t m_limit;
  bool m_overflowed = false;
  ClassCount* slot(double value);  // nullptr past the limit
  void add_runs(const float* classes, const unsigned char* valid, std::size_t n);
  // add_cells when at most k_counted_classes classes are known.
  static constexpr std::size_t k_counted_classes = 32;
  void add_known(const float* classes, const unsigned char* valid, std::size_t n);
};

enum class WeightsType {
  categorical,  // each class against all others ("unique")
  ascending,    // pattern = classes <= value (cumulative from the low end)
  descending,   // pattern = classes >= value (cumulative from the high end)
};

struct WeightsRow {
  double value = 0;           // the class (categorical) or the cumulative threshold
  std::int64_t cells = 0;     // grid cells in the pattern B
  double unit_cells = 0;      // N(B) in unit cells
  std::int64_t deposits = 0;  // N(B and D)
  double w_plus = 0, s_w_plus = 0, w_minus = 0, s_w_minus = 0;
  double contrast = 0, s_contrast = 0, studentized = 0;
  bool w_plus_defined = true, w_minus_defined = true;
  std::string note;     // why a weight is undefined, or other remarks
  int generalized = 0;  // 2 = in the generalized pattern, 1 = outside (cumulative types)
};

struct WeightsTable {
  WeightsType type = WeightsType::categorical;
  double unit_cell_km2 = 1;
  double cell_km2 = 1;
  double total_unit_cells = 0;  // N(T)
  std::int64_t deposits = 0;    // N(D)
  std::vector<WeightsRow> rows;
  // Generalisation of cumulative tables: the chosen threshold row (-1 if none).
  int threshold_row = -1;
  double generalized_w_plus = 0, generalized_s_w_plus = 0;
  double generalized_w_minus = 0, generalized_s_w_minus = 0;
  std::string generalization_note;
};

struct WeightsOptions {
  WeightsType type = WeightsType::categorical;
  double unit_cell_km2 = 1.0;    // unit cell area
  double cell_km2 = 1.0;         // area of one grid cell
  double min_studentized = 2.0;  // generalisation: threshold must reach this |C / s(C)|
};

// W+, W-, their standard deviations, contrast and studentized contrast for a
// binary pattern of `pattern_unit_cells` with `pattern_deposits`, within a
// study area of `total_unit_cells` holding `total_deposits`.
WeightsRow binary_weights(double pattern_unit_cells, std::int64_t pattern_deposits,
                          double total_unit_cells, std::int64_t total_deposits);

// The full table for class counts (ascending by value).
WeightsTable weights_table(const std::vector<ClassCount>& counts, const WeightsOptions& options);

// Continuous evidence into classes for weights of evidence: each value becomes
// the upper bound of its interval (x <= b1 -> b1, b1 < x <= b2 -> b2, ...,
// x > bn -> +infinity); NaN stays NaN. `breaks` ascending.
// For each value, how many of the sorted `thresholds` (at most 255) lie below
// it: std::lower_bound's position, counted threshold by threshold over all the
// cells (a loop that vectorises, where a binary search per cell mispredicts
// its branches on noisy rasters). NaN: 0.
void count_below(const std::vector<double>& thresholds, const float* in, std::uint8_t* below,
                 std::size_t n);
// Each value's position in the sorted class `values` (at most 255 of them), or
// values.size() where it is none of them (NaN included): count_below, then a check.
void class_indices(const std::vector<double>& values, const float* in, std::uint8_t* index,
                   std::size_t n);

void classify_by_breaks(const std::vector<double>& breaks, const float* in, float* out,
                        std::size_t count);

const char* weights_type_name(WeightsType type);
bool parse_weights_type(const std::string& name, WeightsType& out);

}  // namespace prospect

namespace prospect {

// The weights one evidence layer contributes, per class code: what a fitted
// table turns into for scoring. Classes map to groups (a class of its own, the
// pooled "other" group, or in/out of a generalized pattern); each group has a
// weight, its variance and its share of the layer's valid area (for the
// missing-data variance).
struct LayerWeights {
  std::vector<double> class_values;  // sorted
  std::vector<int> class_group;      // group of each class
  std::vector<double> group_weight, group_variance, group_share;
  bool used = true;  // false: the layer adds nothing (reported)
  std::string note;

  // Group of a class code, or -1 for a code the fit never saw (treated as missing).
  int group_of(float value) const;
};

// Turns a table into scoring weights. Categorical: classes whose studentized
// contrast reaches min_studentized keep their W+; the rest are pooled into one
// group weighted by the pooled pattern's W+ (0 with a note when undefined).
// Cumulative: the generalized pattern's W+ inside and W- outside; a table that
// could not be generalized is not used.
LayerWeights layer_weights(const WeightsTable& table, const std::vector<ClassCount>& counts,
                           double min_studentized);

struct PosteriorModel {
  double prior_logit = 0;
  double prior_logit_variance = 0;  // 1 / (P(1-P) N(T)) (Arc-WofE's vprilo)
  std::vector<LayerWeights> layers;
};

// Prior from N(D) deposits in N(T) unit cells.
PosteriorModel make_posterior_model(std::int64_t deposits, double total_unit_cells);

// Posterior probability and its total standard deviation for n cells, given
// the class code of each layer at each cell (NaN = missing evidence):
//   logit = prior logit + sum of the layers' weights (0 where missing);
//   s(P) from the weights = sqrt(prior logit variance + sum of weight variances) * P (1 - P);
//   missing-data variance for a missing layer = sum_k (P(D|A_k) - P(D))^2 * P(A_k)
//   (Bonham-Carter 1994, after Spiegelhalter 1986); total s = sqrt(weights^2 + missing).
void posterior(const PosteriorModel& model, const std::vector<const float*>& layer_classes,
               std::size_t count, float* probability, float* stddev);

}  // namespace prospect
