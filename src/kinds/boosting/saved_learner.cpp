#include "kinds/boosting/saved_learner.hpp"

#include <ogr_spatialref.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>

#include "prospect/core/diagnostics.hpp"
#include "prospect/core/error.hpp"
#include "prospect/output/svg_plot.hpp"

#ifndef PROSPECT_VERSION
#define PROSPECT_VERSION "unknown"
#endif

namespace prospect {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

constexpr int k_description_format = 1;

const char* input_kind_name(InputKind kind) {
  switch (kind) {
    case InputKind::raster:
      return "raster";
    case InputKind::distance:
      return "distance";
    case InputKind::idw:
      return "idw";
    case InputKind::rasterize:
      return "rasterize";
    case InputKind::density:
      return "density";
    case InputKind::krige:
      return "krige";
  }
  return "?";
}

// What makes an input's values mean what they mean: its kind and settings,
// not where its files are (a new survey has its own files).
json input_definition(const InputSpec& in) {
  json d = {{"kind", input_kind_name(in.kind)}};
  if (in.kind == InputKind::raster) {
    d["resampling"] = in.raster.resampling;
    return d;
  }
  d["where"] = in.vector.where;
  switch (in.kind) {
    case InputKind::distance:
      d["max"] = in.distance.max;
      d["signed_inside"] = in.distance.signed_inside;
      d["strike"] = in.distance.strike
                        ? json::array({in.distance.strike->first, in.distance.strike->second})
                        : json();
      break;
    case InputKind::idw:
      d["field"] = in.idw.field;
      if (!in.idw.index.empty()) d["index"] = in.idw.index;
      if (in.idw.pca.component > 0)
        d["pca"] = {
            {"parts", in.idw.pca.rare_earths ? json("rare_earths") : json(in.idw.pca.parts)},
            {"component", in.idw.pca.component}};
      d["power"] = in.idw.power;
      d["radius"] = in.idw.radius;
      d["max_points"] = in.idw.max_points;
      d["min_points"] = in.idw.min_points;
      d["log"] = in.idw.log;
      break;
    case InputKind::krige:
      d["field"] = in.krige.field;
      d["index"] = in.krige.index;
      d["pca"] = {
          {"parts", in.krige.pca.rare_earths ? json("rare_earths") : json(in.krige.pca.parts)},
          {"component", in.krige.pca.component}};
      d["log"] = in.krige.log;
      d["model"] = in.krige.model;
      d["nugget"] = in.krige.nugget;
      d["partial_sill"] = in.krige.partial_sill;
      d["range"] = in.krige.range;
      d["cutoff"] = in.krige.cutoff;
      d["lag_width"] = in.krige.lag_width;
      d["max_points"] = in.krige.max_points;
      d["min_points"] = in.krige.min_points;
      d["radius"] = in.krige.radius;
      d["variance"] = in.krige.variance;
      break;
    case InputKind::rasterize:
      d["field"] = in.rasterize.field;
      d["all_touched"] = in.rasterize.all_touched;
      d["background"] =
          std::isnan(in.rasterize.background) ? json() : json(in.rasterize.background);
      break;
    case InputKind::density:
      d["radius"] = in.density.radius;
      break;
    default:
      break;
  }
  return d;
}

std::string read_text(const std::string& path, const ErrorContext& where) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Error(ErrorKind::bad_input, fs::exists(path) ? "cannot be read" : "does not exist", where,
                "saved_model names the output folder of the run that fitted the model; that run "
                "writes " +
                    learner_file("<score>") + " for every score");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string names_of(const json& features) {
  std::string out;
  for (const auto& f : features) out += (out.empty() ? "" : ", ") + f.at("name").get<std::string>();
  return out;
}

// The first setting in which two definitions differ, as "max 5000 there, 3000 here".
std::string first_difference(const json& saved, const json& here) {
  for (const auto& [key, value] : saved.items())
    if (!here.contains(key) || here.at(key) != value)
      return key + " " + value.dump() + " when fitted, " +
             (here.contains(key) ? here.at(key).dump() : "none") + " here";
  for (const auto& [key, value] : here.items())
    if (!saved.contains(key)) return key + " none when fitted, " + value.dump() + " here";
  return "";
}

bool same_crs(const std::string& a, const std::string& b) {
  OGRSpatialReference x, y;
  if (x.importFromWkt(a.c_str()) != OGRERR_NONE || y.importFromWkt(b.c_str()) != OGRERR_NONE)
    return a == b;
  return x.IsSame(&y);
}

// The class table a score's class input was fitted with, name -> code.
json class_table(const json& feature) {
  return feature.contains("classes") ? feature.at("classes") : json::object();
}

void check_description(const json& d, const ModelSpec& model, const ScoreSpec& score,
                       const AnalysisGrid& grid, const ErrorContext& where) {
  auto fail = [&](const std::string& what, const std::string& hint) {
    throw Error(ErrorKind::bad_input, what, where, hint);
  };
  if (!d.contains("format") || d.at("format") != k_description_format)
    fail("was saved in a format this prospect does not read",
         "fit the model again with this version");
  // Read here, inside the caller's guard, so a description without them is
  // "lacks a part" now rather than an exception where the run reports them.
  (void)d.at("training").at("deposit_cells").get<long long>();
  (void)d.at("training").at("background_cells").get<long long>();
  (void)d.at("grid").at("cell_size").get<double>();
  const std::string kind = d.at("kind").get<std::string>();
  if (kind != model_type_name(model.type))
    fail(
        "was fitted as " + kind + ", and the model file says model: " + model_type_name(model.type),
        "set model: " + kind);
  const json& features = d.at("features");
  std::vector<std::string> here;
  for (int e : score.evidence) here.push_back(model.evidence[std::size_t(e)].name);
  bool same_names = features.size() == here.size();
  for (std::size_t j = 0; same_names && j < here.size(); ++j)
    same_names = features[j].at("name") == here[j];
  if (!same_names) {
    std::string list;
    for (const auto& h : here) list += (list.empty() ? "" : ", ") + h;
    fail("was fitted on the evidence " + names_of(features) + ", and scores." + score.name +
             " here uses " + (list.empty() ? "none" : list),
         "list the same evidence layers, in the same order, under scores." + score.name);
  }
  for (std::size_t j = 0; j < here.size(); ++j) {
    const EvidenceSpec& ev = model.evidence[std::size_t(score.evidence[j])];
    const InputSpec& in = model.inputs[std::size_t(ev.input)];
    const std::string difference =
        first_difference(features[j].at("definition"), input_definition(in));
    if (!difference.empty())
      fail("evidence '" + ev.name + "' was made another way when the model was fitted (" +
               difference + ")",
           "give input '" + in.name +
               "' the settings it had then: the learner's splits are in its units");
  }
  if (!same_crs(d.at("grid").at("crs_wkt").get<std::string>(), grid.crs_wkt()))
    fail("was fitted on a grid in " + d.at("grid").at("crs_name").get<std::string>() +
             ", and this grid is in " + grid.crs_name(),
         "give grid.crs the CRS of the fit: distances and densities are measured in it");
}

// The lowest and highest value of feature j over the training rows (none when
// no row has one): a learner applied elsewhere knows its ground only there.
std::optional<std::pair<double, double>> value_range(const TrainingTable& table, std::size_t j) {
  const std::size_t p = table.features.size();
  double low = std::numeric_limits<double>::infinity(), high = -low;
  for (std::size_t r = 0; r < table.rows(); ++r) {
    const float v = table.values[r * p + j];
    if (std::isnan(v)) continue;
    low = std::min(low, double(v));
    high = std::max(high, double(v));
  }
  if (low > high) return std::nullopt;
  return std::make_pair(low, high);
}

}  // namespace

