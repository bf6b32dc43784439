#include "prospect/output/validation_json.hpp"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace prospect {
namespace {

// Why deposits were left out, and each one (the first 1000), so a geologist
// can find them in GIS: fid as in the file, x and y in the grid CRS.
nlohmann::ordered_json not_counted_json(const DepositAccount& a) {
  using json = nlohmann::ordered_json;
  json list = json::array();
  for (std::size_t i = 0; i < a.not_counted.size() && i < 1000; ++i) {
    const auto& e = a.not_counted[i];
    list.push_back({{"fid", e.fid}, {"x", e.x}, {"y", e.y}, {"reason", e.reason}});
  }
  json out = {{"rule",
               "a deposit counts when the cell it falls in is in the study area (the cell's "
               "centre inside a polygon) and has a score"},
              {"not_points", a.not_points},
              {"outside_grid", a.outside_grid},
              {"outside_study_area", a.outside_study_area},
              {"of_which_inside_the_polygon", a.outside_cell_in_polygon},
              {"missing_evidence", a.missing_evidence},
              {"counted_though_outside_the_polygon", a.counted_outside_polygon},
              {"deposits", list}};
  if (a.not_counted.size() > 1000) out["deposits_listed"] = 1000;
  return out;
}

}  // namespace

Chance chance_of(const BandValidation& v) {
  if (v.deposits == 0 || !(v.auc_high > 0)) return Chance::not_assessed;
  if (v.auc_high < 0.5) return Chance::worse;
  if (v.auc_low <= 0.5) return Chance::no_better;
  return Chance::better;
}

const char* chance_name(Chance c) {
  switch (c) {
    case Chance::better:
      return "better than chance";
    case Chance::no_better:
      return "no better than chance";
    case Chance::worse:
      return "worse than chance";
    case Chance::not_assessed:
      break;
  }
  return "not assessed";
}

std::string chance_warning(const BandValidation& v) {
  char interval[80];
  std::snprintf(interval, sizeof interval, "AUC %.3f, 95 %% interval %.3f-%.3f", v.auc, v.auc_low,
                v.auc_high);
  switch (chance_of(v)) {
    case Chance::no_better:
      return v.band + " is no better than chance at ranking its " + std::to_string(v.deposits) +
             " deposits (" + interval + " includes 0.5): do not pick targets from it";
    case Chance::worse:
      return v.band + " is worse than chance (" + interval +
             ", below 0.5): the map ranks deposits below the background; check the direction of "
             "the evidence "
             "(memberships, ascending/descending weights, signs)";
    default:
      return "";
  }
}

