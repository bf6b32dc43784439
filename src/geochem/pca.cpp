#include "prospect/geochem/pca.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "prospect/core/error.hpp"

namespace prospect {

std::vector<double> clr(const std::vector<double>& parts) {
  std::vector<double> out(parts.size());
  double mean = 0;
  for (std::size_t j = 0; j < parts.size(); ++j) mean += out[j] = std::log(parts[j]);
  mean /= double(parts.size());
  for (double& v : out) v -= mean;
  return out;
}

double CompositionalPca::score(const std::vector<double>& parts, std::size_t k) const {
  const std::vector<double> z = clr(parts);
  double s = 0;
  for (std::size_t j = 0; j < z.size(); ++j) s += (z[j] - centre[j]) * loadings[k][j];
  return s;
}

namespace {

// Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations: `a`
// (n x n, row-major) ends diagonal (the eigenvalues), `v` holds the
// eigenvectors as columns.
void jacobi(std::vector<double>& a, std::vector<double>& v, std::size_t n) {
  v.assign(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i) v[i * n + i] = 1;
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0;
    for (std::size_t p = 0; p < n; ++p)
      for (std::size_t q = p + 1; q < n; ++q) off += a[p * n + q] * a[p * n + q];
    if (off < 1e-30) return;
    for (std::size_t p = 0; p < n; ++p)
      for (std::size_t q = p + 1; q < n; ++q) {
        const double apq = a[p * n + q];
        if (std::fabs(apq) < 1e-300) continue;
        const double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const double t =
            (theta >= 0 ? 1.0 : -1.0) / (std::fabs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (std::size_t k = 0; k < n; ++k) {  // columns p and q
          const double akp = a[k * n + p], akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (std::size_t k = 0; k < n; ++k) {  // rows p and q
          const double apk = a[p * n + k], aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (std::size_t k = 0; k < n; ++k) {
          const double vkp = v[k * n + p], vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
  }
}

}  // namespace

CompositionalPca compositional_pca(const std::vector<std::vector<double>>& compositions) {
  if (compositions.size() < 3)
    throw Error(ErrorKind::bad_input,
                "principal components need at least 3 samples with every part measured and "
                "positive; " +
                    std::to_string(compositions.size()) + " have them");
  const std::size_t n = compositions[0].size();
  if (n < 2) throw Error(ErrorKind::bad_input, "principal components need at least 2 parts");
  CompositionalPca out;
  out.centre.assign(n, 0.0);
  std::vector<std::vector<double>> z;
  for (const auto& parts : compositions) {
    z.push_back(clr(parts));
    for (std::size_t j = 0; j < n; ++j) out.centre[j] += z.back()[j];
  }
  for (double& c : out.centre) c /= double(z.size());
  std::vector<double> cov(n * n, 0.0);
  for (const auto& row : z)
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i; j < n; ++j)
        cov[i * n + j] += (row[i] - out.centre[i]) * (row[j] - out.centre[j]);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i; j < n; ++j) cov[j * n + i] = cov[i * n + j] /= double(z.size() - 1);
  for (std::size_t i = 0; i < n; ++i) out.total_variance += cov[i * n + i];
  std::vector<double> vectors;
  jacobi(cov, vectors, n);
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return cov[a * n + a] > cov[b * n + b]; });
  for (std::size_t k : order) {
    out.variance.push_back(std::max(0.0, cov[k * n + k]));
    std::vector<double> loading(n);
    std::size_t big = 0;
    for (std::size_t j = 0; j < n; ++j) {
      loading[j] = vectors[j * n + k];
      if (std::fabs(loading[j]) > std::fabs(loading[big])) big = j;
    }
    if (loading[big] < 0)
      for (double& l : loading) l = -l;
    out.loadings.push_back(loading);
  }
  return out;
}

}  // namespace prospect
