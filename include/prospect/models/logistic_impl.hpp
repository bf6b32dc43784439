#pragma once
// fit_logistic's loop (a template, so each caller's pass is inlined).

#include <cmath>

namespace prospect {

inline constexpr const char* k_separation =
    "perfect separation: some evidence value (or combination) holds all the deposits, or none, "
    "so a coefficient runs to infinity; merge classes, add evidence that overlaps, or use weights "
    "of evidence";

template <class Pass>
LogisticFit fit_logistic(std::size_t predictors, Pass pass, int max_iterations) {
  LogisticFit fit;
  fit.beta.assign(predictors + 1, 0.0);
  double previous = -1e300;
  for (int it = 1; it <= max_iterations; ++it) {
    const IrlsAccumulator sums = pass(fit.beta);
    if (sums.ones() == 0 || sums.ones() == sums.cells()) {
      fit.problem = sums.ones() == 0 ? "no cell holds a training deposit"
                                     : "every cell holds a training deposit";
      return fit;
    }
    fit.iterations = it;
    if (it == 1) {
      // Start from the intercept-only fit, logit of the (weighted) deposit share,
      // instead of 0 (a probability of one half): with rare deposits the intercept
      // is near -10 and plain IRLS from 0 spends many passes walking there.
      fit.beta[0] = std::log(sums.weighted_ones() / (sums.cells() - sums.ones()));
      continue;
    }
    fit.log_likelihood = sums.log_likelihood();
    fit.deposit_cells = sums.ones();
    if (std::abs(fit.log_likelihood - previous) <= 1e-10 * std::abs(fit.log_likelihood)) {
      finish_fit(sums, fit);
      // Quasi-separation also "converges": a coefficient far out with a standard
      // error to match means some evidence state holds deposits only, or none.
      bool separated = false;
      for (std::size_t j = 0; j < fit.beta.size(); ++j)
        separated = separated || std::abs(fit.beta[j]) > 20 || !(fit.std_error[j] < 100);
      if (separated) {
        fit.problem = k_separation;
        return fit;
      }
      fit.converged = true;
      return fit;
    }
    previous = fit.log_likelihood;
    if (!irls_step(sums, fit.beta)) {
      fit.problem = "the predictors are collinear (one is a combination of others): drop one";
      return fit;
    }
    double largest = 0;
    for (double b : fit.beta) largest = std::max(largest, std::abs(b));
    if (largest > 30) {
      fit.problem = k_separation;
      return fit;
    }
  }
  fit.problem = "no convergence in " + std::to_string(max_iterations) + " iterations";
  return fit;
}

}  // namespace prospect
