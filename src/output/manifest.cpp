#include <chrono>
#include <cmath>
#include <ctime>
#include <nlohmann/json.hpp>

#include "prospect/run/run_model.hpp"

#ifndef PROSPECT_VERSION
#define PROSPECT_VERSION "unknown"
#endif

namespace prospect {

std::string manifest_json(const ModelSpec& model, const RunRecord& r) {
  using json = nlohmann::ordered_json;
  json m;
  m["tool"] = "prospect";
  m["version"] = PROSPECT_VERSION;
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  m["created_utc"] = stamp;
  m["model"] = {{"name", model.name}, {"file", model.path}, {"hash", model.text_hash},
                {"type", model_type_name(model.type)}};
  json inputs = json::array();
  for (const auto& [path, hash] : r.input_hashes) inputs.push_back({{"path", path}, {"hash", hash}});
  m["inputs"] = inputs;
  const auto& g = r.grid;
  m["grid"] = {{"crs_name", g.crs_name()},
               {"origin_x", g.origin_x()},
               {"origin_y", g.origin_y()},
               {"cell_size", g.cell_size()},
               {"unit", g.linear_unit()},
               {"width", g.width()},
               {"height", g.height()},
               {"crs_wkt", g.crs_wkt()}};
  m["cells"] = {{"outside_study_area", r.cells.outside},
                {"missing_evidence", r.cells.missing},
                {"valid", r.cells.valid}};
  json bands = json::array();
  const auto names = model.band_names();
  for (std::size_t b = 0; b < names.size(); ++b) {
    const auto& s = r.band_stats[b];
    bands.push_back({{"name", names[b]}, {"valid_cells", s.valid_count}, {"min", s.min},
                     {"max", s.max}, {"mean", s.mean}, {"stddev", s.stddev}});
  }
  m["bands"] = bands;
  if (model.composite) {
    json w = json::object();
    for (std::size_t i = 0; i < model.scores.size(); ++i)
      w[model.scores[i].name] = model.composite->weights[i];
    m["composite"] = {{"name", model.composite->name}, {"weights", w},
                      {"weights_source", model.composite->weights_source}};
  }
  m["targets"] = {{"enabled", model.targets.enabled},
                  {"score", model.targets.score},
                  {"top_percent", model.targets.top_percent},
                  {"threshold", r.target_threshold},
                  {"min_area_ha", model.targets.min_area_ha},
                  {"fill_holes_ha", model.targets.fill_holes_ha},
                  {"simplify_m", model.targets.simplify_m},
                  {"zones", r.target_count},
                  {"zones_below_min_area", r.targets_dropped_small},
                  {"holes_filled", r.target_holes_filled}};
  if (model.type == ModelType::wofe) {
    json scores = json::array();
    for (std::size_t s = 0; s < r.wofe.size(); ++s) {
      const auto& f = r.wofe[s];
      const double prior = 1.0 / (1.0 + std::exp(-f.model.prior_logit));
      json layers = json::array();
      for (std::size_t j = 0; j < f.model.layers.size(); ++j) {
        const auto& lw = f.model.layers[j];
        json layer = {{"evidence", model.evidence[std::size_t(model.scores[s].evidence[j])].name},
                      {"used", lw.used},
                      {"weights", lw.group_weight}};
        if (!lw.note.empty()) layer["note"] = lw.note;
        layers.push_back(layer);
      }
      const auto& ci = r.independence[s];
      json pairs = json::array();
      for (const auto& t : f.pairwise)
        pairs.push_back({{"layers", {t.first, t.second}},
                         {"deposits", t.deposits},
                         {"chi_square", t.chi_square},
                         {"degrees_of_freedom", t.degrees_of_freedom},
                         {"p", t.p_value},
                         {"min_expected", t.min_expected},
                         {"verdict", t.verdict()}});
      scores.push_back({{"score", model.scores[s].name},
                        {"pairwise_independence", pairs},
                        {"training_deposits", f.deposits},
                        {"study_area_unit_cells", f.study_unit_cells},
                        {"prior_probability", prior},
                        {"layers", layers},
                        {"conditional_independence",
                         {{"sum_of_posteriors_T", ci.expected},
                          {"deposits_n", ci.observed},
                          {"s_T", std::sqrt(ci.variance)},
                          {"z", ci.z()},
                          {"p_one_sided", ci.p_value()},
                          {"verdict", ci.verdict()}}}});
    }
    m["wofe"] = {{"unit_cell_km2", model.training->unit_cell_km2},
                 {"min_studentized", model.training->min_studentized},
                 {"scores", scores}};
  }
  if (model.type == ModelType::logistic) {
    json scores = json::array();
    for (std::size_t s = 0; s < r.logistic.size(); ++s) {
      const auto& f = r.logistic[s].fit;
      json terms = json::array();
      for (std::size_t j = 0; j < f.beta.size(); ++j)
        terms.push_back({{"term", j == 0 ? std::string("intercept")
                                         : model.evidence[std::size_t(model.scores[s].evidence[j - 1])].name},
                         {"coefficient", f.beta[j]},
                         {"std_error", f.std_error[j]},
                         {"z", f.z[j]},
                         {"p_value", f.p_value[j]}});
      scores.push_back({{"score", model.scores[s].name},
                        {"deposit_cells", r.logistic[s].deposits},
                        {"deposit_weight", r.logistic[s].deposit_weight},
                        {"iterations", f.iterations},
                        {"log_likelihood", f.log_likelihood},
                        {"terms", terms}});
    }
    m["logistic"] = {{"method", "IRLS on cells inside the study area; Wald standard errors"},
                     {"scores", scores}};
  }
  if (!r.warnings.empty()) m["warnings"] = r.warnings;
  if (!r.notes.empty()) m["notes"] = r.notes;
  m["parameters"] = {{"threads", r.threads},
                     {"tile_size", model.outputs.tile_size},
                     {"compress", model.outputs.compress}};
  json timings = json::object();
  for (const auto& [step, seconds] : r.timings) timings[step] = std::round(seconds * 1000) / 1000;
  m["timings_seconds"] = timings;
  json outputs = json::array();
  for (const auto& [path, hash] : r.output_hashes) outputs.push_back({{"path", path}, {"hash", hash}});
  m["outputs"] = outputs;
  // Text from the data (names, paths) may not be UTF-8: replaced, never a failed run.
  return m.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace prospect
