#include "prospect/output/manifest.hpp"

#include <chrono>
#include <cmath>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

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
  m["model"] = {{"name", model.name},
                {"file", model.path},
                {"hash", model.text_hash},
                {"type", model_type_name(model.type)}};
  json inputs = json::array();
  for (std::size_t i = 0; i < r.input_hashes.size(); ++i) {
    json in = {{"path", r.input_hashes[i].first}, {"hash", r.input_hashes[i].second}};
    if (i < r.input_identities.size() && !r.input_identities[i].empty())
      in["identity"] = r.input_identities[i];  // lets the next run skip hashing it again
    inputs.push_back(in);
  }
  m["inputs"] = inputs;
  const auto& g = r.grid;
  m["grid"] = {{"crs_name", g.crs_name()},   {"origin_x", g.origin_x()}, {"origin_y", g.origin_y()},
               {"cell_size", g.cell_size()}, {"unit", g.linear_unit()},  {"width", g.width()},
               {"height", g.height()},       {"crs_wkt", g.crs_wkt()}};
  m["cells"] = {{"outside_study_area", r.cells.outside},
                {"missing_evidence", r.cells.missing},
                {"valid", r.cells.valid}};
  json bands = json::array();
  const auto names = model.band_names();
  for (std::size_t b = 0; b < names.size(); ++b) {
    const auto& s = r.band_stats[b];
    bands.push_back({{"name", names[b]},
                     {"valid_cells", s.valid_count},
                     {"min", s.min},
                     {"max", s.max},
                     {"mean", s.mean},
                     {"stddev", s.stddev}});
  }
  m["bands"] = bands;
  if (model.composite) {
    json w = json::object();
    for (std::size_t i = 0; i < model.scores.size(); ++i)
      w[model.scores[i].name] = model.composite->weights[i];
    m["composite"] = {{"name", model.composite->name},
                      {"weights", w},
                      {"weights_source", model.composite->weights_source}};
  }
  m["targets"] = {{"enabled", model.targets.enabled},
                  {"score", model.targets.score},
                  {"top_percent", model.targets.top_percent},
                  {"threshold", r.target_threshold},
                  {"min_area_ha",
                   model.targets.min_area_given ? json(model.targets.min_area_ha) : json(nullptr)},
                  {"min_cells", r.target_min_cells},
                  {"fill_holes_ha", model.targets.fill_holes_ha},
                  {"simplify_m", model.targets.simplify_m},
                  {"zones", r.target_count},
                  {"cut_percent", r.target_cut_percent},
                  {"delivered_percent", r.target_delivered_percent},
                  {"tie_rule", "every cell scoring at or above the threshold is in"},
                  {"zones_below_min_area", r.targets_dropped_small},
                  {"holes_filled", r.target_holes_filled}};
  if (r.fitted) r.fitted->add_to_manifest(m);  // the kind's own section
  if (!r.warnings.empty()) m["warnings"] = r.warnings;
  if (!r.notes.empty()) m["notes"] = r.notes;
  m["parameters"] = {{"threads", r.threads},
                     {"tile_size", model.outputs.tile_size},
                     {"compress", model.outputs.compress}};
  json timings = json::object();
  for (const auto& [step, seconds] : r.timings) timings[step] = std::round(seconds * 1000) / 1000;
  m["timings_seconds"] = timings;
  json outputs = json::array();
  for (const auto& [path, hash] : r.output_hashes)
    outputs.push_back({{"path", path}, {"hash", hash}});
  m["outputs"] = outputs;
  // Text from the data (names, paths) may not be UTF-8: replaced, never a failed run.
  return m.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::vector<FileHash> recorded_inputs(const std::string& manifest_path) {
  std::vector<FileHash> out;
  std::ifstream in(manifest_path, std::ios::binary);
  if (!in) return out;
  std::ostringstream text;
  text << in.rdbuf();
  try {
    const auto m = nlohmann::json::parse(text.str());
    for (const auto& i : m.at("inputs"))
      if (i.contains("identity"))
        out.push_back({i.at("path").get<std::string>(), i.at("hash").get<std::string>(),
                       i.at("identity").get<std::string>()});
  } catch (const std::exception&) {  // unreadable, or from another version: hash again
    out.clear();
  }
  return out;
}

}  // namespace prospect
