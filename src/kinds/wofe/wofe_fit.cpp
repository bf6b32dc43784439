#include "prospect/kinds/wofe_fit.hpp"

#include <cmath>
#include <cstdio>
#include <memory>

#include "prospect/kinds/training.hpp"
#include "prospect/pipeline/tile_pass.hpp"
#include "prospect/raster/raster_source.hpp"

namespace prospect {

double IndependenceTest::z() const {
  return variance > 0 ? (expected - double(observed)) / std::sqrt(variance) : 0.0;
}

double IndependenceTest::p_value() const { return 0.5 * std::erfc(z() / std::sqrt(2.0)); }

std::string IndependenceTest::verdict() const {
  char buf[400];
  const double ratio = expected > 0 ? double(observed) / expected : 0;
  if (p_value() < 0.05)
    std::snprintf(buf, sizeof buf,
                  "conditional independence is doubtful: the posterior probabilities add up to "
                  "%.2f deposits where %lld are known (n/T = %.2f, p = %.3f); the evidence layers "
                  "overlap in what they say, so posteriors are too high: drop or merge correlated "
                  "layers",
                  expected, (long long)observed, ratio, p_value());
  else
    std::snprintf(buf, sizeof buf,
                  "no evidence against conditional independence: posteriors add up to %.2f "
                  "deposits, %lld are known (n/T = %.2f, p = %.3f)",
                  expected, (long long)observed, ratio, p_value());
  return buf;
}

namespace {

// Every pair of the score's used layers, tested on the deposits' weight groups.
std::vector<PairwiseTest> pairwise_tests(const ScoreSpec& spec, const ModelSpec& model,
                                         const PosteriorModel& fitted,
                                         const std::vector<float>& deposit_classes) {
  const std::size_t layers = spec.evidence.size();
  const std::size_t deposits = layers ? deposit_classes.size() / layers : 0;
  std::vector<std::vector<int>> groups(layers, std::vector<int>(deposits, -1));
  for (std::size_t j = 0; j < layers; ++j)
    for (std::size_t d = 0; d < deposits; ++d) {
      const float c = deposit_classes[d * layers + j];
      if (!std::isnan(c)) groups[j][d] = fitted.layers[j].group_of(c);
    }
  std::vector<PairwiseTest> out;
  for (std::size_t i = 0; i < layers; ++i)
    for (std::size_t j = i + 1; j < layers; ++j) {
      if (!fitted.layers[i].used || !fitted.layers[j].used) continue;
      out.push_back(
          pairwise_independence(model.evidence[std::size_t(spec.evidence[i])].name, groups[i],
                                model.evidence[std::size_t(spec.evidence[j])].name, groups[j]));
    }
  return out;
}

}  // namespace

ScoreWeights weigh_score(const ModelSpec& model, const ScoreSpec& spec,
                         const std::vector<std::vector<ClassCount>>& cell_counts,
                         const std::vector<float>& deposit_classes, double study_unit_cells,
                         double cell_km2, std::vector<std::string>* warnings) {
  const TrainingSpec& training = *model.training;
  const std::size_t layers = spec.evidence.size();
  const std::size_t deposits = layers ? deposit_classes.size() / layers : 0;
  auto warn = [&](const std::string& w) {
    if (warnings) warnings->push_back(w);
  };
  ScoreWeights out;
  out.model = make_posterior_model(std::int64_t(deposits), study_unit_cells);
  for (std::size_t j = 0; j < layers; ++j) {
    const EvidenceSpec& ev = model.evidence[std::size_t(spec.evidence[j])];
    // Cells from the shared counts, deposits from this score's deposits.
    std::vector<ClassCount> counts = cell_counts[j];
    for (std::size_t d = 0; d < deposits; ++d) {
      const float c = deposit_classes[d * layers + j];
      if (std::isnan(c)) continue;
      for (auto& row : counts)
        if (row.value == double(c)) ++row.deposits;
    }
    WeightsOptions o;
    o.type = ev.weights;
    o.unit_cell_km2 = training.unit_cell_km2;
    o.cell_km2 = cell_km2;
    o.min_studentized = training.min_studentized;
    if (counts.empty()) {
      warn(spec.name + ": evidence '" + ev.name + "' has no data in the study area");
      out.model.layers.push_back(LayerWeights{{}, {}, {0.0}, {0.0}, {1.0}, false, "no data"});
      out.tables.push_back(WeightsTable{});
      continue;
    }
    WeightsTable table = weights_table(counts, o);
    if (table.deposits == 0) {
      warn(spec.name + ": no training deposit lies on evidence '" + ev.name +
           "' (all on its nodata); the layer is not used");
      LayerWeights unused;
      unused.used = false;
      unused.note = "no deposit on this layer's data";
      for (const auto& c : counts) {
        unused.class_values.push_back(c.value);
        unused.class_group.push_back(0);
      }
      unused.group_weight = {0.0};
      unused.group_variance = {0.0};
      unused.group_share = {1.0};
      out.model.layers.push_back(unused);
      out.tables.push_back(table);
      continue;
    }
    LayerWeights lw = layer_weights(table, counts, training.min_studentized);
    if (!lw.note.empty()) warn(spec.name + ": evidence '" + ev.name + "': " + lw.note);
    if (counts.size() > 1)
      for (const auto& c : counts)
        if (c.deposits == table.deposits)
          warn(spec.name + ": all deposits on evidence '" + ev.name + "' lie in class " +
               std::to_string(c.value) + ": the other classes have no deposits to weigh");
    out.model.layers.push_back(std::move(lw));
    out.tables.push_back(std::move(table));
  }
  return out;
}

namespace {

// A weights table has a row per class: a continuous layer without breaks would
// have one per value, and no statistics (and quadratic time counting them).
constexpr std::size_t k_max_wofe_classes = 1000;

[[noreturn]] void refuse_continuous(const ModelSpec& model, const EvidenceSpec& e) {
  throw Error(ErrorKind::bad_model,
              "evidence '" + e.name + "' has more than " + std::to_string(k_max_wofe_classes) +
                  " classes (distinct values of input '" + model.inputs[std::size_t(e.input)].name +
                  "' in the study area): weights of evidence need classes",
              {model.path, "", "", "fitting weights of evidence", 0, 0},
              "give the layer breaks: [100, 300, 600], or breaks: {quantiles: 10}");
}

}  // namespace

WofeFit fit_wofe(const ModelSpec& model, const AnalysisGrid& grid, const StudyArea& area,
                 const std::vector<Tile>& tiles, const InputSet& inputs, int threads) {
  WofeFit fit;
  const TrainingSpec& training = *model.training;
  const std::size_t score_count = model.scores.size();
  const std::size_t evidence_count = model.evidence.size();
  const double mpu = grid.metres_per_unit();
  const double cell_km2 = grid.cell_area() * mpu * mpu / 1e6;
  const double unit_per_cell = cell_km2 / training.unit_cell_km2;
  fit.scores.resize(score_count);

  // Training deposits of each score, bucketed by tile.
  std::vector<TrainingCells> deposits;
  for (std::size_t s = 0; s < score_count; ++s) {
    deposits.push_back(training_cells(model, model.scores[s], grid, tiles));
    fit.scores[s].deposits_read = deposits.back().read;
    if (deposits.back().outside_grid > 0)
      fit.warnings.push_back(model.scores[s].name + ": " +
                             std::to_string(deposits.back().outside_grid) +
                             " training deposit(s) lie outside the grid and are not counted");
  }

  std::vector<char> input_used(model.inputs.size(), 0), evidence_used(evidence_count, 0);
  for (const auto& s : model.scores)
    for (int e : s.evidence) {
      evidence_used[std::size_t(e)] = 1;
      input_used[std::size_t(model.evidence[std::size_t(e)].input)] = 1;
    }

  struct Slot {
    std::vector<ClassCounter> cells;                  // per evidence
    std::vector<std::vector<ClassCounter>> deposits;  // per score, per evidence
    std::int64_t inside = 0;
    std::vector<std::int64_t> deposits_inside;  // per score
    // Per score: each inside deposit's class on each of the score's layers, in order.
    std::vector<std::vector<float>> deposit_classes;
    std::vector<std::vector<double>> deposit_x, deposit_y;  // per score
    void clear(std::size_t score_count, std::size_t evidence_count) {
      *this = Slot{};
      cells.assign(evidence_count, ClassCounter(k_max_wofe_classes));
      deposits.assign(score_count,
                      std::vector<ClassCounter>(evidence_count, ClassCounter(k_max_wofe_classes)));
      deposits_inside.assign(score_count, 0);
      deposit_classes.assign(score_count, {});
      deposit_x.assign(score_count, {});
      deposit_y.assign(score_count, {});
    }
  };
  std::vector<std::vector<std::vector<float>>> class_scratch(
      static_cast<std::size_t>(threads));  // per worker, per evidence
  Slot total;
  total.clear(score_count, evidence_count);

  TilePassOptions pass;
  pass.threads = threads;
  pass.area = &area;
  pass.sources = PassSources::of(inputs, model.inputs.size(), input_used);
  run_tile_pass<Slot>(
      tiles, pass,
      [&](TileView& tile, Slot& slot) {
        slot.clear(score_count, evidence_count);
        slot.inside = std::int64_t(tile.inside_count);
        if (slot.inside == 0) return;
        const Window& w = tile.window;
        const std::size_t n = tile.cells;
        std::vector<const float*> classes(evidence_count, nullptr);
        auto& scratch = class_scratch[std::size_t(tile.worker)];
        scratch.resize(evidence_count);
        for (std::size_t e = 0; e < evidence_count; ++e) {
          if (!evidence_used[e]) continue;
          classes[e] = evidence_classes(
              model.evidence[e], tile.layer(std::size_t(model.evidence[e].input)), scratch[e]);
          slot.cells[e].add_cells(classes[e], tile.inside, n);
        }
        for (std::size_t s = 0; s < score_count; ++s)
          for (const std::size_t index : deposits[s].per_tile[tile.item]) {
            if (!tile.inside[index]) continue;
            ++slot.deposits_inside[s];
            slot.deposit_x[s].push_back(grid.center_x(w.col + int(index % std::size_t(w.width))));
            slot.deposit_y[s].push_back(grid.center_y(w.row + int(index / std::size_t(w.width))));
            for (int e : model.scores[s].evidence) {
              const float c = classes[std::size_t(e)][index];
              if (!std::isnan(c)) slot.deposits[s][std::size_t(e)].add_deposit(c);
              slot.deposit_classes[s].push_back(c);
            }
          }
      },
      [&](std::size_t, Slot& slot) {
        total.inside += slot.inside;
        for (std::size_t e = 0; e < evidence_count; ++e) {
          total.cells[e].merge(slot.cells[e]);
          if (total.cells[e].overflowed()) refuse_continuous(model, model.evidence[e]);
        }
        for (std::size_t s = 0; s < score_count; ++s) {
          total.deposits_inside[s] += slot.deposits_inside[s];
          total.deposit_classes[s].insert(total.deposit_classes[s].end(),
                                          slot.deposit_classes[s].begin(),
                                          slot.deposit_classes[s].end());
          total.deposit_x[s].insert(total.deposit_x[s].end(), slot.deposit_x[s].begin(),
                                    slot.deposit_x[s].end());
          total.deposit_y[s].insert(total.deposit_y[s].end(), slot.deposit_y[s].begin(),
                                    slot.deposit_y[s].end());
          for (std::size_t e = 0; e < evidence_count; ++e)
            total.deposits[s][e].merge(slot.deposits[s][e]);
        }
      });

  const double study_unit_cells = double(total.inside) * unit_per_cell;
  for (std::size_t s = 0; s < score_count; ++s) {
    const ScoreSpec& spec = model.scores[s];
    WofeScoreFit& sf = fit.scores[s];
    sf.deposits = total.deposits_inside[s];
    sf.study_unit_cells = study_unit_cells;
    ErrorContext ctx{training.deposits.path, "", "", "fitting weights for " + spec.name, 0, 0};
    if (sf.deposits == 0)
      throw Error(ErrorKind::bad_input,
                  "no training deposit for " + spec.name + " lies inside the study area (" +
                      std::to_string(sf.deposits_read) + " read after the filter)",
                  ctx, "check the training filter ('where') and that deposits and grid overlap");
    const std::int64_t outside_area =
        std::int64_t(deposits[s].read) - deposits[s].outside_grid - sf.deposits;
    if (outside_area > 0)
      fit.warnings.push_back(spec.name + ": " + std::to_string(outside_area) +
                             " training deposit(s) lie on cells outside the study area (a cell is "
                             "in when its centre is inside the polygon) and are not counted");
    if (study_unit_cells <= 1.0)
      throw Error(ErrorKind::bad_model, "the unit cell is not smaller than the study area", ctx,
                  "choose a unit cell much smaller than the study area, e.g. 0.01 to 1 km2");
    if (double(sf.deposits) >= study_unit_cells)
      throw Error(ErrorKind::bad_model, "there are as many deposits as unit cells", ctx,
                  "choose a smaller unit cell");
    for (int e : spec.evidence) {
      std::vector<ClassCount> counts = total.cells[std::size_t(e)].counts();
      for (auto& c : counts) c.deposits = 0;
      sf.cell_counts.push_back(std::move(counts));
    }
    sf.deposit_classes = total.deposit_classes[s];
    sf.deposit_x = total.deposit_x[s];
    sf.deposit_y = total.deposit_y[s];
    ScoreWeights weights = weigh_score(model, spec, sf.cell_counts, sf.deposit_classes,
                                       study_unit_cells, cell_km2, &fit.warnings);
    sf.model = std::move(weights.model);
    sf.tables = std::move(weights.tables);
    sf.pairwise = pairwise_tests(spec, model, sf.model, total.deposit_classes[s]);
    for (const auto& t : sf.pairwise)
      if (t.degrees_of_freedom > 0 && t.p_value < 0.05)
        fit.warnings.push_back(spec.name + ": " + t.verdict());
  }
  return fit;
}

}  // namespace prospect
