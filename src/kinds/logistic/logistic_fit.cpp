#include "prospect/kinds/logistic_fit.hpp"

#include <cmath>
#include <limits>
#include <memory>

#include "prospect/kinds/training.hpp"

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
    out[i] =
        missing ? std::numeric_limits<float>::quiet_NaN() : float(1.0 / (1.0 + std::exp(-eta)));
  }
}

PredictorPass::PredictorPass(const ModelSpec& model, const ScoreSpec& score, const StudyArea& area,
                             const InputSet& inputs, int threads)
    : m_model(model), m_score(score), m_scratch(std::size_t(threads)) {
  std::vector<char> used(model.inputs.size(), 0);
  for (int e : score.evidence) used[std::size_t(model.evidence[std::size_t(e)].input)] = 1;
  m_options.threads = threads;
  m_options.area = &area;
  m_options.sources = PassSources::of(inputs, model.inputs.size(), used);
  m_options.outside_as_missing = true;
}

std::vector<const float*> PredictorPass::predictors(TileView& tile) {
  return logistic_predictors(m_model, m_score, *tile.values, m_scratch[std::size_t(tile.worker)]);
}

std::vector<LogisticScoreFit> fit_logistic_model(const ModelSpec& model, const AnalysisGrid& grid,
                                                 const StudyArea& area,
                                                 const std::vector<Tile>& tiles,
                                                 const InputSet& inputs, int threads) {
  std::vector<LogisticScoreFit> fits;
  for (const ScoreSpec& score : model.scores) {
    const TrainingCells deposits = training_cells(model, score, grid, tiles);
    PredictorPass predictors(model, score, area, inputs, threads);
    const std::size_t p = score.evidence.size();

    double weight = model.training->deposit_weight;
    auto pass = [&](const std::vector<double>& beta) {
      IrlsAccumulator total(p);
      run_tile_pass<IrlsAccumulator>(
          tiles, predictors.options(),
          [&](TileView& tile, IrlsAccumulator& sums) {
            sums = IrlsAccumulator(p);
            if (tile.inside_count == 0) return;  // no samples
            const std::vector<const float*> x = predictors.predictors(tile);
            std::vector<unsigned char> y(tile.cells, 0);
            for (std::size_t index : deposits.per_tile[tile.item]) y[index] = 1;
            sums.add(x, y.data(), tile.cells, beta, weight);
          },
          [&](std::size_t, IrlsAccumulator& sums) { total.merge(sums); });
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
      throw Error(
          ErrorKind::bad_input,
          "the logistic regression for " + score.name + " cannot be fitted: " + sf.fit.problem,
          ErrorContext{model.training->deposits.path, "", "", "fitting " + score.name, 0, 0});
    sf.deposits = std::int64_t(sf.fit.deposit_cells);
    fits.push_back(sf);
  }
  return fits;
}

}  // namespace prospect
