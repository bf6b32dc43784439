#include "prospect/run/logistic_fit.hpp"

#include <cmath>
#include <limits>
#include <memory>

#include "prospect/core/interrupt.hpp"
#include "prospect/core/parallel.hpp"
#include "prospect/run/training.hpp"

namespace prospect {

std::vector<const float*> logistic_predictors(const ModelSpec& model, const ScoreSpec& score,
                                              const std::vector<std::vector<float>>& input_values,
                                              std::vector<std::vector<float>>& scratch) {
  std::vector<const float*> x;
  scratch.resize(model.evidence.size());
  for (int e : score.evidence) {
    const EvidenceSpec& ev = model.evidence[std::size_t(e)];
    const std::vector<float>& raw = input_values[std::size_t(ev.input)];
    if (!ev.has_membership) {
      x.push_back(raw.data());
      continue;
    }
    auto& buf = scratch[std::size_t(e)];
    buf.resize(raw.size());
    apply_membership(ev.membership, raw.data(), buf.data(), raw.size());
    x.push_back(buf.data());
  }
  return x;
}

void logistic_probability(const std::vector<double>& beta, const std::vector<const float*>& x,
                          std::size_t n, float* out) {
  for (std::size_t i = 0; i < n; ++i) {
    double eta = beta[0];
    bool missing = false;
    for (std::size_t j = 0; j < x.size(); ++j) {
      if (std::isnan(x[j][i])) {
        missing = true;
        break;
      }
      eta += beta[j + 1] * x[j][i];
    }
    out[i] = missing ? std::numeric_limits<float>::quiet_NaN() : float(1.0 / (1.0 + std::exp(-eta)));
  }
}

PredictorTiles::PredictorTiles(const ModelSpec& model, const ScoreSpec& score, const StudyArea& area,
                               const std::vector<Tile>& tiles, const InputSet& inputs, int threads)
    : m_model(model), m_score(score), m_area(area), m_tiles(tiles), m_inputs(inputs),
      m_used(model.inputs.size(), 0), m_workers(static_cast<std::size_t>(threads)) {
  for (int e : score.evidence) m_used[std::size_t(model.evidence[std::size_t(e)].input)] = 1;
}

std::vector<const float*> PredictorTiles::read(std::size_t item, int worker_index) {
  const Window& w = m_tiles[item].window;
  const std::size_t n = w.cell_count();
  Worker& worker = m_workers[std::size_t(worker_index)];
  worker.inside.resize(n);
  m_area.mask(w, worker.inside.data());
  if (worker.sources.empty()) {
    worker.sources.resize(m_model.inputs.size());
    worker.values.resize(m_model.inputs.size());
  }
  for (std::size_t i = 0; i < m_model.inputs.size(); ++i) {
    if (!m_used[i]) continue;
    if (!worker.sources[i]) worker.sources[i] = m_inputs.open(i);
    worker.values[i].resize(n);
    worker.sources[i]->read(w, worker.values[i].data());
    for (std::size_t c = 0; c < n; ++c)
      if (!worker.inside[c]) worker.values[i][c] = std::numeric_limits<float>::quiet_NaN();
  }
  return logistic_predictors(m_model, m_score, worker.values, worker.scratch);
}

std::vector<LogisticScoreFit> fit_logistic_model(const ModelSpec& model, const AnalysisGrid& grid,
                                                 const StudyArea& area, const std::vector<Tile>& tiles,
                                                 const InputSet& inputs, int threads) {
  std::vector<LogisticScoreFit> fits;
  const std::size_t window = std::size_t(threads) * 2;
  for (const ScoreSpec& score : model.scores) {
    const TrainingCells deposits = training_cells(model, score, grid, tiles);
    PredictorTiles predictors(model, score, area, tiles, inputs, threads);
    const std::size_t p = score.evidence.size();

    double weight = model.training->deposit_weight;
    auto pass = [&](const std::vector<double>& beta) {
      std::vector<IrlsAccumulator> slots(window, IrlsAccumulator(p));
      IrlsAccumulator total(p);
      run_ordered(
          tiles.size(), threads, window,
          [&](std::size_t item, int wi) {
            throw_if_interrupted();
            const std::size_t n = tiles[item].window.cell_count();
            IrlsAccumulator& slot = slots[item % window];
            slot = IrlsAccumulator(p);
            const std::vector<const float*> x = predictors.read(item, wi);
            std::vector<unsigned char> y(n, 0);
            for (std::size_t index : deposits.per_tile[item]) y[index] = 1;
            slot.add(x, y.data(), n, beta, weight);
          },
          [&](std::size_t item) { total.merge(slots[item % window]); });
      return total;
    };

    if (model.training->balanced_weight) {  // one counting pass first
      const IrlsAccumulator counts = pass(std::vector<double>(p + 1, 0.0));
      if (counts.ones() > 0) weight = (counts.cells() - counts.ones()) / counts.ones();
    }
    LogisticScoreFit sf;
    sf.deposit_weight = weight;
    sf.fit = fit_logistic(p, pass);
    if (!sf.fit.converged)
      throw Error(ErrorKind::bad_input,
                  "the logistic regression for " + score.name + " cannot be fitted: " + sf.fit.problem,
                  ErrorContext{model.training->deposits.path, "", "", "fitting " + score.name, 0, 0});
    sf.deposits = std::int64_t(sf.fit.deposit_cells);
    fits.push_back(sf);
  }
  return fits;
}

}  // namespace prospect
