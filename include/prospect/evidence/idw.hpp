#pragma once
// Inverse-distance-weighted interpolation of point samples (soil or rock-chip
// geochemistry) onto the grid: z(p) = sum w_i z_i / sum w_i with w_i = 1 / d_i^power
// over the `max_points` samples nearest to the cell centre within `radius`.
// A cell with fewer than `min_points` samples in reach is missing (NaN); a
// sample on the cell centre gives its own value. Exact k-nearest search: for
// each 16 x 16 block, the k-th nearest distance d from the block centre bounds
// every cell's k nearest to within d + a block diagonal.
//
// Sample values (docs/science/geochemistry.md): numbers; "<x" (below the
// detection limit x) becomes x / 2; anything else is counted and skipped. A
// ratio or sum of fields is computed per sample from those values, then
// interpolated (a sample where a denominator is zero is counted and skipped).
// Samples at the same location are averaged into one. With `log`, values are
// interpolated as ln(z) and returned as exp(estimate) (values <= 0 skipped).

#include <memory>
#include <string>
#include <vector>

#include "prospect/core/grid.hpp"
#include "prospect/core/tiles.hpp"
#include "prospect/evidence/sample_values.hpp"
#include "prospect/spec/inputs.hpp"
#include "prospect/vector/vector_layer.hpp"

namespace prospect {

struct Sample {
  double x = 0, y = 0, value = 0;
};

// Reads the samples of a point layer (grid CRS) with the value rule above;
// every row read and not used is counted in `report` by its reason, and a
// field below detection in every sample is warned about. Throws
// Error(bad_input) when no sample is usable, when every sample lies outside
// the grid (saying whether x and y swapped would fit it), or when the layer
// lacks a column a rare-earth index needs.
std::vector<Sample> read_samples(const VectorInput& input, const IdwSpec& spec,
                                 const AnalysisGrid& grid, SampleReport& report);

class IdwField {
 public:
  IdwField(std::vector<Sample> samples, const AnalysisGrid& grid, const IdwSpec& spec);
  ~IdwField();
  IdwField(const IdwField&) = delete;
  IdwField& operator=(const IdwField&) = delete;

  void compute(const Window& window, float* out) const;  // thread-safe
  double brute_force(double x, double y) const;          // for tests and checks
  // The samples as interpolated (ln values with log), one per location.
  const std::vector<Sample>& samples() const;

 private:
  struct Index;
  std::unique_ptr<Index> m_index;
  AnalysisGrid m_grid;
  IdwSpec m_spec;
};

}  // namespace prospect
