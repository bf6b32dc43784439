#include "prospect/spec/model.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

namespace prospect {

const char* model_type_name(ModelType type) {
  switch (type) {
    case ModelType::fuzzy:
      return "fuzzy";
    case ModelType::wofe:
      return "wofe";
    case ModelType::logistic:
      return "logistic";
    case ModelType::gradient_boosting:
      return "gradient_boosting";
    case ModelType::random_forest:
      return "random_forest";
  }
  return "?";
}

const float* evidence_classes(const EvidenceSpec& e, const std::vector<float>& raw,
                              std::vector<float>& scratch) {
  if (e.breaks.empty()) return raw.data();
  scratch.resize(raw.size());
  classify_by_breaks(e.breaks, raw.data(), scratch.data(), raw.size());
  return scratch.data();
}

std::vector<std::string> ModelSpec::band_names() const {
  std::vector<std::string> names;
  for (const auto& s : scores) names.push_back(s.name);
  if (composite) names.push_back(composite->name);
  if (type == ModelType::wofe)
    for (const auto& s : scores) names.push_back(s.name + "_std");
  if (machine_learning() && learner.ensemble > 1)
    for (const auto& s : scores) names.push_back(s.name + "_spread");
  return names;
}

std::vector<int> ModelSpec::score_evidence(const ScoreSpec& score) const {
  return trained() ? score.evidence : used_evidence(score.root);
}

std::vector<std::string> ModelSpec::input_files() const {
  std::vector<std::string> files;
  if (!grid.like.empty()) files.push_back(grid.like);
  if (study_area) files.push_back(study_area->path);
  if (training) files.push_back(training->deposits.path);
  if (validation_deposits) files.push_back(validation_deposits->path);
  for (const auto& in : inputs) files.push_back(in.path());
  if (!saved_model.empty())
    for (const auto& s : scores)
      for (int m = 0; m <= (learner.ensemble > 1 ? learner.ensemble : 0); ++m)
        files.push_back((std::filesystem::path(saved_model) / learner_file(s.name, m)).string());
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  return files;
}

std::string learner_file(const std::string& score, int member) {
  return member == 0 ? "models/" + score + ".json"
                     : "models/ensemble/" + score + "." + std::to_string(member) + ".json";
}

ResolvedModel::ResolvedModel(ModelSpec resolved) : ModelSpec(std::move(resolved)) {
  // Evidence no score uses is never read, so it stays as written.
  for (const ScoreSpec& s : scores)
    for (int i : score_evidence(s)) {
      const EvidenceSpec& e = evidence[std::size_t(i)];
      if (!e.membership.named.empty() || e.derived_breaks.method != BreakMethod::none)
        throw std::logic_error("evidence '" + e.name + "' is not resolved");
    }
}

}  // namespace prospect