json learner_description(const ModelSpec& model, const ScoreSpec& score, const AnalysisGrid& grid,
                         const TrainingTable& table, const InputSet& inputs) {
  json features = json::array();
  for (std::size_t j = 0; j < score.evidence.size(); ++j) {
    const EvidenceSpec& ev = model.evidence[std::size_t(score.evidence[j])];
    const InputSpec& in = model.inputs[std::size_t(ev.input)];
    json f = {{"name", ev.name},
              {"type", table.categorical[j] ? "c" : "q"},
              {"input", in.name},
              {"definition", input_definition(in)}};
    if (in.kind == InputKind::rasterize) {
      json classes = json::object();
      for (const CategoryClass& c : inputs.classes(std::size_t(ev.input))) classes[c.name] = c.code;
      f["classes"] = classes;
    } else if (const auto range = value_range(table, j)) {
      f["training_range"] = {range->first, range->second};
    }
    features.push_back(f);
  }
  const BackgroundSpec& bg = model.training->background;
  return {{"format", k_description_format},
          {"prospect_version", PROSPECT_VERSION},
          {"kind", model_type_name(model.type)},
          {"score", score.name},
          {"features", features},
          {"grid",
           {{"crs_name", grid.crs_name()},
            {"crs_wkt", grid.crs_wkt()},
            {"cell_size", grid.cell_size()}}},
          {"training",
           {{"deposits_where", score.deposits_where},
            {"deposit_cells", table.deposit_cells},
            {"background_cells", table.background_cells},
            {"background", {{"ratio", bg.ratio}, {"buffer_m", bg.buffer_m}, {"seed", bg.seed}}}}},
          {"ensemble", model.learner.ensemble > 1 ? model.learner.ensemble : 0}};
}

void add_training_files(json& description, const ModelSpec& model, const ScoreSpec& score,
                        const std::vector<std::pair<std::string, std::string>>& input_hashes) {
  std::vector<std::string> paths;
  for (int e : score.evidence)
    paths.push_back(model.inputs[std::size_t(model.evidence[std::size_t(e)].input)].path());
  if (model.training) paths.push_back(model.training->deposits.path);
  json files = json::array();
  for (const auto& [path, hash] : input_hashes)
    if (std::find(paths.begin(), paths.end(), path) != paths.end())
      files.push_back({{"file", fs::path(path).filename().string()}, {"hash", hash}});
  description["training"]["files"] = files;
}

