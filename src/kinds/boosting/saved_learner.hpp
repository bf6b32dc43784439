#pragma once
// A fitted learner kept for later surveys. models/<score>.json is XGBoost's
// JSON of the booster with one attribute, "prospect", describing what it was
// fitted on: the kind, the evidence layers in feature order (each input's
// definition and, for classes, the class table), the grid's CRS and cell
// size, the training counts and the training files' names and hashes.
// `saved_model:` in a model file applies such learners to a new survey: the
// description is checked against the model first, so a learner never scores
// inputs it was not trained on.

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "prospect/core/grid.hpp"
#include "prospect/evidence/grid_input.hpp"
#include "prospect/kinds/boosting_fit.hpp"
#include "prospect/spec/model.hpp"

namespace prospect {

// The XGBoost attribute holding the description.
inline constexpr const char* k_learner_description = "prospect";

// The description of a learner fitted for `score` (without file hashes).
nlohmann::ordered_json learner_description(const ModelSpec& model, const ScoreSpec& score,
                                           const AnalysisGrid& grid, const TrainingTable& table,
                                           const InputSet& inputs);

// Adds the names and hashes of the files the score was fitted from (its
// evidence inputs and the training deposits), from the run's input hashes.
void add_training_files(nlohmann::ordered_json& description, const ModelSpec& model,
                        const ScoreSpec& score,
                        const std::vector<std::pair<std::string, std::string>>& input_hashes);

struct SavedLearner {
  std::string path;  // models/<score>.json in the saved_model folder
  std::unique_ptr<XgbModel> learner;
  std::vector<std::unique_ptr<XgbModel>> members;  // the ensemble's other fits
  nlohmann::ordered_json description;
};

// Reads the saved learner of `score` and checks it against the model and the
// grid: kind, evidence names, order and definitions, class tables, CRS. A
// mismatch is an Error (bad input) naming the file and what differs.
SavedLearner load_saved_learner(const ModelSpec& model, const ScoreSpec& score,
                                const AnalysisGrid& grid);

// Before the inputs are read: each class input takes the class table its
// learner was trained with (so a class keeps its code in a survey that lacks
// another class), learner.ensemble the saved ensemble size. Returns a line per
// score for `prospect check`.
std::vector<std::string> adopt_saved_learners(ModelSpec& model, const AnalysisGrid& grid);

}  // namespace prospect
