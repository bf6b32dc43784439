#include "prospect/kinds/logistic_cv.hpp"

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

}  // namespace

CrossValidation cross_validate_logistic(const ModelSpec& model, const ScoreSpec& score,
                                        const LogisticScoreFit& full, const AnalysisGrid& grid,
                                        const StudyArea& area, const std::vector<Tile>& tiles,
                                        const InputSet& inputs, int threads) {
  const TrainingCells cells = training_cells(model, score, grid, tiles);
  struct Deposit {
    std::size_t tile, index;
  };
  std::vector<Deposit> deposits;
  std::vector<double> x_m, y_m;
  const double mpu = grid.metres_per_unit();
  std::vector<unsigned char> inside;
  for (std::size_t t = 0; t < tiles.size(); ++t) {
    if (cells.per_tile[t].empty()) continue;
    const Window& w = tiles[t].window;
    inside.resize(w.cell_count());
    area.mask(w, inside.data());
    for (std::size_t index : cells.per_tile[t]) {
      if (!inside[index]) continue;  // as in the fit: cells outside the study area are no samples
      deposits.push_back({t, index});
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

  PredictorPass predictors(model, score, area, inputs, threads);
  std::vector<float> deposit_x(count * p, std::numeric_limits<float>::quiet_NaN());
  std::vector<double> weights(k, model.training->deposit_weight);
  // One pass: every fold in `active` adds its sums for its beta. Also records
  // each deposit's predictors (each tile is one worker's, so no two write the same).
  auto pass = [&](const std::vector<std::vector<double>>& betas, const std::vector<char>& active) {
    std::vector<IrlsAccumulator> total(k, IrlsAccumulator(p));
    run_tile_pass<std::vector<IrlsAccumulator>>(
        tiles, predictors.options(),
        [&](TileView& tile, std::vector<IrlsAccumulator>& sums) {
          sums.assign(k, IrlsAccumulator(p));
          if (tile.inside_count == 0) return;  // no samples (and no deposit: they lie inside)
          const std::vector<const float*> x = predictors.predictors(tile);
          for (std::size_t d : per_tile[tile.item])
            for (std::size_t j = 0; j < p; ++j) deposit_x[d * p + j] = x[j][deposits[d].index];
          std::vector<unsigned char> y(tile.cells);
          for (std::size_t f = 0; f < k; ++f) {
            if (!active[f]) continue;
            std::fill(y.begin(), y.end(), 0);
            for (std::size_t d : per_tile[tile.item])
              if (out.plan.fold_of[d] != int(f)) y[deposits[d].index] = 1;
            sums[f].add(x, y.data(), tile.cells, betas[f], weights[f]);
          }
        },
        [&](std::size_t, std::vector<IrlsAccumulator>& sums) {
          for (std::size_t f = 0; f < k; ++f) total[f].merge(sums[f]);
        });
    return total;
  };

  std::vector<IrlsFitter> fitters(k, IrlsFitter(p));
  std::vector<char> active(k, 1);
  if (model.training->balanced_weight) {  // each fold's own balance, from a counting pass
    const auto counts =
        pass(std::vector<std::vector<double>>(k, std::vector<double>(p + 1, 0.0)), active);
    for (std::size_t f = 0; f < k; ++f)
      if (counts[f].ones() > 0)
        weights[f] = (counts[f].cells() - counts[f].ones()) / counts[f].ones();
  }
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

  // Rank each fold's held-out deposits on its map, and all deposits on the full fit's.
  std::vector<SuccessRate> rates;
  std::vector<std::vector<double>> betas;
  std::vector<float> all_scores;
  for (std::size_t d = 0; d < count; ++d)
    all_scores.push_back(probability(full.fit.beta, &deposit_x[d * p]));
  rates.emplace_back(all_scores);
  betas.push_back(full.fit.beta);
  out.folds.resize(k);
  for (std::size_t f = 0; f < k; ++f) {
    FoldOutcome& o = out.folds[f];
    std::vector<float> held;
    for (std::size_t d = 0; d < count; ++d)
      if (out.plan.fold_of[d] == int(f)) {
        ++o.held_out;
        held.push_back(probability(fitters[f].beta(), &deposit_x[d * p]));
      } else {
        ++o.training;
      }
    if (!fitters[f].result().converged) o.problem = fitters[f].result().problem;
    rates.emplace_back(held);
    betas.push_back(fitters[f].beta());
  }
  {
    std::vector<std::vector<float>> buffers(static_cast<std::size_t>(threads));
    run_tile_pass<std::vector<SuccessRate>>(
        tiles, predictors.options(),
        [&](TileView& tile, std::vector<SuccessRate>& maps) {
          maps.clear();
          for (std::size_t r = 0; r < rates.size(); ++r) maps.push_back(rates[r].empty_copy());
          if (tile.inside_count == 0) return;  // no cell scored
          const std::vector<const float*> x = predictors.predictors(tile);
          std::vector<float>& prob = buffers[std::size_t(tile.worker)];
          prob.resize(tile.cells);
          for (std::size_t r = 0; r < rates.size(); ++r) {
            logistic_probability(betas[r], x, tile.cells, prob.data());
            maps[r].add_cells(prob.data(), tile.cells);
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
