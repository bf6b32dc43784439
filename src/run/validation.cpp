#include "prospect/run/validation.hpp"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "prospect/output/output_folder.hpp"
#include "prospect/validate/success_rate.hpp"

namespace prospect {
namespace {

struct Request {
  int band = 0;  // 0-based
  VectorInput deposits;
  std::string source;
};

std::string combined(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return "(" + a + ") AND (" + b + ")";
}

}  // namespace

std::vector<BandValidation> validate(const ModelSpec& model, const AnalysisGrid& grid,
                                     StagedRaster& scores, const std::vector<Tile>& tiles,
                                     const std::string& json_path) {
  const auto names = model.band_names();
  std::vector<Request> requests;
  const std::size_t scored_bands = model.scores.size() + (model.composite ? 1 : 0);
  for (std::size_t b = 0; b < scored_bands; ++b) {
    Request r;
    r.band = int(b);
    if (model.validation_deposits) {
      r.deposits = *model.validation_deposits;
      const auto it = model.validation_where.find(names[b]);
      if (it != model.validation_where.end())
        r.deposits.where = combined(r.deposits.where, it->second);
      else if (b < model.scores.size())  // the element's own training rule, e.g. Dy_ppm >= 300
        r.deposits.where = combined(r.deposits.where, model.scores[b].deposits_where);
      r.source = "validation deposits (" + r.deposits.path + ")" +
                 (r.deposits.where.empty() ? "" : " where " + r.deposits.where);
    } else if (model.training) {
      r.deposits = model.training->deposits;
      if (b < model.scores.size())
        r.deposits.where = combined(r.deposits.where, model.scores[b].deposits_where);
      r.source = "training deposits" + std::string(r.deposits.where.empty() ? "" : " where " + r.deposits.where) +
                 " (a success rate: these deposits trained the model)";
    } else {
      continue;
    }
    requests.push_back(r);
  }
  std::vector<BandValidation> out;
  if (requests.empty()) return out;

  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<SuccessRate> rates;
  for (const Request& r : requests) {
    BandValidation v;
    v.band = names[std::size_t(r.band)];
    v.deposits_source = r.source;
    std::vector<float> deposit_scores;
    const FeatureSet points = read_vector(r.deposits, grid.crs_wkt());
    for (const auto& g : points.geometries) {
      if (wkbFlatten(g->getGeometryType()) != wkbPoint) {
        ++v.not_scored;
        continue;
      }
      const auto col = grid.col_of(g->toPoint()->getX()), row = grid.row_of(g->toPoint()->getY());
      float value = nan;
      if (grid.contains_cell(col, row)) scores.read(r.band + 1, {int(col), int(row), 1, 1}, &value);
      if (std::isnan(value) || value == k_output_nodata)
        ++v.not_scored;
      else
        deposit_scores.push_back(value);
    }
    v.deposits = deposit_scores.size();
    rates.emplace_back(deposit_scores);
    out.push_back(v);
  }

  std::vector<float> values;
  for (const Tile& t : tiles) {
    values.resize(t.window.cell_count());
    for (std::size_t i = 0; i < requests.size(); ++i) {
      if (out[i].deposits == 0) continue;
      scores.read(requests[i].band + 1, t.window, values.data());
      for (auto& v : values)
        if (v == k_output_nodata) v = nan;
      rates[i].add_cells(values.data(), values.size());
    }
  }

  using json = nlohmann::ordered_json;
  json bands = json::array();
  for (std::size_t i = 0; i < out.size(); ++i) {
    BandValidation& v = out[i];
    json entry = {{"band", v.band}, {"deposits", v.deposits_source}, {"deposits_scored", v.deposits},
                  {"deposits_not_scored", v.not_scored}};
    if (v.deposits == 0) {
      entry["note"] = "no deposit lies on a scored cell: nothing to validate";
      bands.push_back(entry);
      continue;
    }
    v.auc = rates[i].auc();
    json capture = json::object();
    for (double pct : {1.0, 5.0, 10.0, 20.0}) {
      const double share = rates[i].capture(pct / 100.0);
      v.capture.emplace_back(pct / 100.0, share);
      capture["top_" + std::to_string(int(pct)) + "_percent"] = share;
    }
    json curve = json::array();
    for (const CurvePoint& p : rates[i].curve())
      curve.push_back({{"area_share", p.area_share}, {"deposit_share", p.deposit_share},
                       {"threshold", p.threshold}});
    entry["auc"] = v.auc;
    if (model.bootstrap_replicates > 0 && v.deposits >= 2) {
      const AucInterval ci = bootstrap_auc(rates[i].placements(), model.bootstrap_replicates,
                                           model.bootstrap_seed);
      v.auc_low = ci.low;
      v.auc_high = ci.high;
      entry["auc_95_percent_interval"] = {ci.low, ci.high};
      entry["auc_bootstrap"] = {{"replicates", ci.replicates},
                                {"seed", ci.seed},
                                {"std_error", ci.std_error},
                                {"resampled", "deposits (the cells are the whole study area)"}};
    }
    entry["capture"] = capture;
    const PredictionArea pa = prediction_area_intersection(rates[i].curve());
    if (pa.found)
      entry["prediction_area_intersection"] = {{"threshold", pa.threshold},
                                               {"deposit_share", pa.deposit_share},
                                               {"area_share", pa.area_share},
                                               {"normalized_density", pa.normalized_density},
                                               {"weight", pa.weight}};
    entry["success_rate_curve"] = curve;
    bands.push_back(entry);
  }
  json doc = {{"tie_rule", "cells scoring the same as a deposit count one half (Mann-Whitney)"},
              {"area", "valid study-area cells (scored in every band)"},
              {"bands", bands}};
  write_file_atomically(json_path, doc.dump(2) + "\n");
  return out;
}

}  // namespace prospect