std::string validation_json(const ModelSpec& model, const std::vector<BandValidation>& validated,
                            const std::vector<CrossValidation>& cross_validation,
                            const std::vector<ResponseCurve>& response_curves) {
  using json = nlohmann::ordered_json;
  json bands = json::array();
  for (const BandValidation& v : validated) {
    json entry = {{"band", v.band},
                  {"deposits", v.deposits_source},
                  {"held_out", v.held_out},
                  {"deposits_scored", v.deposits},
                  {"deposits_not_scored", v.account.not_counted_total()}};
    if (v.account.not_counted_total() > 0 || v.account.counted_outside_polygon > 0)
      entry["deposits_not_counted"] = not_counted_json(v.account);
    if (v.deposits == 0) {
      entry["note"] = "no deposit lies on a scored cell: nothing to validate";
      bands.push_back(entry);
      continue;
    }
    entry["auc"] = v.auc;
    if (v.constant_score)
      entry["note"] = "every valid cell has the same score: the band ranks nothing (AUC 0.5)";
    entry["chance"] = chance_name(chance_of(v));
    if (v.auc_high > 0) {
      entry["auc_95_percent_interval"] = {v.auc_low, v.auc_high};
      entry["auc_bootstrap"] = {{"replicates", model.bootstrap_replicates},
                                {"seed", model.bootstrap_seed},
                                {"std_error", v.auc_std_error},
                                {"resampled", "deposits (the cells are the whole study area)"}};
    }
    json capture = json::object();
    for (const auto& [area, share] : v.capture)
      capture["top_" + std::to_string(int(std::lround(area * 100))) + "_percent"] = share;
    entry["capture"] = capture;
    const PredictionArea& pa = v.prediction_area;
    if (pa.found)
      entry["prediction_area_intersection"] = {{"threshold", pa.threshold},
                                               {"deposit_share", pa.deposit_share},
                                               {"area_share", pa.area_share},
                                               {"normalized_density", pa.normalized_density},
                                               {"weight", pa.weight}};
    json curve = json::array();
    for (const CurvePoint& p : v.curve)
      curve.push_back({{"area_share", p.area_share},
                       {"deposit_share", p.deposit_share},
                       {"threshold", p.threshold}});
    entry[v.held_out ? "prediction_rate_curve" : "success_rate_curve"] = curve;
    bands.push_back(entry);
  }
  json doc = {{"tie_rule", "cells scoring the same as a deposit count one half (Mann-Whitney)"},
              {"area", "valid study-area cells (scored in every band)"},
              {"bands", bands}};
  if (!cross_validation.empty()) {
    json cvs = json::array();
    for (const CrossValidation& cv : cross_validation) {
      json entry = {
          {"band", cv.band},
          {"method", cv.method},
          {"folds_asked", cv.folds_asked == 0 ? json("leave_one_out") : json(cv.folds_asked)},
          {"block_m", cv.block_m},
          {"seed", cv.seed},
          {"blocks", cv.plan.blocks}};
      if (cv.plan.folds == 0) {
        entry["not_run"] = cv.plan.problem;
        cvs.push_back(entry);
        continue;
      }
      if (!cv.plan.note.empty()) entry["note"] = cv.plan.note;
      entry["folds"] = cv.plan.folds;
      entry["auc_mean"] = cv.spread.mean;
      entry["auc_std_dev"] = cv.spread.std_dev;
      entry["auc_min"] = cv.spread.min;
      entry["auc_max"] = cv.spread.max;
      entry["auc_pooled"] = cv.pooled_auc;
      entry["auc_full_fit"] = cv.full_fit_auc;
      json folds = json::array();
      for (const FoldOutcome& f : cv.folds) {
        json fold = {{"training_deposits", f.training}, {"held_out_deposits", f.held_out}};
        if (f.problem.empty())
          fold["auc"] = f.auc;
        else
          fold["not_refitted"] = f.problem;
        folds.push_back(fold);
      }
      entry["per_fold"] = folds;
      if (!cv.importance.empty()) {
        json importance = json::array();
        for (const PermutationImportance& i : cv.importance)
          importance.push_back({{"evidence", i.evidence}, {"auc_drop", i.auc_drop}});
        entry["permutation_importance"] = importance;
      }
      cvs.push_back(entry);
    }
    doc["cross_validation"] = {
        {"what",
         "each fold's training deposits are held out, the model refitted on the rest (wofe: "
         "weights; logistic: coefficients, the held-out cells counting as background), and the "
         "held-out deposits ranked on the refitted map (AUC); auc_pooled ranks every held-out "
         "deposit on its own fold's map; auc_full_fit the same deposits on the map fitted to all"},
        {"scores", cvs}};
  }
  if (!response_curves.empty()) {
    json curves = json::array();
    for (const ResponseCurve& rc : response_curves) {
      json entry = {{"layer", rc.layer},
                    {"deposits", rc.deposits_source},
                    {"deposits_with_value", rc.deposits}};
      if (rc.value.empty()) {
        entry["note"] = rc.note;
        curves.push_back(entry);
        continue;
      }
      entry["bandwidth"] = rc.bandwidth;
      entry["average_density_per_km2"] = rc.average_density;
      json points = json::array();
      for (std::size_t k = 0; k < rc.value.size(); ++k) {
        auto number = [](double v) { return std::isnan(v) ? json(nullptr) : json(v); };
        points.push_back(
            {rc.value[k], number(rc.density[k]), number(rc.low[k]), number(rc.high[k])});
      }
      entry["columns"] = {"value", "deposits_per_km2", "low_95", "high_95"};
      entry["points"] = points;
      curves.push_back(entry);
    }
    doc["response_curves"] = {
        {"what",
         "deposit density against the evidence value, Gaussian-kernel smoothed, with a 95 % "
         "band (Poisson); above average_density_per_km2 the value favours deposits"},
        {"layers", curves}};
  }
  return doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace prospect
