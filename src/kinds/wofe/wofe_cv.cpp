#include "prospect/kinds/wofe_cv.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "prospect/validate/success_rate.hpp"

namespace prospect {

UniqueConditions::UniqueConditions(const PosteriorModel& fitted) {
  m_usable = true;
  std::uint64_t stride = 1;
  for (const LayerWeights& layer : fitted.layers) {
    m_values.push_back(layer.class_values);
    m_stride.push_back(stride);
    const std::uint64_t radix = layer.class_values.size() + 1;  // + missing
    if (stride > std::numeric_limits<std::uint64_t>::max() / radix) m_usable = false;
    stride *= radix;
  }
  if (m_usable && stride <= k_dense_keys) m_dense.assign(std::size_t(stride), 0);
}

std::size_t UniqueConditions::size() const {
  if (m_dense.empty()) return m_cells.size();
  return std::size_t(std::count_if(m_dense.begin(), m_dense.end(), [](auto c) { return c > 0; }));
}

void UniqueConditions::add(const std::vector<const float*>& classes, const float* score,
                           std::size_t n) {
  if (!m_usable) return;
  for (std::size_t i = 0; i < n; ++i) {
    if (std::isnan(score[i])) continue;
    std::uint64_t key = 0;
    for (std::size_t j = 0; j < m_values.size(); ++j) {
      const std::vector<double>& values = m_values[j];
      const float c = classes[j][i];
      std::size_t index = values.size();  // missing
      if (!std::isnan(c)) {
        const auto it = std::lower_bound(values.begin(), values.end(), double(c));
        if (it != values.end() && *it == double(c)) index = std::size_t(it - values.begin());
      }
      key += index * m_stride[j];
    }
    count(key, 1);
  }
}

void UniqueConditions::add_keys(const std::uint64_t* keys, const float* score, std::size_t n) {
  if (!m_dense.empty()) {  // one array element a cell: no runs needed
    std::int64_t* cells = m_dense.data();
    for (std::size_t i = 0; i < n; ++i)
      if (!std::isnan(score[i])) ++cells[keys[i]];
    return;
  }
  // Neighbouring cells mostly share a condition: counted in runs, one map look-up a run.
  std::uint64_t run_key = 0;
  std::int64_t run = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (std::isnan(score[i])) continue;
    if (run > 0 && keys[i] != run_key) {
      m_cells[run_key] += run;
      run = 0;
    }
    run_key = keys[i];
    ++run;
  }
  if (run > 0) m_cells[run_key] += run;
}

void UniqueConditions::merge(const UniqueConditions& other) {
  for (const auto& [key, cells] : other.m_cells) count(key, cells);
  for (std::size_t key = 0; key < other.m_dense.size(); ++key)
    if (other.m_dense[key] > 0) count(key, other.m_dense[key]);
}

void UniqueConditions::columns(std::vector<std::vector<float>>& classes,
                               std::vector<std::int64_t>& cells) const {
  std::vector<std::pair<std::uint64_t, std::int64_t>> sorted(m_cells.begin(), m_cells.end());
  for (std::size_t key = 0; key < m_dense.size(); ++key)
    if (m_dense[key] > 0) sorted.emplace_back(key, m_dense[key]);
  std::sort(sorted.begin(), sorted.end());
  classes.assign(m_values.size(), std::vector<float>(sorted.size()));
  cells.resize(sorted.size());
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (std::size_t k = 0; k < sorted.size(); ++k) {
    cells[k] = sorted[k].second;
    for (std::size_t j = 0; j < m_values.size(); ++j) {
      const std::size_t radix = m_values[j].size() + 1;
      const std::size_t index = std::size_t((sorted[k].first / m_stride[j]) % radix);
      classes[j][k] = index < m_values[j].size() ? float(m_values[j][index]) : nan;
    }
  }
}

