#pragma once
// Fitting `model: gradient_boosting` and `model: random_forest` with XGBoost's
// C API. Per score, a training table from the grid -- the deposit cells inside
// the study area (label 1) and a seeded sample of the other study-area cells
// (label 0: presence/background, not presence/absence) -- with the score's
// evidence inputs' values as features, missing left missing. The learner is
// trained on one thread, so the model is the same for any thread count.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "prospect/config/model_file.hpp"
#include "prospect/evidence/grid_input.hpp"
#include "prospect/kinds/training.hpp"
#include "prospect/pipeline/tile_pass.hpp"
#include "prospect/validate/cross_validation.hpp"
#include "prospect/vector/study_area.hpp"

namespace prospect {

struct TrainingTable {
  std::vector<std::string> features;  // the evidence layers' names, in score order
  std::vector<char> categorical;      // per feature: class codes (rasterized inputs)
  std::vector<float> values;          // row-major, rows x features; NaN: missing
  std::vector<float> labels;          // 1 deposit cell, 0 background cell
  std::vector<float> weights;         // deposit cells: the deposit weight, background 1
  std::vector<std::uint64_t> cells;   // row-major cell index of each row
  // Cells no fit sees (neither deposit nor background cells), drawn
  // independently, to rank held-out deposits against in cross-validation.
  std::vector<float> evaluation;  // row-major, evaluation_rows() x features
  std::size_t evaluation_rows() const {
    return features.empty() ? 0 : evaluation.size() / features.size();
  }
  std::int64_t deposit_cells = 0, background_cells = 0;
  std::int64_t study_area_cells = 0;    // the population the background is drawn from
  std::int64_t excluded_by_buffer = 0;  // sampled cells dropped for lying near a deposit
  std::size_t rows() const { return labels.size(); }
};

// The table for one score. Background: each study-area cell that is no
// deposit cell is drawn when a hash of (seed, cell index) falls under
// ratio x deposit cells / study-area cells, so the sample does not depend on
// tiles or threads; cells within buffer_m of a deposit are then dropped.
// `evaluation_cells` > 0 also draws about that many other cells, by a second hash.
TrainingTable training_table(const ModelSpec& model, const ScoreSpec& score,
                             const TrainingCells& deposits, const AnalysisGrid& grid,
                             const StudyArea& area, const std::vector<Tile>& tiles,
                             const InputSet& inputs, int threads,
                             std::int64_t evaluation_cells = 0);

class XgbModel;

// Partial dependence (Friedman 2001, §8.2): the mean prediction over the
// evaluation cells with one feature set to each value in turn.
struct PartialDependence {
  std::size_t feature = 0;
  bool categorical = false;
  std::vector<double> x, y;  // values (quantiles 5-95 %, or the classes) and mean predictions
  std::vector<std::string> classes;  // categorical: each code's class name (filled by the caller)
};
PartialDependence partial_dependence(const XgbModel& model, const TrainingTable& table,
                                     std::size_t feature);

class XgbModel;
struct LearnerParams;

// Spatially blocked cross-validation (validate/cross_validation's folds over
// the deposit cells): per fold, the learner refitted without the fold's
// deposits; the held-out deposits ranked among the evaluation cells on the
// refit. The full fit's AUC ranks all deposits among the same cells.
CrossValidation cross_validate_learner(const ModelSpec& model, const ScoreSpec& score,
                                       const TrainingTable& table, const LearnerParams& params,
                                       const XgbModel& full, const AnalysisGrid& grid);

// XGBoost's parameters for the kind and learner (defaults filled in), and the
// number of boosting rounds.
struct LearnerParams {
  std::vector<std::pair<std::string, std::string>> params;
  int rounds = 1;
};
LearnerParams learner_params(ModelType type, const LearnerSpec& learner, std::size_t features);

// A trained booster.
class XgbModel {
 public:
  XgbModel(const TrainingTable& table, const LearnerParams& params);
  // A booster an earlier run saved (XGBoost's JSON, as json() gives it).
  explicit XgbModel(const std::string& saved_json);
  ~XgbModel();
  XgbModel(const XgbModel&) = delete;
  XgbModel& operator=(const XgbModel&) = delete;

  // The probability of a deposit for `rows` cells of `features` values each
  // (row-major, NaN missing). Thread-safe: workers predict concurrently.
  void predict(const float* values, std::size_t rows, std::size_t features, float* out) const;
  // Each feature's contribution to the log-odds (TreeSHAP, Lundberg et al.
  // 2020), rows x (features + 1), the last column the bias.
  void contributions(const float* values, std::size_t rows, std::size_t features,
                     std::vector<float>& out) const;
  // Total gain of the splits on each feature, by feature index.
  std::vector<double> gain(std::size_t features) const;
  // The model as XGBoost's JSON.
  std::string json() const;
  // A text the saved JSON carries beside the trees (XGBoost's attributes).
  void set_attribute(const std::string& key, const std::string& value);
  std::optional<std::string> attribute(const std::string& key) const;

 private:
  void* m_booster = nullptr;
};

}  // namespace prospect
