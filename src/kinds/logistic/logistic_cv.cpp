#include "prospect/kinds/logistic_cv.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "prospect/kinds/training.hpp"
#include "prospect/validate/success_rate.hpp"

namespace prospect {
namespace {

// One deposit's probability from its recorded predictors (p values in a row).
float probability(const std::vector<double>& beta, const float* row) {
  std::vector<const float*> x;
  for (std::size_t j = 0; j + 1 < beta.size(); ++j) x.push_back(row + j);
  float out = 0;
  logistic_probability(beta, x, 1, &out);
  return out;
}

// Sample rows holding a deposit of fold `fold`'s training set (not held out).
template <class Deposits>
std::size_t training_rows(const LogisticSamples& samples,
                          const std::vector<std::vector<std::size_t>>& per_tile,
                          const Deposits& deposits, const std::vector<int>& fold_of, int fold) {
  std::size_t count = 0;
  for (std::size_t t = 0; t < samples.tile_count(); ++t) {
    std::vector<std::int64_t> rows;
    for (std::size_t d : per_tile[t])
      if (fold_of[d] != fold && deposits[d].sample->row >= 0)
        rows.push_back(deposits[d].sample->row);
    std::sort(rows.begin(), rows.end());
    count += std::size_t(std::unique(rows.begin(), rows.end()) - rows.begin());
  }
  return count;
}

}  // namespace

CrossValidation cross_validate_logistic(const ModelSpec& model, const ScoreSpec& score,
                                        const LogisticScoreFit& full, const AnalysisGrid& grid,
                                        const std::vector<Tile>& tiles) {
  const LogisticSamples& samples = *full.samples;
  const TrainingCells& cells = *full.deposit_cells;
  struct Deposit {
    std::size_t tile;
    const DepositSample* sample;
  };
  std::vector<Deposit> deposits;
  std::vector<double> x_m, y_m;
  const double mpu = grid.metres_per_unit();
  for (std::size_t t = 0; t < tiles.size(); ++t) {
    const Window& w = tiles[t].window;
    for (std::size_t k = 0; k < cells.per_tile[t].size(); ++k) {
      const DepositSample& d = samples.deposits_of(t)[k];
      if (!d.inside) continue;  // as in the fit: cells outside the study area are no samples
      const std::size_t index = cells.per_tile[t][k];
      deposits.push_back({t, &d});
      x_m.push_back(grid.center_x(w.col + int(index % std::size_t(w.width))) * mpu);
      y_m.push_back(grid.center_y(w.row + int(index / std::size_t(w.width))) * mpu);
    }
  }
  CrossValidation out = plan_cross_validation(score.name, model.cross_validation, x_m, y_m);
  if (out.plan.folds == 0) return out;
  const std::size_t k = std::size_t(out.plan.folds), p = score.evidence.size(),
                    count = deposits.size();
  std::vector<std::vector<std::size_t>> per_tile(tiles.size());  // deposit ids by tile
  for (std::size_t d = 0; d < count; ++d) per_tile[deposits[d].tile].push_back(d);

  std::vector<double> weights(k, model.training->deposit_weight);
  std::vector<std::vector<unsigned char>> flags(std::size_t(samples.threads()));
  // One pass: every fold in `active` adds its sums for its beta.
  auto pass = [&](const std::vector<std::vector<double>>& betas, const std::vector<char>& active) {
    std::vector<IrlsAccumulator> total(k, IrlsAccumulator(p));
    samples.pass<std::vector<IrlsAccumulator>>(
        [&](const SampleTile& tile, std::vector<IrlsAccumulator>& sums) {
          sums.assign(k, IrlsAccumulator(p));
          std::vector<unsigned char>& y = flags[std::size_t(tile.worker)];
          y.assign(k * tile.rows, 0);  // each active fold's flags
          std::vector<IrlsRows> fits;
          for (std::size_t f = 0; f < k; ++f) {
            if (!active[f]) continue;
            unsigned char* fold_y = y.data() + f * tile.rows;
            for (std::size_t d : per_tile[tile.item])
              if (out.plan.fold_of[d] != int(f) && deposits[d].sample->row >= 0)
                fold_y[std::size_t(deposits[d].sample->row)] = 1;
            fits.push_back({&sums[f], fold_y, &betas[f], weights[f]});
          }
          IrlsAccumulator::add_complete_each(tile.columns.data(), tile.index, tile.rows, fits);
        },
        [&](std::size_t, std::vector<IrlsAccumulator>& sums) {
          for (std::size_t f = 0; f < k; ++f) total[f].merge(sums[f]);
        });
    return total;
  };

  if (model.training->balanced_weight) {  // each fold's own balance
    for (std::size_t f = 0; f < k; ++f) {
      const double ones =
          double(training_rows(samples, per_tile, deposits, out.plan.fold_of, int(f)));
      if (ones > 0) weights[f] = (double(samples.rows()) - ones) / ones;
    }
  }
  // Every fold starts at the full fit moved by what leaving the fold's deposits
  // out does to the fit on the subsample: near the fold's answer, so that a
  // pass or two decides it. Without a subsample, at the full fit itself.
  std::vector<std::vector<double>> starts(k, full.fit.beta);
  if (!full.subsample_beta.empty()) {
    const Subsample& sub = samples.subsample();
    for (std::size_t f = 0; f < k; ++f) {
      std::vector<unsigned char> y(sub.rows, 0);
      for (const Subsample::DepositRow& row : sub.deposit_rows)
        for (std::size_t d : per_tile[row.tile])
          if (deposits[d].sample->row == row.sample_row && out.plan.fold_of[d] != int(f))
            y[row.row] = 1;
      const std::vector<double> fold = fit_on_subsample(samples, y, weights[f]);
      if (fold.empty()) continue;
      for (std::size_t j = 0; j <= p; ++j) starts[f][j] += fold[j] - full.subsample_beta[j];
    }
  }
  std::vector<IrlsFitter> fitters;
  for (std::size_t f = 0; f < k; ++f) fitters.emplace_back(p, 50, starts[f]);
  std::vector<char> active(k, 1);
  auto lockstep = [&] {
    for (;;) {
      std::vector<std::vector<double>> betas;
      bool any = false;
      for (std::size_t f = 0; f < k; ++f) {
        active[f] = !fitters[f].done();
        any = any || active[f];
        betas.push_back(fitters[f].beta());
      }
      if (!any) break;
      const auto sums = pass(betas, active);
      for (std::size_t f = 0; f < k; ++f)
        if (active[f]) fitters[f].take(sums[f]);
    }
  };
  lockstep();
  // Newton steps can overshoot from a start they would not have reached: a
  // fold that failed from a moved start is refitted from the full fit.
  bool again = false;
  for (std::size_t f = 0; f < k; ++f)
    if (!fitters[f].result().converged && starts[f] != full.fit.beta) {
      fitters[f] = IrlsFitter(p, 50, full.fit.beta);
      again = true;
    }
  if (again) lockstep();

  // Rank each fold's held-out deposits on its map, and all deposits on the full fit's.
  std::vector<SuccessRate> rates;
  std::vector<std::vector<double>> betas;
  std::vector<float> all_scores;
  for (std::size_t d = 0; d < count; ++d)
    all_scores.push_back(probability(full.fit.beta, deposits[d].sample->values.data()));
  rates.emplace_back(all_scores);
  betas.push_back(full.fit.beta);
  out.folds.resize(k);
  for (std::size_t f = 0; f < k; ++f) {
    FoldOutcome& o = out.folds[f];
    std::vector<float> held;
    for (std::size_t d = 0; d < count; ++d)
      if (out.plan.fold_of[d] == int(f)) {
        ++o.held_out;
        held.push_back(probability(fitters[f].beta(), deposits[d].sample->values.data()));
      } else {
        ++o.training;
      }
    if (!fitters[f].result().converged) o.problem = fitters[f].result().problem;
    rates.emplace_back(held);
    betas.push_back(fitters[f].beta());
  }
  {
    std::vector<std::vector<float>> buffers(std::size_t(samples.threads())),
        rows(std::size_t(samples.threads()));
    samples.pass<std::vector<SuccessRate>>(
        [&](const SampleTile& tile, std::vector<SuccessRate>& maps) {
          maps.clear();
          for (std::size_t r = 0; r < rates.size(); ++r) maps.push_back(rates[r].empty_copy());
          std::vector<float>& prob = buffers[std::size_t(tile.worker)];
          prob.resize(tile.rows);
          const std::vector<const float*> x = contiguous(tile, rows[std::size_t(tile.worker)]);
          for (std::size_t r = 0; r < rates.size(); ++r) {
            logistic_probability(betas[r], x, tile.rows, prob.data());
            maps[r].add_cells(prob.data(), tile.rows);
          }
        },
        [&](std::size_t, std::vector<SuccessRate>& maps) {
          for (std::size_t r = 0; r < rates.size(); ++r) rates[r].merge(maps[r]);
        });
  }
  out.full_fit_auc = rates[0].auc();
  std::vector<double> aucs, placements;
  for (std::size_t f = 0; f < k; ++f) {
    if (!out.folds[f].problem.empty()) continue;
    out.folds[f].auc = rates[f + 1].auc();
    aucs.push_back(out.folds[f].auc);
    for (double v : rates[f + 1].placements()) placements.push_back(v);
  }
  summarise_folds(out, aucs, placements);
  return out;
}

}  // namespace prospect
