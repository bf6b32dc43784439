#pragma once
// fit_logistic's loop (a template, so each caller's pass is inlined), driven by
// IrlsFitter, which also lets several fits share passes (cross-validation).

namespace prospect {

template <class Pass>
LogisticFit fit_logistic(std::size_t predictors, Pass pass, int max_iterations) {
  IrlsFitter fitter(predictors, max_iterations);
  while (!fitter.done()) fitter.take(pass(fitter.beta()));
  return fitter.result();
}

}  // namespace prospect
