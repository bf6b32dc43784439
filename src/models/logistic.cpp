#include "prospect/models/logistic.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#include <immintrin.h>
#endif

#include "prospect/core/vector_clones.hpp"
#include "prospect/core/vector_math.hpp"

namespace prospect {

IrlsAccumulator::IrlsAccumulator(std::size_t predictors)
    : m_p(predictors + 1), m_xtwx(m_p * m_p, 0.0), m_xtwz(m_p, 0.0) {}

namespace {

// Rows are summed in blocks: the block's values as doubles, column by column
// (column 0 is the intercept's ones), so that every loop over rows runs in
// vector registers. Each sum runs in k_lanes fixed lanes added up in a fixed
// order at the end of the block: the same bits with 2-, 4-wide or no vectors
// (exp and log aside: core/vector_math.hpp), and for any thread count.
constexpr std::size_t k_block = 128;  // a block's columns stay in the L1 cache
constexpr std::size_t k_lanes = 4;

struct BlockSums {
  double* xtwx;  // p x p, lower triangle
  double* xtwz;
  double loglik = 0, weighted_ones = 0;
};

// Four sums of u[i] * v_c[i] over m values (m a multiple of k_lanes), each in
// k_lanes lanes added as (l0 + l1) + (l2 + l3) and then to out[c]. With AVX2
// each sum is one register of four lanes (u loaded once for the four; four
// independent chains keep the adder busy); elsewhere the same lanes one value
// at a time: the same operations in the same order, so the same bits.
void lanes_dot4_scalar(const double* u, const double* const v[4], std::size_t m, double* out) {
  double lane[4][k_lanes] = {};
  for (std::size_t i = 0; i < m; i += k_lanes)
    for (std::size_t c = 0; c < 4; ++c)
      for (std::size_t l = 0; l < k_lanes; ++l) lane[c][l] += u[i + l] * v[c][i + l];
  for (std::size_t c = 0; c < 4; ++c)
    out[c] += (lane[c][0] + lane[c][1]) + (lane[c][2] + lane[c][3]);
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target("avx2"))) void lanes_dot4_avx2(const double* u, const double* const v[4],
                                                     std::size_t m, double* out) {
  __m256d s0 = _mm256_setzero_pd(), s1 = s0, s2 = s0, s3 = s0;
  for (std::size_t i = 0; i < m; i += k_lanes) {
    const __m256d ui = _mm256_loadu_pd(u + i);
    s0 = _mm256_add_pd(s0, _mm256_mul_pd(ui, _mm256_loadu_pd(v[0] + i)));
    s1 = _mm256_add_pd(s1, _mm256_mul_pd(ui, _mm256_loadu_pd(v[1] + i)));
    s2 = _mm256_add_pd(s2, _mm256_mul_pd(ui, _mm256_loadu_pd(v[2] + i)));
    s3 = _mm256_add_pd(s3, _mm256_mul_pd(ui, _mm256_loadu_pd(v[3] + i)));
  }
  double lane[4][k_lanes];
  _mm256_storeu_pd(lane[0], s0);
  _mm256_storeu_pd(lane[1], s1);
  _mm256_storeu_pd(lane[2], s2);
  _mm256_storeu_pd(lane[3], s3);
  for (std::size_t c = 0; c < 4; ++c)
    out[c] += (lane[c][0] + lane[c][1]) + (lane[c][2] + lane[c][3]);
}

#endif

void lanes_dot4(const double* u, const double* const v[4], std::size_t m, double* out) {
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
  if (cpu_has_avx2()) return lanes_dot4_avx2(u, v, m, out);
#endif
  lanes_dot4_scalar(u, v, m, out);
}

// out[j] += the lane sum of u * column j, for columns 0 .. count-1 of x (k_block apart).
void lanes_dots(const double* u, const double* x, std::size_t count, std::size_t m, double* out) {
  double unused[4];
  for (std::size_t c0 = 0; c0 < count; c0 += 4) {
    const double* v[4];
    for (std::size_t c = 0; c < 4; ++c) v[c] = x + std::min(c0 + c, count - 1) * k_block;
    if (c0 + 4 <= count) {
      lanes_dot4(u, v, m, out + c0);
      continue;
    }
    for (std::size_t c = 0; c < 4; ++c) unused[c] = c0 + c < count ? out[c0 + c] : 0.0;
    lanes_dot4(u, v, m, unused);  // a short last group: the extra sums are dropped
    for (std::size_t c = 0; c0 + c < count; ++c) out[c0 + c] = unused[c];
  }
}

// Sums over the rows of a block: m rows (a multiple of k_lanes; rows from
// `valid` on are padding and get weight 0), x the p columns of k_block values,
// y the deposit flags.
PROSPECT_VECTOR_CLONES
void add_block(std::size_t p, std::size_t m, std::size_t valid, const double* x,
               const unsigned char* y, const double* beta, double weight_of_ones, BlockSums& out) {
  // Not zeroed (the first m values of each are written before they are read).
  double eta[k_block], t[k_block], w[k_block], wz[k_block], wx[k_block], ll[k_block], cw[k_block];
#if !defined(__clang__)  // GCC's warning; clang has no such group
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
  for (std::size_t i = 0; i < m; ++i) eta[i] = 0.0;
  for (std::size_t a = 0; a < p; ++a)
    for (std::size_t i = 0; i < m; ++i) eta[i] += beta[a] * x[a * k_block + i];
  for (std::size_t i = 0; i < m; ++i) t[i] = -eta[i];
  exp_values(t, t, m);
  for (std::size_t i = 0; i < m; ++i) {
    const double mu = 1.0 / (1.0 + t[i]);
    const double v = std::max(mu * (1.0 - mu), 1e-12);
    const double deposit = double(y[i]);
    cw[i] = i < valid ? (y[i] ? weight_of_ones : 1.0) : 0.0;
    w[i] = v * cw[i];
    // w z for the working response z = eta + (y - mu) / v, without the division.
    wz[i] = cw[i] * (v * eta[i] + (deposit - mu));
    // The log of the probability of what the cell holds.
    ll[i] = y[i] ? std::max(mu, 1e-300) : std::max(1.0 - mu, 1e-300);
  }
  log_values(ll, ll, m);
  for (std::size_t i = 0; i < m; ++i) t[i] = double(y[i]);
  const double* v[4] = {ll, t, ll, t};  // the log-likelihood and the weighted deposits
  double sums[4] = {0.0, 0.0, 0.0, 0.0};
  lanes_dot4(cw, v, m, sums);
  out.loglik += sums[0];
  out.weighted_ones += sums[1];
  lanes_dots(wz, x, p, m, out.xtwz);     // X'Wz = sum of x (w z)
  for (std::size_t a = 0; a < p; ++a) {  // the lower triangle of X'WX, row a
    const double* xa = x + a * k_block;
    for (std::size_t i = 0; i < m; ++i) wx[i] = w[i] * xa[i];
    lanes_dots(wx, x, a + 1, m, out.xtwx + a * p);
  }
#if !defined(__clang__)
#pragma GCC diagnostic pop
#endif
}

}  // namespace

