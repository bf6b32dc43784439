#include "prospect/kinds/logistic_fit.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include "prospect/core/vector_math.hpp"
#include "prospect/kinds/training.hpp"

namespace prospect {
namespace {

// Sample rows holding a training deposit (two deposits in one cell: one row).
std::size_t deposit_rows(const LogisticSamples& samples) {
  std::size_t count = 0;
  for (std::size_t t = 0; t < samples.tile_count(); ++t) {
    std::vector<std::int64_t> rows;
    for (const DepositSample& d : samples.deposits_of(t))
      if (d.row >= 0) rows.push_back(d.row);
    std::sort(rows.begin(), rows.end());
    count += std::size_t(std::unique(rows.begin(), rows.end()) - rows.begin());
  }
  return count;
}

}  // namespace

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
  constexpr std::size_t k_block = 256;  // exp of a block at a time (vector exp where there is one)
  double t[k_block];
  unsigned char missing[k_block];
  for (std::size_t i0 = 0; i0 < n; i0 += k_block) {
    const std::size_t m = std::min(k_block, n - i0);
    for (std::size_t i = 0; i < m; ++i) {
      t[i] = beta[0];
      missing[i] = 0;
    }
    for (std::size_t j = 0; j < x.size(); ++j) {
      const float* v = x[j] + i0;
      for (std::size_t i = 0; i < m; ++i) {
        missing[i] |= v[i] != v[i];
        t[i] += beta[j + 1] * v[i];
      }
    }
    for (std::size_t i = 0; i < m; ++i) t[i] = missing[i] ? 0.0 : -t[i];
    exp_values(t, t, m);
    for (std::size_t i = 0; i < m; ++i)
      out[i0 + i] =
          missing[i] ? std::numeric_limits<float>::quiet_NaN() : float(1.0 / (1.0 + t[i]));
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

namespace {

// One IRLS pass over the samples: the sums at beta.
IrlsAccumulator sample_sums(const LogisticSamples& samples, const std::vector<double>& beta,
                            double weight) {
  const std::size_t p = samples.predictors();
  IrlsAccumulator total(p);
  std::vector<std::vector<unsigned char>> flags(std::size_t(samples.threads()));
  samples.pass<IrlsAccumulator>(
      [&](const SampleTile& tile, IrlsAccumulator& sums) {
        sums = IrlsAccumulator(p);
        std::vector<unsigned char>& y = flags[std::size_t(tile.worker)];
        y.assign(tile.rows, 0);
        for (const DepositSample& d : samples.deposits_of(tile.item))
          if (d.row >= 0) y[std::size_t(d.row)] = 1;
        sums.add_complete(tile.columns.data(), tile.index, y.data(), tile.rows, beta, weight);
      },
      [&](std::size_t, IrlsAccumulator& sums) { total.merge(sums); });
  return total;
}

}  // namespace

std::vector<double> fit_on_subsample(const LogisticSamples& samples,
                                     const std::vector<unsigned char>& y, double weight) {
  const Subsample& sub = samples.subsample();
  if (sub.background_share >= 1) return {};  // it holds every sample: no head start
  std::vector<const float*> x;
  for (std::size_t j = 0; j < samples.predictors(); ++j)
    x.push_back(sub.columns.data() + j * sub.rows);
  // A background cell drawn with chance s stands for 1/s cells; scaling every
  // weight by s leaves the coefficients alone and the background at weight 1.
  const LogisticFit f = fit_logistic(samples.predictors(), [&](const std::vector<double>& beta) {
    IrlsAccumulator sums(samples.predictors());
    sums.add_complete(x.data(), nullptr, y.data(), sub.rows, beta, weight * sub.background_share);
    return sums;
  });
  if (!f.converged) return {};  // the full fit finds and words the problem
  return f.beta;
}

std::vector<LogisticScoreFit> fit_logistic_model(const ModelSpec& model, const AnalysisGrid& grid,
                                                 const StudyArea& area,
                                                 const std::vector<Tile>& tiles,
                                                 const InputSet& inputs, int threads,
                                                 std::size_t memory_budget) {
  std::vector<LogisticScoreFit> fits;
  for (const ScoreSpec& score : model.scores) {
    LogisticScoreFit sf;
    sf.deposit_cells =
        std::make_shared<const TrainingCells>(training_cells(model, score, grid, tiles));
    sf.samples = std::make_shared<const LogisticSamples>(model, score, area, tiles, inputs,
                                                         *sf.deposit_cells, threads,
                                                         memory_budget / model.scores.size());
    const LogisticSamples& samples = *sf.samples;

    double weight = model.training->deposit_weight;
    if (model.training->balanced_weight) {  // background cells over deposit cells
      const double ones = double(deposit_rows(samples));
      if (ones > 0) weight = (double(samples.rows()) - ones) / ones;
    }
    sf.deposit_weight = weight;
    auto irls = [&](std::vector<double> start) {
      IrlsFitter fitter(score.evidence.size(), 50, std::move(start));
      while (!fitter.done()) fitter.take(sample_sums(samples, fitter.beta(), weight));
      return fitter.result();
    };
    sf.subsample_beta = fit_on_subsample(samples, samples.subsample().y, weight);
    const std::vector<double>& start = sf.subsample_beta;
    sf.fit = irls(start);
    // Newton steps can overshoot from a start they would not have reached; from
    // the intercept-only fit, as without a subsample, before giving up.
    if (!sf.fit.converged && !start.empty()) sf.fit = irls({});
    if (!sf.fit.converged)
      throw Error(
          ErrorKind::bad_input,
          "the logistic regression for " + score.name + " cannot be fitted: " + sf.fit.problem,
          ErrorContext{model.training->deposits.path, "", "", "fitting " + score.name, 0, 0});
    sf.deposits = std::int64_t(sf.fit.deposit_cells);
    fits.push_back(std::move(sf));
  }
  return fits;
}

}  // namespace prospect
