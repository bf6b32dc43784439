#pragma once
// Ordinary kriging of point samples onto the grid (docs/science/geochemistry.md):
// at each cell centre x0, the weights l_i of the `max_points` samples nearest
// to it (within `radius` when one is set) solve
//   sum_j l_j gamma(x_i - x_j) + mu = gamma(x_i - x0),  sum_j l_j = 1,
// the estimate is sum_i l_i z_i and the kriging variance
// sum_i l_i gamma(x_i - x0) + mu. The variogram is given, or fitted to the
// samples (geochem/variogram). Samples are read as for IDW (value rule,
// expressions and indices, duplicates averaged). A cell with fewer than
// `min_points` samples in reach is missing (NaN). The solved system is reused
// while consecutive cells share their neighbours (always, in global kriging).

#include <memory>
#include <vector>

#include "prospect/core/grid.hpp"
#include "prospect/core/tiles.hpp"
#include "prospect/evidence/idw.hpp"
#include "prospect/geochem/variogram.hpp"
#include "prospect/spec/inputs.hpp"

namespace prospect {

struct KrigingEstimate {
  double estimate = 0, variance = 0;  // NaN when too few samples are in reach
};

class KrigingField {
 public:
  // Fits the variogram when spec.range is 0. Throws Error(bad_model) for
  // settings that cannot work, Error(bad_input) for a variogram that cannot be fitted.
  KrigingField(std::vector<Sample> samples, const AnalysisGrid& grid, const KrigingSpec& spec);
  ~KrigingField();
  KrigingField(const KrigingField&) = delete;
  KrigingField& operator=(const KrigingField&) = delete;

  // The estimate (exp of it with log) or, with spec.variance, the kriging variance.
  void compute(const Window& window, float* out) const;  // thread-safe
  // At one point, in the kriged units (ln with log), double precision: for tests.
  KrigingEstimate at(double x, double y) const;

  const Variogram& variogram() const { return m_variogram; }
  bool fitted() const { return m_fitted; }
  // The samples' experimental variogram (computed whether the model is fitted or given).
  const ExperimentalVariogram& experimental() const { return m_experimental; }
  // The samples as kriged (ln values with log), one per location.
  const std::vector<Sample>& samples() const;

 private:
  struct Index;
  std::unique_ptr<Index> m_index;
  AnalysisGrid m_grid;
  KrigingSpec m_spec;
  Variogram m_variogram;
  ExperimentalVariogram m_experimental;
  bool m_fitted = false;
};

}  // namespace prospect