SavedLearner load_saved_learner(const ModelSpec& model, const ScoreSpec& score,
                                const AnalysisGrid& grid) {
  SavedLearner out;
  out.path = (fs::path(model.saved_model) / learner_file(score.name)).string();
  const ErrorContext where{out.path, "", "", "reading the saved model of " + score.name, 0, 0};
  const std::string text = read_text(out.path, where);
  try {
    out.learner = std::make_unique<XgbModel>(text);
  } catch (const Error& e) {
    throw Error(ErrorKind::bad_input, "is not a model XGBoost can read: " + e.problem(), where,
                "give saved_model the output folder of a gradient_boosting or random_forest run");
  }
  const std::optional<std::string> description = out.learner->attribute(k_learner_description);
  if (!description)
    throw Error(ErrorKind::bad_input,
                "is an XGBoost model without prospect's description of its evidence", where,
                "apply models that prospect run fitted (it describes their inputs)");
  out.description = json::parse(*description, nullptr, false);
  if (out.description.is_discarded() || !out.description.is_object())
    throw Error(ErrorKind::bad_input, "has a damaged description of its evidence", where,
                "fit the model again");
  try {
    check_description(out.description, model, score, grid, where);
    const int members = out.description.at("ensemble").get<int>();
    for (int m = 1; m <= members; ++m) {
      const std::string path = (fs::path(model.saved_model) / learner_file(score.name, m)).string();
      const ErrorContext member_where{path, "", "", "reading the saved ensemble of " + score.name,
                                      0,    0};
      try {
        out.members.push_back(std::make_unique<XgbModel>(read_text(path, member_where)));
      } catch (const Error& e) {
        if (e.context().file == path) throw;
        throw Error(ErrorKind::bad_input, "is not a model XGBoost can read: " + e.problem(),
                    member_where, "copy the saved_model folder whole");
      }
    }
  } catch (const json::exception& e) {
    throw Error(ErrorKind::bad_input,
                std::string("has a description of its evidence that lacks a part: ") + e.what(),
                where, "fit the model again");
  }
  return out;
}

std::vector<std::string> adopt_saved_learners(ModelSpec& model, const AnalysisGrid& grid) {
  std::vector<std::string> lines;
  int ensemble = -1;
  for (const ScoreSpec& score : model.scores) {
    const SavedLearner saved = load_saved_learner(model, score, grid);
    const ErrorContext where{saved.path, "", "", "reading the saved model of " + score.name, 0, 0};
    const json& features = saved.description.at("features");
    for (std::size_t j = 0; j < score.evidence.size(); ++j) {
      InputSpec& in =
          model.inputs[std::size_t(model.evidence[std::size_t(score.evidence[j])].input)];
      if (in.kind != InputKind::rasterize || in.rasterize.field.empty()) continue;
      std::map<std::string, int> fitted;
      const json table = class_table(features[j]);
      for (const auto& [name, code] : table.items()) fitted[name] = code.get<int>();
      std::string list;
      for (const auto& [name, code] : fitted) list += (list.empty() ? "" : ", ") + name;
      if (in.rasterize.classes.empty()) {
        in.rasterize.classes = fitted;
        in.rasterize.classes_source = "the saved model " + saved.path + " knows the classes " +
                                      list +
                                      " only: leave the others out with where:, or fit "
                                      "the model on a survey that has them";
      } else if (in.rasterize.classes != fitted) {
        throw Error(
            ErrorKind::bad_input,
            "was fitted with another class table for input '" + in.name + "' (" + list + ")", where,
            "give input '" + in.name +
                "' the class table of the fit, or leave classes: out to take it");
      }
    }
    const int members = int(saved.members.size());
    if (ensemble >= 0 && members != ensemble)
      throw Error(ErrorKind::bad_input,
                  "holds " + std::to_string(members) + " ensemble fits, and the other scores' " +
                      std::to_string(ensemble),
                  where, "apply the models of one run");
    ensemble = members;
    const json& training = saved.description.at("training");
    lines.push_back("saved model for " + score.name + ": " + saved.path + ", " +
                    saved.description.at("kind").get<std::string>() + " fitted on " +
                    std::to_string(training.at("deposit_cells").get<long long>()) +
                    " deposit cells" +
                    (members > 0 ? ", with " + std::to_string(members) + " ensemble fits" : ""));
    const double fitted_cell = saved.description.at("grid").at("cell_size").get<double>();
    if (std::abs(fitted_cell - grid.cell_size()) > 1e-9 * fitted_cell)
      report_warning("the saved model of " + score.name + " was fitted on cells of " +
                     format_number(fitted_cell, 6) + ", and this grid's are " +
                     format_number(grid.cell_size(), 6) +
                     ": distances keep their meaning, but classes and surfaces drawn at "
                     "another cell size can move the learner's splits");
  }
  model.learner.ensemble = ensemble > 0 ? ensemble : 0;
  return lines;
}

}  // namespace prospect
