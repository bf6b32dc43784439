#pragma once
// Semivariograms for ordinary kriging (docs/science/geochemistry.md): the
// three models gstat calls "Sph", "Exp" and "Gau" with a nugget, the
// experimental variogram of point data in distance classes, and its weighted
// least-squares fit with weights N_j / h_j^2 (gstat's default, fit.method 7).
// Pure: no GDAL here.

#include <optional>
#include <string>
#include <vector>

namespace prospect {

enum class VariogramModel { spherical, exponential, gaussian };

std::optional<VariogramModel> variogram_model(const std::string& name);
const char* variogram_model_name(VariogramModel model);

// gamma(0) = 0; for h > 0, nugget + partial_sill * f(h / range) with
// f = 1.5 t - 0.5 t^3 (t < 1, else 1), 1 - exp(-t), 1 - exp(-t^2): gstat's vgm()
// parameters (Exp and Gau reach 95 % of the sill at about 3 and 1.73 ranges).
struct Variogram {
  VariogramModel model = VariogramModel::spherical;
  double nugget = 0, partial_sill = 1, range = 1;
  double gamma(double h) const;
  double sill() const { return nugget + partial_sill; }
};

// The experimental variogram: for distance classes [0, w], (w, 2w], ... up to
// `cutoff`, the number of point pairs, their mean distance and the
// semivariance sum (z_i - z_j)^2 / (2 N). Classes without pairs are left out.
struct ExperimentalVariogram {
  std::vector<long long> pairs;
  std::vector<double> distance, gamma;
  double cutoff = 0, width = 0;
};

struct PointValue {
  double x = 0, y = 0, z = 0;
};

// cutoff 0: a third of the diagonal of the points' bounding box; width 0:
// cutoff / 15 (gstat's defaults).
ExperimentalVariogram experimental_variogram(const std::vector<PointValue>& points,
                                             double cutoff = 0, double width = 0);

struct VariogramFit {
  Variogram variogram;
  double weighted_sse = 0;  // sum of N_j / h_j^2 (gamma_j - model(h_j))^2
};

// The model of the given kind that minimises the weighted squared error, with
// nugget and partial sill >= 0 and the range searched over (0, 3 x cutoff].
// Throws Error(bad_input) when the experimental variogram has fewer than 3
// classes or no spatial structure to fit (every class at the same value).
VariogramFit fit_variogram(const ExperimentalVariogram& experimental, VariogramModel model);

}  // namespace prospect