void IrlsAccumulator::add(const std::vector<const float*>& x, const unsigned char* y, std::size_t n,
                          const std::vector<double>& beta, double weight_of_ones) {
  std::vector<std::uint32_t> rows;  // the cells with every predictor
  std::vector<unsigned char> flags;
  for (std::size_t i = 0; i < n; ++i) {
    bool missing = false;
    for (const float* column : x) missing = missing || std::isnan(column[i]);
    if (missing) continue;
    rows.push_back(std::uint32_t(i));
    flags.push_back(y[i]);
  }
  add_complete(x.data(), rows.data(), flags.data(), rows.size(), beta, weight_of_ones);
}

void IrlsAccumulator::add_complete(const float* const* x, const std::uint32_t* index,
                                   const unsigned char* y, std::size_t n,
                                   const std::vector<double>& beta, double weight_of_ones) {
  add_complete_each(x, index, n, {IrlsRows{this, y, &beta, weight_of_ones}});
}

void IrlsAccumulator::add_complete_each(const float* const* x, const std::uint32_t* index,
                                        std::size_t n, const std::vector<IrlsRows>& fits) {
  if (fits.empty()) return;
  const std::size_t p = fits[0].sums->m_p;
  std::vector<double> block(p * k_block, 1.0);  // column 0 stays the intercept's ones
  unsigned char flags[k_block];
  for (std::size_t r0 = 0; r0 < n; r0 += k_block) {
    const std::size_t valid = std::min(k_block, n - r0);
    const std::size_t m = (valid + k_lanes - 1) / k_lanes * k_lanes;
    for (std::size_t j = 0; j + 1 < p; ++j) {
      double* column = block.data() + (j + 1) * k_block;
      const float* values = x[j];
      if (index)
        for (std::size_t k = 0; k < valid; ++k) column[k] = values[index[r0 + k]];
      else
        for (std::size_t k = 0; k < valid; ++k) column[k] = values[r0 + k];
      for (std::size_t k = valid; k < m; ++k) column[k] = 0.0;
    }
    for (const IrlsRows& fit : fits) {  // every fit on the rows gathered once
      IrlsAccumulator& sums = *fit.sums;
      for (std::size_t k = 0; k < m; ++k) flags[k] = k < valid ? fit.y[r0 + k] : 0;
      BlockSums out{sums.m_xtwx.data(), sums.m_xtwz.data()};
      add_block(p, m, valid, block.data(), flags, fit.beta->data(), fit.weight_of_ones, out);
      sums.m_loglik += out.loglik;
      sums.m_weighted_ones += out.weighted_ones;
      sums.m_n += double(valid);
      for (std::size_t k = 0; k < valid; ++k) sums.m_ones += flags[k];
    }
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

IrlsFitter::IrlsFitter(std::size_t predictors, int max_iterations, std::vector<double> start)
    : m_max_iterations(max_iterations), m_started(!start.empty()) {
  m_fit.beta = m_started ? std::move(start) : std::vector<double>(predictors + 1, 0.0);
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
  if (it == 1 && !m_started) {
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