namespace {

// Posterior of n rows of layer classes (row-major deposits or columns of conditions).
std::vector<float> posterior_of(const PosteriorModel& model,
                                const std::vector<std::vector<float>>& columns, std::size_t n) {
  std::vector<const float*> ptrs;
  for (const auto& c : columns) ptrs.push_back(c.data());
  std::vector<float> p(n), sd(n);
  posterior(model, ptrs, n, p.data(), sd.data());
  return p;
}

// Deposit rows (row-major, `layers` per deposit) as columns, for the listed deposits.
std::vector<std::vector<float>> deposit_columns(const std::vector<float>& rows, std::size_t layers,
                                                const std::vector<std::size_t>& which) {
  std::vector<std::vector<float>> cols(layers, std::vector<float>(which.size()));
  for (std::size_t k = 0; k < which.size(); ++k)
    for (std::size_t j = 0; j < layers; ++j) cols[j][k] = rows[which[k] * layers + j];
  return cols;
}

}  // namespace

CrossValidation cross_validate_wofe(const ModelSpec& model, const ScoreSpec& spec,
                                    const WofeScoreFit& fit, const UniqueConditions& conditions,
                                    const CrossValidationSpec& cv, double metres_per_unit,
                                    double cell_km2) {
  const std::size_t layers = spec.evidence.size();
  const std::size_t deposits = fit.deposit_x.size();
  std::vector<double> x(deposits), y(deposits);
  for (std::size_t d = 0; d < deposits; ++d) {  // metres, so the block size applies as written
    x[d] = fit.deposit_x[d] * metres_per_unit;
    y[d] = fit.deposit_y[d] * metres_per_unit;
  }
  CrossValidation out = plan_cross_validation(spec.name, cv, x, y);
  if (out.plan.folds == 0) return out;
  if (!conditions.usable()) {
    out.plan.folds = 0;
    out.plan.problem =
        "too many class combinations to cross-validate without refitting on the tiles";
    return out;
  }

  std::vector<std::vector<float>> cond_classes;
  std::vector<std::int64_t> cond_cells;
  conditions.columns(cond_classes, cond_cells);

  std::vector<std::size_t> all(deposits);
  for (std::size_t d = 0; d < deposits; ++d) all[d] = d;
  {  // the full fit on the same footing, for comparison
    SuccessRate rate(
        posterior_of(fit.model, deposit_columns(fit.deposit_classes, layers, all), deposits));
    rate.add_cells(posterior_of(fit.model, cond_classes, cond_cells.size()).data(),
                   cond_cells.data(), cond_cells.size());
    out.full_fit_auc = rate.auc();
  }

  std::vector<double> pooled_placements, aucs;
  for (int f = 0; f < out.plan.folds; ++f) {
    std::vector<std::size_t> train, held;
    for (std::size_t d = 0; d < deposits; ++d)
      (out.plan.fold_of[d] == f ? held : train).push_back(d);
    std::vector<float> train_rows;
    for (std::size_t d : train)
      train_rows.insert(train_rows.end(), fit.deposit_classes.begin() + std::ptrdiff_t(d * layers),
                        fit.deposit_classes.begin() + std::ptrdiff_t((d + 1) * layers));
    const ScoreWeights refit = weigh_score(model, spec, fit.cell_counts, train_rows,
                                           fit.study_unit_cells, cell_km2, nullptr);
    SuccessRate rate(
        posterior_of(refit.model, deposit_columns(fit.deposit_classes, layers, held), held.size()));
    rate.add_cells(posterior_of(refit.model, cond_classes, cond_cells.size()).data(),
                   cond_cells.data(), cond_cells.size());
    FoldOutcome o;
    o.training = train.size();
    o.held_out = held.size();
    o.auc = rate.auc();
    out.folds.push_back(o);
    aucs.push_back(o.auc);
    for (double p : rate.placements()) pooled_placements.push_back(p);
  }
  summarise_folds(out, aucs, pooled_placements);
  return out;
}

}  // namespace prospect
