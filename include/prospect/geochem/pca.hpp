#pragma once
// Principal components of compositional data (docs/science/geochemistry.md):
// each sample's parts are clr-transformed, the clr vectors centred on their
// mean, and the covariance matrix decomposed (symmetric Jacobi rotations). The
// components come largest variance first; each loading vector's sign is set so
// that its largest element (by absolute value) is positive, so the same data
// give the same scores. Pure: no GDAL here.

#include <vector>

namespace prospect {

struct CompositionalPca {
  std::vector<double> variance;               // of each component, largest first
  std::vector<std::vector<double>> loadings;  // loadings[k][j]: component k, part j
  std::vector<double> centre;                 // mean clr vector
  double total_variance = 0;                  // the trace: the clr variances summed
  // The score of a composition (all parts > 0) on component k.
  double score(const std::vector<double>& parts, std::size_t k) const;
};

// The centred log-ratio vector: ln x_j - mean_i ln x_i (all parts > 0).
std::vector<double> clr(const std::vector<double>& parts);

// `compositions[i]` holds sample i's parts, every one > 0, all of one length
// >= 2; at least 3 samples. Throws Error(bad_input) otherwise.
CompositionalPca compositional_pca(const std::vector<std::vector<double>>& compositions);

}  // namespace prospect
