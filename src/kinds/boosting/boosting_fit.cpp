#include "prospect/kinds/boosting_fit.hpp"

#include <xgboost/c_api.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <mutex>
#include <nlohmann/json.hpp>

#include "prospect/core/error.hpp"
#include "prospect/core/splitmix.hpp"
#include "prospect/validate/success_rate.hpp"

namespace prospect {
namespace {

// XGBoost calls return -1 on failure, with the reason in XGBGetLastError().
void check(int status, const std::string& doing) {
  if (status == 0) return;
  std::string why = XGBGetLastError();
  why = why.substr(0, why.find('\n'));  // the message, not XGBoost's stack trace
  throw Error(ErrorKind::run_failed, "XGBoost failed " + doing + ": " + why);
}

struct Rows {
  std::vector<float> values, labels, weights, evaluation;
  std::vector<std::uint64_t> cells;
  std::int64_t deposits = 0, background = 0, excluded = 0;
};

// The evaluation sample's own hash stream, apart from the background's.
constexpr unsigned long long k_evaluation_stream = 0x5851f42d4c957f2dULL;

std::string format_double(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

}  // namespace

TrainingTable training_table(const ModelSpec& model, const ScoreSpec& score,
                             const TrainingCells& deposits, const AnalysisGrid& grid,
                             const StudyArea& area, const std::vector<Tile>& tiles,
                             const InputSet& inputs, int threads, std::int64_t evaluation_cells) {
  TrainingTable table;
  const std::size_t p = score.evidence.size();
  std::vector<int> feature_input;
  std::vector<char> used(model.inputs.size(), 0);
  for (int e : score.evidence) {
    const EvidenceSpec& ev = model.evidence[std::size_t(e)];
    table.features.push_back(ev.name);
    table.categorical.push_back(model.inputs[std::size_t(ev.input)].kind == InputKind::rasterize);
    feature_input.push_back(ev.input);
    used[std::size_t(ev.input)] = 1;
  }

  // The study area's cells, and the deposit cells in it (one row per cell).
  TilePassOptions count;
  count.threads = threads;
  count.area = &area;
  std::int64_t inside = 0, deposit_cells = 0;
  std::vector<std::vector<std::size_t>> deposit_index(tiles.size());
  run_tile_pass<std::pair<std::int64_t, std::vector<std::size_t>>>(
      tiles, count,
      [&](TileView& tile, std::pair<std::int64_t, std::vector<std::size_t>>& out) {
        out.first = std::int64_t(tile.inside_count);
        out.second.clear();
        for (std::size_t i : deposits.per_tile[tile.item])
          if (tile.inside[i]) out.second.push_back(i);
        std::sort(out.second.begin(), out.second.end());
        out.second.erase(std::unique(out.second.begin(), out.second.end()), out.second.end());
      },
      [&](std::size_t item, std::pair<std::int64_t, std::vector<std::size_t>>& out) {
        inside += out.first;
        deposit_cells += std::int64_t(out.second.size());
        deposit_index[item] = std::move(out.second);
      });
  table.study_area_cells = inside;
  if (deposit_cells == 0) return table;

  // Deposit cell centres, for the exclusion buffer (grid units).
  std::vector<std::pair<double, double>> centres;
  for (std::size_t t = 0; t < tiles.size(); ++t)
    for (std::size_t i : deposit_index[t]) {
      const Window& w = tiles[t].window;
      centres.emplace_back(grid.center_x(w.col + int(i % std::size_t(w.width))),
                           grid.center_y(w.row + int(i / std::size_t(w.width))));
    }
  const BackgroundSpec& bg = model.training->background;
  const double buffer = bg.buffer_m > 0 ? bg.buffer_m / grid.metres_per_unit() : 0;
  const double share = std::min(1.0, bg.ratio * double(deposit_cells) /
                                         double(std::max<std::int64_t>(1, inside - deposit_cells)));
  const float deposit_weight = float(model.training->deposit_weight);
  const double evaluation_share =
      std::min(1.0, double(evaluation_cells) / double(std::max<std::int64_t>(1, inside)));

  TilePassOptions pass;
  pass.threads = threads;
  pass.area = &area;
  pass.sources = PassSources::of(inputs, model.inputs.size(), used);
  pass.outside_as_missing = true;
  Rows all;
  run_tile_pass<Rows>(
      tiles, pass,
      [&](TileView& tile, Rows& rows) {
        rows = Rows{};
        if (tile.inside_count == 0) return;
        const Window& w = tile.window;
        const std::vector<std::size_t>& positive = deposit_index[tile.item];
        auto cell_of = [&](std::size_t i) {
          return std::uint64_t(w.row + int(i / std::size_t(w.width))) *
                     std::uint64_t(grid.width()) +
                 std::uint64_t(w.col + int(i % std::size_t(w.width)));
        };
        auto add = [&](std::size_t i, bool deposit) {
          for (std::size_t j = 0; j < p; ++j)
            rows.values.push_back(tile.layer(std::size_t(feature_input[j]))[i]);
          rows.labels.push_back(deposit ? 1.0f : 0.0f);
          rows.weights.push_back(deposit ? deposit_weight : 1.0f);
          rows.cells.push_back(cell_of(i));
        };
        std::size_t next = 0;
        for (std::size_t i = 0; i < tile.cells; ++i) {
          if (!tile.inside[i]) continue;
          if (next < positive.size() && positive[next] == i) {
            ++next;
            ++rows.deposits;
            add(i, true);
            continue;
          }
          const std::uint64_t cell = cell_of(i);
          if (uniform_of_cell(bg.seed, cell) >= share) {
            if (evaluation_share > 0 &&
                uniform_of_cell(bg.seed ^ k_evaluation_stream, cell) < evaluation_share)
              for (std::size_t j = 0; j < p; ++j)
                rows.evaluation.push_back(tile.layer(std::size_t(feature_input[j]))[i]);
            continue;
          }
          if (buffer > 0) {
            const double x = grid.center_x(w.col + int(i % std::size_t(w.width)));
            const double y = grid.center_y(w.row + int(i / std::size_t(w.width)));
            bool near = false;
            for (const auto& c : centres)
              if (std::hypot(c.first - x, c.second - y) <= buffer) {
                near = true;
                break;
              }
            if (near) {
              ++rows.excluded;
              continue;
            }
          }
          ++rows.background;
          add(i, false);
        }
      },
      [&](std::size_t, Rows& rows) {
        all.values.insert(all.values.end(), rows.values.begin(), rows.values.end());
        all.labels.insert(all.labels.end(), rows.labels.begin(), rows.labels.end());
        all.weights.insert(all.weights.end(), rows.weights.begin(), rows.weights.end());
        all.cells.insert(all.cells.end(), rows.cells.begin(), rows.cells.end());
        all.evaluation.insert(all.evaluation.end(), rows.evaluation.begin(), rows.evaluation.end());
        all.deposits += rows.deposits;
        all.background += rows.background;
        all.excluded += rows.excluded;
      });
  table.values = std::move(all.values);
  table.labels = std::move(all.labels);
  table.weights = std::move(all.weights);
  table.cells = std::move(all.cells);
  table.evaluation = std::move(all.evaluation);
  table.deposit_cells = all.deposits;
  table.background_cells = all.background;
  table.excluded_by_buffer = all.excluded;
  if (model.training->balanced_weight && table.deposit_cells > 0) {
    const float w = float(double(table.background_cells) / double(table.deposit_cells));
    for (std::size_t r = 0; r < table.rows(); ++r)
      if (table.labels[r] == 1.0f) table.weights[r] = w;
  }
  return table;
}

LearnerParams learner_params(ModelType type, const LearnerSpec& l, std::size_t features) {
  LearnerParams out;
  auto set = [&](const char* key, const std::string& value) {
    out.params.emplace_back(key, value);
  };
  set("objective", "binary:logistic");
  set("tree_method", "hist");
  set("nthread", "1");  // one thread: the same model for any thread count
  set("seed", std::to_string(l.seed));
  set("min_child_weight", format_double(l.min_child_weight));
  set("validate_parameters", "1");
  if (type == ModelType::random_forest) {
    // XGBoost's random forest: one round of many parallel trees, no shrinkage,
    // rows and features subsampled (XGBoost documentation, "Random Forests in XGBoost").
    set("num_parallel_tree", std::to_string(l.trees > 0 ? l.trees : 500));
    set("max_depth", std::to_string(l.depth > 0 ? l.depth : 8));
    set("eta", "1");
    set("subsample", format_double(l.subsample > 0 ? l.subsample : 0.632));
    set("colsample_bynode",
        format_double(l.column_subsample > 0
                          ? l.column_subsample
                          : std::max(1.0, std::floor(std::sqrt(double(features)))) /
                                double(std::max<std::size_t>(features, 1))));
    out.rounds = 1;
  } else {
    set("max_depth", std::to_string(l.depth > 0 ? l.depth : 4));
    set("eta", format_double(l.learning_rate));
    set("subsample", format_double(l.subsample > 0 ? l.subsample : 0.8));
    set("colsample_bytree", format_double(l.column_subsample > 0 ? l.column_subsample : 1.0));
    out.rounds = l.trees > 0 ? l.trees : 200;
  }
  return out;
}

XgbModel::XgbModel(const TrainingTable& table, const LearnerParams& params) {
  check(XGBSetGlobalConfig("{\"verbosity\": 0}"), "configuring");
  DMatrixHandle data = nullptr;
  check(XGDMatrixCreateFromMat(table.values.data(), bst_ulong(table.rows()),
                               bst_ulong(table.features.size()),
                               std::numeric_limits<float>::quiet_NaN(), &data),
        "reading the training table");
  struct Free {
    DMatrixHandle h;
    ~Free() { XGDMatrixFree(h); }
  } free_data{data};
  check(XGDMatrixSetFloatInfo(data, "label", table.labels.data(), bst_ulong(table.rows())),
        "setting the labels");
  check(XGDMatrixSetFloatInfo(data, "weight", table.weights.data(), bst_ulong(table.rows())),
        "setting the weights");
  std::vector<const char*> names, types;
  for (std::size_t j = 0; j < table.features.size(); ++j) {
    names.push_back(table.features[j].c_str());
    types.push_back(table.categorical[j] ? "c" : "q");
  }
  check(XGDMatrixSetStrFeatureInfo(data, "feature_name", names.data(), bst_ulong(names.size())),
        "naming the features");
  check(XGDMatrixSetStrFeatureInfo(data, "feature_type", types.data(), bst_ulong(types.size())),
        "typing the features");
  check(XGBoosterCreate(&data, 1, &m_booster), "creating the learner");
  // On the booster too, so the saved JSON names its features and importance is by name.
  check(
      XGBoosterSetStrFeatureInfo(m_booster, "feature_name", names.data(), bst_ulong(names.size())),
      "naming the features");
  check(
      XGBoosterSetStrFeatureInfo(m_booster, "feature_type", types.data(), bst_ulong(types.size())),
      "typing the features");
  for (const auto& [key, value] : params.params)
    check(XGBoosterSetParam(m_booster, key.c_str(), value.c_str()), "setting " + key);
  for (int round = 0; round < params.rounds; ++round)
    check(XGBoosterUpdateOneIter(m_booster, round, data), "training");
}

XgbModel::XgbModel(const std::string& saved_json) {
  check(XGBSetGlobalConfig("{\"verbosity\": 0}"), "configuring");
  check(XGBoosterCreate(nullptr, 0, &m_booster), "creating the learner");
  if (XGBoosterLoadModelFromBuffer(m_booster, saved_json.data(), bst_ulong(saved_json.size())) !=
      0) {
    XGBoosterFree(m_booster);
    m_booster = nullptr;
    check(-1, "reading the saved model");
  }
}

XgbModel::~XgbModel() {
  if (m_booster) XGBoosterFree(m_booster);
}

namespace {

std::string dense_interface(const float* values, std::size_t rows, std::size_t features) {
  char buf[200];
  std::snprintf(buf, sizeof buf,
                "{\"data\": [%llu, true], \"shape\": [%zu, %zu], \"typestr\": \"<f4\", "
                "\"version\": 3}",
                (unsigned long long)(std::uintptr_t)values, rows, features);
  return buf;
}

}  // namespace

void XgbModel::predict(const float* values, std::size_t rows, std::size_t features,
                       float* out) const {
  if (rows == 0) return;
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* result = nullptr;
  check(XGBoosterPredictFromDense(
            m_booster, dense_interface(values, rows, features).c_str(),
            "{\"type\": 0, \"training\": false, \"iteration_begin\": 0, \"iteration_end\": 0, "
            "\"strict_shape\": false, \"missing\": NaN, \"cache_id\": 0}",
            nullptr, &shape, &dim, &result),
        "predicting");
  std::copy(result, result + rows, out);
}

void XgbModel::contributions(const float* values, std::size_t rows, std::size_t features,
                             std::vector<float>& out) const {
  out.clear();
  if (rows == 0) return;
  // XGBoost computes contributions from a DMatrix only (not in place), and
  // that path is not safe to share between threads: one at a time.
  static std::mutex one_at_a_time;
  const std::lock_guard lock(one_at_a_time);
  DMatrixHandle data = nullptr;
  check(XGDMatrixCreateFromMat(values, bst_ulong(rows), bst_ulong(features),
                               std::numeric_limits<float>::quiet_NaN(), &data),
        "reading cells to explain");
  struct Free {
    DMatrixHandle h;
    ~Free() { XGDMatrixFree(h); }
  } free_data{data};
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* result = nullptr;
  check(XGBoosterPredictFromDMatrix(
            m_booster, data,
            "{\"type\": 2, \"training\": false, \"iteration_begin\": 0, \"iteration_end\": 0, "
            "\"strict_shape\": false}",
            &shape, &dim, &result),
        "explaining");
  out.assign(result, result + rows * (features + 1));
}

std::vector<double> XgbModel::gain(std::size_t features) const {
  // XGBoost's output buffers last until the next call: each is copied at once.
  std::vector<std::string> feature_names(features);
  bst_ulong n_features = 0;
  const char** stored = nullptr;
  check(XGBoosterGetStrFeatureInfo(m_booster, "feature_name", &n_features, &stored),
        "reading feature names");
  for (bst_ulong j = 0; j < n_features && j < features; ++j) feature_names[j] = stored[j];
  bst_ulong n_names = 0, n_dim = 0;
  const char** names = nullptr;
  const bst_ulong* shape = nullptr;
  const float* scores = nullptr;
  check(XGBoosterFeatureScore(m_booster, "{\"importance_type\": \"total_gain\"}", &n_names, &names,
                              &n_dim, &shape, &scores),
        "measuring importance");
  std::vector<double> out(features, 0.0);
  for (bst_ulong k = 0; k < n_names; ++k)
    for (std::size_t j = 0; j < features; ++j)
      if (feature_names[j] == names[k]) out[j] = scores[k];
  return out;
}

std::string XgbModel::json() const {
  bst_ulong length = 0;
  const char* bytes = nullptr;
  check(XGBoosterSaveModelToBuffer(m_booster, "{\"format\": \"json\"}", &length, &bytes),
        "saving the model");
  return std::string(bytes, length);
}

void XgbModel::set_attribute(const std::string& key, const std::string& value) {
  check(XGBoosterSetAttr(m_booster, key.c_str(), value.c_str()), "setting " + key);
}

std::optional<std::string> XgbModel::attribute(const std::string& key) const {
  const char* value = nullptr;
  int found = 0;
  check(XGBoosterGetAttr(m_booster, key.c_str(), &value, &found), "reading " + key);
  if (!found) return std::nullopt;
  return std::string(value);
}

CrossValidation cross_validate_learner(const ModelSpec& model, const ScoreSpec& score,
                                       const TrainingTable& table, const LearnerParams& params,
                                       const XgbModel& full, const AnalysisGrid& grid) {
  const std::size_t p = table.features.size();
  std::vector<std::size_t> deposit_rows;
  std::vector<double> x_m, y_m;
  const double mpu = grid.metres_per_unit();
  for (std::size_t r = 0; r < table.rows(); ++r) {
    if (table.labels[r] != 1.0f) continue;
    deposit_rows.push_back(r);
    const auto col = int(table.cells[r] % std::uint64_t(grid.width()));
    const auto row = int(table.cells[r] / std::uint64_t(grid.width()));
    x_m.push_back(grid.center_x(col) * mpu);
    y_m.push_back(grid.center_y(row) * mpu);
  }
  CrossValidation out = plan_cross_validation(score.name, model.cross_validation, x_m, y_m);
  if (out.plan.folds == 0) return out;
  const std::size_t n_eval = table.evaluation_rows();
  out.method +=
      "; held-out deposits ranked among " + std::to_string(n_eval) + " study-area cells no fit saw";

  // Every map is seen through the same evaluation cells.
  std::vector<float> eval_scores(n_eval);
  auto rank_on = [&](const XgbModel& m, const std::vector<std::size_t>& rows) {
    std::vector<float> scores(rows.size());
    for (std::size_t k = 0; k < rows.size(); ++k)
      m.predict(&table.values[rows[k] * p], 1, p, &scores[k]);
    m.predict(table.evaluation.data(), n_eval, p, eval_scores.data());
    SuccessRate rate(scores);
    rate.add_cells(eval_scores.data(), n_eval);
    return rate;
  };
  out.full_fit_auc = rank_on(full, deposit_rows).auc();

  std::vector<double> aucs, placements;
  std::vector<double> drops(p, 0.0);
  int refitted = 0;
  out.folds.resize(std::size_t(out.plan.folds));
  for (int f = 0; f < out.plan.folds; ++f) {
    FoldOutcome& o = out.folds[std::size_t(f)];
    TrainingTable fold;
    fold.features = table.features;
    fold.categorical = table.categorical;
    std::vector<std::size_t> held;
    std::size_t d = 0;
    for (std::size_t r = 0; r < table.rows(); ++r) {
      const bool deposit = table.labels[r] == 1.0f;
      if (deposit && out.plan.fold_of[d++] == f) {
        held.push_back(r);
        continue;
      }
      fold.values.insert(fold.values.end(), table.values.begin() + std::ptrdiff_t(r * p),
                         table.values.begin() + std::ptrdiff_t((r + 1) * p));
      fold.labels.push_back(table.labels[r]);
      fold.weights.push_back(table.weights[r]);
      if (deposit) ++o.training;
    }
    o.held_out = held.size();
    if (o.training == 0) {
      o.problem = "no training deposit left";
      continue;
    }
    const XgbModel refit(fold, params);
    const SuccessRate rate = rank_on(refit, held);
    o.auc = rate.auc();
    aucs.push_back(o.auc);
    for (double v : rate.placements()) placements.push_back(v);
    // Permutation importance: each feature shuffled among the held-out
    // deposits and the evaluation cells together, the AUC measured again.
    const std::size_t n_held = held.size();
    std::vector<float> rows(n_held * p + table.evaluation.size());
    for (std::size_t k = 0; k < n_held; ++k)
      std::copy_n(&table.values[held[k] * p], p, &rows[k * p]);
    std::copy(table.evaluation.begin(), table.evaluation.end(),
              rows.begin() + std::ptrdiff_t(n_held * p));
    const std::size_t n_rows = n_held + n_eval;
    std::vector<float> scores(n_rows), column(n_rows);
    for (std::size_t j = 0; j < p; ++j) {
      std::vector<float> shuffled = rows;
      for (std::size_t r = 0; r < n_rows; ++r) column[r] = rows[r * p + j];
      // Fisher-Yates with splitmix64: the same permutation on every platform.
      for (std::size_t r = n_rows - 1; r > 0; --r) {
        const auto pick = std::size_t(
            uniform_of_cell(model.cross_validation.seed ^ (std::uint64_t(f) << 32) ^ j, r) *
            double(r + 1));
        std::swap(column[r], column[std::min(pick, r)]);
      }
      for (std::size_t r = 0; r < n_rows; ++r) shuffled[r * p + j] = column[r];
      refit.predict(shuffled.data(), n_rows, p, scores.data());
      SuccessRate permuted(
          std::vector<float>(scores.begin(), scores.begin() + std::ptrdiff_t(n_held)));
      permuted.add_cells(scores.data() + n_held, n_eval);
      drops[j] += o.auc - permuted.auc();
    }
    ++refitted;
  }
  summarise_folds(out, aucs, placements);
  for (std::size_t j = 0; j < p && refitted > 0; ++j)
    out.importance.push_back({table.features[j], drops[j] / double(refitted)});
  std::stable_sort(out.importance.begin(), out.importance.end(),
                   [](const PermutationImportance& a, const PermutationImportance& b) {
                     return a.auc_drop > b.auc_drop;
                   });
  return out;
}

PartialDependence partial_dependence(const XgbModel& model, const TrainingTable& table,
                                     std::size_t feature) {
  PartialDependence pd;
  pd.feature = feature;
  pd.categorical = table.categorical[feature] != 0;
  const std::size_t p = table.features.size(), n = table.evaluation_rows();
  std::vector<float> values;
  for (std::size_t r = 0; r < n; ++r)
    if (!std::isnan(table.evaluation[r * p + feature]))
      values.push_back(table.evaluation[r * p + feature]);
  if (values.empty()) return pd;
  std::sort(values.begin(), values.end());
  if (pd.categorical) {
    values.erase(std::unique(values.begin(), values.end()), values.end());
    pd.x.assign(values.begin(), values.end());
  } else {
    constexpr int k_points = 21;  // the 5th to the 95th percentile in steps of 4.5 %
    for (int k = 0; k < k_points; ++k) {
      const double q = 0.05 + 0.9 * k / (k_points - 1);
      const double v = values[std::min(values.size() - 1, std::size_t(q * double(values.size())))];
      if (pd.x.empty() || v > pd.x.back()) pd.x.push_back(v);
    }
  }
  std::vector<float> rows = table.evaluation, predictions(n);
  for (double v : pd.x) {
    for (std::size_t r = 0; r < n; ++r) rows[r * p + feature] = float(v);
    model.predict(rows.data(), n, p, predictions.data());
    double sum = 0;
    for (float y : predictions) sum += y;
    pd.y.push_back(sum / double(n));
  }
  return pd;
}

}  // namespace prospect
