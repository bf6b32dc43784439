#include "prospect/models/logistic.hpp"

#include <algorithm>
#include <cmath>

namespace prospect {

IrlsAccumulator::IrlsAccumulator(std::size_t predictors)
    : m_p(predictors + 1), m_xtwx(m_p * m_p, 0.0), m_xtwz(m_p, 0.0) {}

void IrlsAccumulator::add(const std::vector<const float*>& x, const unsigned char* y, std::size_t n,
                          const std::vector<double>& beta, double weight_of_ones) {
  std::vector<double> row(m_p);
  for (std::size_t i = 0; i < n; ++i) {
    row[0] = 1.0;
    bool missing = false;
    for (std::size_t j = 0; j + 1 < m_p; ++j) {
      const float v = x[j][i];
      if (std::isnan(v)) {
        missing = true;
        break;
      }
      row[j + 1] = v;
    }
    if (missing) continue;
    double eta = 0;
    for (std::size_t j = 0; j < m_p; ++j) eta += beta[j] * row[j];
    const double mu = 1.0 / (1.0 + std::exp(-eta));
    const double case_weight = y[i] ? weight_of_ones : 1.0;
    const double w = std::max(mu * (1.0 - mu), 1e-12) * case_weight;
    const double z = eta + (double(y[i]) - mu) / std::max(mu * (1.0 - mu), 1e-12);
    for (std::size_t a = 0; a < m_p; ++a) {
      m_xtwz[a] += w * row[a] * z;
      for (std::size_t b = 0; b <= a; ++b) m_xtwx[a * m_p + b] += w * row[a] * row[b];
    }
    m_loglik += case_weight *
                (y[i] ? std::log(std::max(mu, 1e-300)) : std::log(std::max(1.0 - mu, 1e-300)));
    m_n += 1;
    m_ones += y[i] ? 1 : 0;
    m_weighted_ones += y[i] ? case_weight : 0.0;
  }
}

void IrlsAccumulator::merge(const IrlsAccumulator& o) {
  for (std::size_t i = 0; i < m_xtwx.size(); ++i) m_xtwx[i] += o.m_xtwx[i];
  for (std::size_t i = 0; i < m_xtwz.size(); ++i) m_xtwz[i] += o.m_xtwz[i];
  m_loglik += o.m_loglik;
  m_n += o.m_n;
  m_ones += o.m_ones;
  m_weighted_ones += o.m_weighted_ones;
}

namespace {

// Cholesky factorisation of the symmetric matrix (lower triangle used); false if not positive
// definite.
bool cholesky(std::vector<double>& a, std::size_t p) {
  for (std::size_t j = 0; j < p; ++j) {
    double d = a[j * p + j];
    for (std::size_t k = 0; k < j; ++k) d -= a[j * p + k] * a[j * p + k];
    if (!(d > 1e-12 * std::max(1.0, std::abs(a[j * p + j])))) return false;
    a[j * p + j] = std::sqrt(d);
    for (std::size_t i = j + 1; i < p; ++i) {
      double s = a[i * p + j];
      for (std::size_t k = 0; k < j; ++k) s -= a[i * p + k] * a[j * p + k];
      a[i * p + j] = s / a[j * p + j];
    }
  }
  return true;
}

std::vector<double> solve(const std::vector<double>& l, std::size_t p, std::vector<double> b) {
  for (std::size_t i = 0; i < p; ++i) {  // L y = b
    for (std::size_t k = 0; k < i; ++k) b[i] -= l[i * p + k] * b[k];
    b[i] /= l[i * p + i];
  }
  for (std::size_t i = p; i-- > 0;) {  // L' x = y
    for (std::size_t k = i + 1; k < p; ++k) b[i] -= l[k * p + i] * b[k];
    b[i] /= l[i * p + i];
  }
  return b;
}

}  // namespace

bool irls_step(const IrlsAccumulator& sums, std::vector<double>& beta) {
  std::vector<double> l = sums.xtwx();
  if (!cholesky(l, sums.size())) return false;
  beta = solve(l, sums.size(), sums.xtwz());
  return true;
}

void finish_fit(const IrlsAccumulator& sums, LogisticFit& fit) {
  const std::size_t p = sums.size();
  std::vector<double> l = sums.xtwx();
  fit.std_error.assign(p, NAN);
  fit.z.assign(p, NAN);
  fit.p_value.assign(p, NAN);
  if (!cholesky(l, p)) return;
  for (std::size_t j = 0; j < p; ++j) {
    std::vector<double> e(p, 0.0);
    e[j] = 1.0;
    const double var = solve(l, p, e)[j];  // diagonal of the inverse
    fit.std_error[j] = std::sqrt(var);
    fit.z[j] = fit.beta[j] / fit.std_error[j];
    fit.p_value[j] = std::erfc(std::abs(fit.z[j]) / std::sqrt(2.0));
  }
}

namespace {

const char* k_separation =
    "perfect separation: some evidence value (or combination) holds all the deposits, or none, "
    "so a coefficient runs to infinity; merge classes, add evidence that overlaps, or use weights "
    "of evidence";

}  // namespace

IrlsFitter::IrlsFitter(std::size_t predictors, int max_iterations)
    : m_max_iterations(max_iterations) {
  m_fit.beta.assign(predictors + 1, 0.0);
}

void IrlsFitter::take(const IrlsAccumulator& sums) {
  if (m_done) return;
  LogisticFit& fit = m_fit;
  auto stop = [&](const std::string& problem) {
    fit.problem = problem;
    m_done = true;
  };
  if (sums.ones() == 0 || sums.ones() == sums.cells())
    return stop(sums.ones() == 0 ? "no cell holds a training deposit"
                                 : "every cell holds a training deposit");
  const int it = ++fit.iterations;
  if (it == 1) {
    // Start from the intercept-only fit, logit of the (weighted) deposit share,
    // instead of 0 (a probability of one half): with rare deposits the intercept
    // is near -10 and plain IRLS from 0 spends many passes walking there.
    fit.beta[0] = std::log(sums.weighted_ones() / (sums.cells() - sums.ones()));
    return;
  }
  fit.log_likelihood = sums.log_likelihood();
  fit.deposit_cells = sums.ones();
  if (std::abs(fit.log_likelihood - m_previous) <= 1e-10 * std::abs(fit.log_likelihood)) {
    finish_fit(sums, fit);
    // Quasi-separation also "converges": a coefficient far out with a standard
    // error to match means some evidence state holds deposits only, or none.
    bool separated = false;
    for (std::size_t j = 0; j < fit.beta.size(); ++j)
      separated = separated || std::abs(fit.beta[j]) > 20 || !(fit.std_error[j] < 100);
    if (separated) return stop(k_separation);
    fit.converged = true;
    m_done = true;
    return;
  }
  m_previous = fit.log_likelihood;
  if (!irls_step(sums, fit.beta))
    return stop("the predictors are collinear (one is a combination of others): drop one");
  double largest = 0;
  for (double b : fit.beta) largest = std::max(largest, std::abs(b));
  if (largest > 30) return stop(k_separation);
  if (it >= m_max_iterations)
    stop("no convergence in " + std::to_string(m_max_iterations) + " iterations");
}

}  // namespace prospect
