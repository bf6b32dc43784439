#pragma once
// Logistic regression on cells by iteratively reweighted least squares, built
// for tiles: each iteration is one pass in which every tile adds its share of
// X'WX and X'Wz (per-tile partials, merged in a fixed order), so the fit works
// on rasters of any size and gives the same bits for any thread count.
// Pure: no GDAL. Cells are samples (y = 1 where a deposit is, else 0), with an
// optional weight per class (e.g. to balance rare deposits).

#include <cstdint>
#include <string>
#include <vector>

namespace prospect {

// The sums one IRLS step needs, for p coefficients (intercept first).
class IrlsAccumulator {
 public:
  explicit IrlsAccumulator(std::size_t predictors = 0);
  // Adds n cells: x[j][i] is predictor j at cell i (NaN: the cell is skipped),
  // y[i] 0 or 1, given the current coefficients beta (size predictors + 1).
  void add(const std::vector<const float*>& x, const unsigned char* y, std::size_t n,
           const std::vector<double>& beta, double weight_of_ones = 1.0);
  // The same for n rows with every predictor present: row r is x[j][index[r]]
  // (index null: x[j][r]), y[r] its flag. The same sums, bit for bit, as add()
  // of those rows.
  void add_complete(const float* const* x, const std::uint32_t* index, const unsigned char* y,
                    std::size_t n, const std::vector<double>& beta, double weight_of_ones = 1.0);
  // add_complete() of the same rows for several fits at once (the folds of a
  // cross-validation), each with its own sums, flags, coefficients and weight;
  // the rows are gathered once. The same bits as one add_complete() per fit.
  struct Rows;
  static void add_complete_each(const float* const* x, const std::uint32_t* index, std::size_t n,
                                const std::vector<Rows>& fits);
  void merge(const IrlsAccumulator& other);

  std::size_t size() const { return m_p; }
  const std::vector<double>& xtwx() const { return m_xtwx; }  // p x p, row-major
  const std::vector<double>& xtwz() const { return m_xtwz; }
  double log_likelihood() const { return m_loglik; }
  double cells() const { return m_n; }
  double ones() const { return m_ones; }
  double weighted_ones() const { return m_weighted_ones; }  // the ones' case weights summed

 private:
  std::size_t m_p;  // coefficients including the intercept
  std::vector<double> m_xtwx, m_xtwz;
  double m_loglik = 0, m_n = 0, m_ones = 0, m_weighted_ones = 0;
};

struct IrlsAccumulator::Rows {
  IrlsAccumulator* sums;
  const unsigned char* y;  // n flags
  const std::vector<double>* beta;
  double weight_of_ones;
};
using IrlsRows = IrlsAccumulator::Rows;

struct LogisticFit {
  std::vector<double> beta;        // intercept first
  std::vector<double> std_error;   // sqrt of the diagonal of (X'WX)^-1 at the solution
  std::vector<double> z, p_value;  // Wald z and two-sided p
  double log_likelihood = 0;
  int iterations = 0;        // passes over the cells
  double deposit_cells = 0;  // cells with y = 1 among those used
  bool converged = false;
  std::string problem;  // why it did not converge, in words a geologist can act on
};

// One IRLS update from accumulated sums: solves X'WX beta_new = X'Wz.
// Returns false when X'WX is singular (collinear predictors).
bool irls_step(const IrlsAccumulator& sums, std::vector<double>& beta);

// IRLS one pass at a time: beta() is what the next pass evaluates; take() gets
// that pass's sums and updates beta, until done(). Several fitters can share
// the same passes over the data (one per cross-validation fold).
class IrlsFitter {
 public:
  // `start`: the coefficients of the first pass (e.g. a fit on a subsample or,
  // for a fold, the full fit); empty: the first pass counts the deposits and
  // IRLS starts from the intercept-only fit.
  explicit IrlsFitter(std::size_t predictors, int max_iterations = 50,
                      std::vector<double> start = {});
  bool done() const { return m_done; }
  const std::vector<double>& beta() const { return m_fit.beta; }
  void take(const IrlsAccumulator& sums);
  const LogisticFit& result() const { return m_fit; }

 private:
  LogisticFit m_fit;
  double m_previous = -1e300;
  int m_max_iterations;
  bool m_started;  // began at given coefficients
  bool m_done = false;
};

// Runs IRLS with `pass(beta)` returning the sums over all cells for beta, until
// the log-likelihood changes by less than 1e-10 relative or max_iterations.
// Detects perfect separation (coefficients running away while the likelihood
// approaches 0) and says so.
template <class Pass>
LogisticFit fit_logistic(std::size_t predictors, Pass pass, int max_iterations = 50);

// Standard errors, z and p from the final sums.
void finish_fit(const IrlsAccumulator& sums, LogisticFit& fit);

}  // namespace prospect

#include "prospect/models/logistic_impl.hpp"
