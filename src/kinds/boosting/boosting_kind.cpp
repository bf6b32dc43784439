#include "kinds/boosting/boosting_kind.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>

#include "kinds/boosting/saved_learner.hpp"
#include "prospect/core/diagnostics.hpp"
#include "prospect/kinds/boosting_fit.hpp"
#include "prospect/output/output_folder.hpp"
#include "prospect/output/qml.hpp"
#include "prospect/output/report_page.hpp"
#include "prospect/output/svg_plot.hpp"

namespace prospect {
namespace {

// Fewer deposit cells than this give a learner nothing to generalise from.
constexpr std::int64_t k_min_deposit_cells = 5;
// Cells the cross-validation ranks held-out deposits among: the AUC's sampling
// error against all cells is then under 0.005 (its standard error for n cells is
// at most 1 / sqrt(12 n) per deposit placement).
constexpr std::int64_t k_evaluation_cells = 20000;
// Partial-dependence curves in the report: the layers with the most gain.
constexpr std::size_t k_dependence_plots = 3;

struct ScoreModel {
  TrainingTable table;   // its rows kept for cross-validation
  LearnerParams params;  // its own: the forest's feature share depends on the score's layer count
  std::unique_ptr<XgbModel> learner;
  std::vector<std::unique_ptr<XgbModel>> members;  // learner.ensemble: fits with other seeds
  std::vector<int> feature_input;                  // input index per feature
  std::vector<double> gain;                        // total gain per feature
  std::vector<PartialDependence> dependence;       // of the features with the most gain
  std::string file;                                // models/<score>.json
  // What the learner was fitted on (saved_learner); applied: as the saved model says.
  nlohmann::ordered_json description;
  std::string applied_from;  // saved_model: the file the learner was read from
  // Per feature: why the learner could not use it ("" when it could), from the table.
  std::vector<std::string> unusable;
  // Applied: per feature, the lowest and highest value it was fitted on (NaN:
  // not known: a class input, or a model saved before ranges were kept), and
  // the study-area cells of this survey with a value, below it and above it.
  std::vector<std::array<double, 2>> training_range;
  std::vector<std::array<long long, 3>> outside;
};

// Each applied score's outside counts (as ScoreModel::outside) on one tile.
struct RangeCounts : KindTileState {
  std::vector<std::vector<std::array<long long, 3>>> scores;
};

// Why a feature of the table gives the learner nothing to split on: one value
// (or none) over every training row; "" when it varies.
std::string unusable_feature(const TrainingTable& table, std::size_t j) {
  const std::size_t p = table.features.size();
  float low = std::numeric_limits<float>::infinity(), high = -low;
  for (std::size_t r = 0; r < table.rows(); ++r) {
    const float v = table.values[r * p + j];
    if (std::isnan(v)) continue;
    low = std::min(low, v);
    high = std::max(high, v);
  }
  if (low > high) return "has no value at any training cell (deposit or background)";
  if (low == high)
    return "has one value (" + format_number(low, 6) +
           ") at every training cell, so the learner cannot split on it; check that the input "
           "covers the study area and varies there";
  return "";
}

// Adds the tile's study-area cells with a value of each ranged feature, and
// those below and above the range, to counts (as ScoreModel::outside).
void count_outside(const ScoreModel& m, const ScoringTile& tile,
                   std::vector<std::array<long long, 3>>& counts) {
  for (std::size_t j = 0; j < m.training_range.size(); ++j) {
    const double low = m.training_range[j][0], high = m.training_range[j][1];
    if (std::isnan(low)) continue;
    const std::vector<float>& x = tile.inputs[std::size_t(m.feature_input[j])];
    for (std::size_t i = 0; i < tile.view.cells; ++i) {
      if (!tile.view.inside[i] || std::isnan(x[i])) continue;
      ++counts[j][0];
      counts[j][1] += x[i] < low;
      counts[j][2] += x[i] > high;
    }
  }
}

// What to say of a feature of this survey outside its training values ("" when none is).
std::string outside_finding(const ScoreModel& m, std::size_t j) {
  const auto& [valued, below, above] = m.outside[j];
  if (valued == 0 || below + above == 0) return "";
  auto share = [valued = valued](long long k) {
    return format_number(100.0 * double(k) / double(valued), 2) + " %";
  };
  return "lies outside the values the learner was fitted on (" +
         format_number(m.training_range[j][0], 6) + " to " +
         format_number(m.training_range[j][1], 6) + ") at " + share(below + above) +
         " of the study-area cells with a value (" + share(below) + " below, " + share(above) +
         " above): trees score such cells as at the nearest value they saw, so read the map "
         "there as extrapolated";
}

struct BoostingScratch : KindScratch {
  std::vector<float> features;  // cells x features, row-major
  std::vector<float> member;    // one ensemble member's predictions
  std::vector<double> sum, sum_sq;
};

class FittedBoosting : public FittedModel {
 public:
  FittedBoosting(const ModelSpec& model, std::vector<ScoreModel> scores)
      : m_model(model),
        m_scores(std::move(scores)),
        m_spread_band0(m_scores.size() + (model.composite ? 1 : 0)) {}

  std::string units() const override {
    return std::string("relative probability of a deposit per cell (presence/background)") +
           (m_model.learner.ensemble > 1
                ? "; *_spread: its standard deviation over " +
                      std::to_string(m_model.learner.ensemble) + " fits with other seeds"
                : "");
  }

  std::vector<std::string> files() const override {
    std::vector<std::string> out;
    for (std::size_t s = 0; s < m_scores.size(); ++s)
      for (std::size_t m = 0; m <= m_scores[s].members.size(); ++m)
        out.push_back(learner_file(m_model.scores[s].name, int(m)));
    return out;
  }

  // models/<score>.json (and the ensemble's fits): XGBoost's JSON with the
  // description of what the learner was fitted on; an applied learner as it was read.
  void write_files(
      OutputFolder& folder,
      const std::vector<std::pair<std::string, std::string>>& input_hashes) const override {
    for (std::size_t s = 0; s < m_scores.size(); ++s) {
      const ScoreModel& m = m_scores[s];
      const ScoreSpec& score = m_model.scores[s];
      if (m.applied_from.empty()) {
        nlohmann::ordered_json description = m.description;
        add_training_files(description, m_model, score, input_hashes);
        m.learner->set_attribute(k_learner_description, description.dump());
      }
      for (std::size_t k = 0; k <= m.members.size(); ++k) {
        const std::string name = learner_file(score.name, int(k));
        std::filesystem::create_directories(
            std::filesystem::path(folder.staged_path(name)).parent_path());
        write_file_atomically(folder.staged_path(name),
                              (k == 0 ? m.learner : m.members[k - 1])->json());
      }
    }
  }

  std::unique_ptr<KindScratch> new_scratch() const override {
    return std::make_unique<BoostingScratch>();
  }

  // Applied learners count the study-area cells outside their training ranges.
  std::unique_ptr<KindTileState> new_tile_state() const override {
    bool any = false;
    for (const ScoreModel& m : m_scores) any = any || !m.training_range.empty();
    if (!any) return nullptr;
    auto counts = std::make_unique<RangeCounts>();
    for (const ScoreModel& m : m_scores)
      counts->scores.emplace_back(m.training_range.size(), std::array<long long, 3>{0, 0, 0});
    return counts;
  }

  void merge(KindTileState& state) override {
    const auto& counts = static_cast<RangeCounts&>(state);
    for (std::size_t s = 0; s < m_scores.size(); ++s)
      for (std::size_t j = 0; j < counts.scores[s].size(); ++j)
        for (std::size_t k = 0; k < 3; ++k) m_scores[s].outside[j][k] += counts.scores[s][j][k];
  }

  // A cell without any of its score's evidence stays unscored; one with some
  // takes the learner's own way for the missing ones (learned in training).
  void score(ScoringTile& tile, KindScratch& kind_scratch, KindTileState* state) const override {
    auto& scratch = static_cast<BoostingScratch&>(kind_scratch);
    const std::size_t n = tile.view.cells;
    for (std::size_t s = 0; s < m_scores.size(); ++s) {
      const ScoreModel& m = m_scores[s];
      const std::size_t p = m.feature_input.size();
      scratch.features.resize(n * p);
      for (std::size_t j = 0; j < p; ++j) {
        const std::vector<float>& x = tile.inputs[std::size_t(m.feature_input[j])];
        for (std::size_t i = 0; i < n; ++i) scratch.features[i * p + j] = x[i];
      }
      if (state) count_outside(m, tile, static_cast<RangeCounts&>(*state).scores[s]);
      float* out = tile.bands[s].data();
      m.learner->predict(scratch.features.data(), n, p, out);
      float* spread = m.members.empty() ? nullptr : tile.bands[m_spread_band0 + s].data();
      if (spread) {  // the sample standard deviation over the members
        scratch.member.resize(n);
        scratch.sum.assign(n, 0.0);
        scratch.sum_sq.assign(n, 0.0);
        for (const auto& member : m.members) {
          member->predict(scratch.features.data(), n, p, scratch.member.data());
          for (std::size_t i = 0; i < n; ++i) {
            scratch.sum[i] += scratch.member[i];
            scratch.sum_sq[i] += double(scratch.member[i]) * scratch.member[i];
          }
        }
        const double k = double(m.members.size());
        for (std::size_t i = 0; i < n; ++i) {
          const double variance =
              (scratch.sum_sq[i] - scratch.sum[i] * scratch.sum[i] / k) / (k - 1);
          spread[i] = float(std::sqrt(std::max(0.0, variance)));
        }
      }
      for (std::size_t i = 0; i < n; ++i) {
        bool any = false;
        for (std::size_t j = 0; j < p && !any; ++j) any = !std::isnan(scratch.features[i * p + j]);
        if (!any) {
          out[i] = std::numeric_limits<float>::quiet_NaN();
          if (spread) spread[i] = std::numeric_limits<float>::quiet_NaN();
        }
      }
    }
  }

  void add_to_manifest(nlohmann::ordered_json& manifest) const override {
    using json = nlohmann::ordered_json;
    json scores = json::array();
    for (const ScoreModel& m : m_scores) {
      json params = json::object();
      for (const auto& [key, value] : m.params.params) params[key] = value;
      json importance = json::array();
      for (std::size_t j = 0; j < m.table.features.size(); ++j)
        importance.push_back({{"evidence", m.table.features[j]},
                              {"categorical", bool(m.table.categorical[j])},
                              {"total_gain", m.gain[j]}});
      json entry = {{"score", m_model.scores[&m - m_scores.data()].name}};
      if (m.applied_from.empty())
        entry.update({{"deposit_cells", m.table.deposit_cells},
                      {"background_cells", m.table.background_cells},
                      {"study_area_cells", m.table.study_area_cells},
                      {"excluded_by_buffer", m.table.excluded_by_buffer},
                      {"model_file", m.file},
                      {"rounds", m.params.rounds},
                      {"parameters", params}});
      else
        entry.update({{"applied_from", m.applied_from},
                      {"model_file", m.file},
                      {"fitted_on", m.description.at("training")}});
      if (!m.outside.empty()) {  // applied: where this survey leaves the training values
        json ranges = json::array();
        for (std::size_t j = 0; j < m.outside.size(); ++j) {
          if (std::isnan(m.training_range[j][0])) continue;
          ranges.push_back({{"evidence", m.table.features[j]},
                            {"training_low", m.training_range[j][0]},
                            {"training_high", m.training_range[j][1]},
                            {"cells_with_a_value", m.outside[j][0]},
                            {"below", m.outside[j][1]},
                            {"above", m.outside[j][2]}});
        }
        entry["outside_training_range"] = ranges;
      }
      entry["importance"] = importance;
      scores.push_back(entry);
    }
    json section = {{"learner", "XGBoost (C API), one thread"},
                    {"ensemble", m_model.learner.ensemble}};
    if (m_model.training) {
      const BackgroundSpec& bg = m_model.training->background;
      section["background"] = {{"ratio", bg.ratio}, {"buffer_m", bg.buffer_m}, {"seed", bg.seed}};
    } else {
      section["saved_model"] = m_model.saved_model;
    }
    section["scores"] = scores;
    manifest[model_type_name(m_model.type)] = section;
  }

  std::string report_html() const override {
    const bool forest = m_model.type == ModelType::random_forest;
    std::string body =
        std::string("<p>") + (forest ? "Random forest" : "Gradient-boosted trees") +
        " (XGBoost) on a presence/background table: the deposit cells inside the study area "
        "against a seeded sample of the other study-area cells" +
        (m_model.training
             ? " (" + format_number(m_model.training->background.ratio, 3) + " per deposit cell)"
             : "") +
        ". The scores rank cells by how much they resemble the deposit cells; "
        "read them as relative, not as a probability of finding a deposit.</p>\n";
    if (!m_model.saved_model.empty())
      body += "<p>The learners were not fitted in this run: they are the ones saved in <code>" +
              xml_escape(m_model.saved_model) +
              "</code>, applied as they are to this survey's evidence (checked to be made the "
              "same way). Their training deposits are not in this survey, so there is no "
              "cross-validation; held-out deposits, if given, are the test.</p>\n";
    for (std::size_t s = 0; s < m_scores.size(); ++s) {
      const ScoreModel& m = m_scores[s];
      double total = 0;
      for (double g : m.gain) total += g;
      std::vector<std::size_t> order(m.gain.size());
      for (std::size_t j = 0; j < order.size(); ++j) order[j] = j;
      std::stable_sort(order.begin(), order.end(),
                       [&](std::size_t a, std::size_t b) { return m.gain[a] > m.gain[b]; });
      std::vector<std::vector<Cell>> rows;
      for (std::size_t j : order)
        rows.push_back({m.table.features[j], m.table.categorical[j] ? "classes" : "values",
                        format_number(total > 0 ? 100 * m.gain[j] / total : 0, 3) + " %"});
      const auto& fitted_on =
          m.applied_from.empty() ? nlohmann::ordered_json() : m.description.at("training");
      const long long deposit_cells = m.applied_from.empty()
                                          ? m.table.deposit_cells
                                          : fitted_on.at("deposit_cells").get<long long>();
      const long long background_cells = m.applied_from.empty()
                                             ? m.table.background_cells
                                             : fitted_on.at("background_cells").get<long long>();
      body += html_table(
          {"Evidence", "Taken as", "Share of the gain"}, rows, 2,
          m_model.scores[s].name + ": " + (m.applied_from.empty() ? "" : "fitted elsewhere on ") +
              std::to_string(deposit_cells) + " deposit cells, " +
              std::to_string(background_cells) + " background cells; model in " + m.file);
      if (m.dependence.empty()) continue;
      body += "<div class=\"figures\">\n";
      for (const PartialDependence& pd : m.dependence) {
        if (pd.x.size() < 2) continue;
        PlotSpec plot;
        plot.title = m_model.scores[s].name + ": " + m.table.features[pd.feature];
        plot.x_label = m.table.features[pd.feature] + (pd.categorical ? " (class code)" : "");
        plot.y_label = "mean score";
        plot.fit_y = true;
        plot.width = 300;
        plot.height = 220;
        std::string classes;
        if (pd.categorical) {  // a level per class, the classes apart: codes are no scale
          PlotLine levels{"", "#0072b2", {}, {}, false, false};
          for (std::size_t k = 0; k < pd.x.size(); ++k) {
            levels.x.insert(levels.x.end(), {pd.x[k] - 0.35, pd.x[k] + 0.35, pd.x[k]});
            levels.y.insert(levels.y.end(), {pd.y[k], pd.y[k], std::nan("")});
          }
          plot.x_min = pd.x.front() - 0.5;
          plot.x_max = pd.x.back() + 0.5;
          plot.x_ticks = pd.x;
          plot.lines.push_back(levels);
          for (std::size_t k = 0; k < pd.x.size() && k < pd.classes.size(); ++k)
            classes += (k ? ", " : "") + format_number(pd.x[k], 6) + " " + pd.classes[k];
        } else {
          plot.x_min = pd.x.front();
          plot.x_max = pd.x.back();
          plot.lines.push_back({"", "#0072b2", pd.x, pd.y, false, false});
        }
        body += "<figure>" + svg_plot(plot) +
                (classes.empty() ? "" : "<figcaption>" + xml_escape(classes) + "</figcaption>") +
                "</figure>\n";
      }
      body +=
          "</div>\n<p class=\"muted\">Partial dependence (Friedman 2001): the mean score of "
          "the evaluation cells with the layer set to each value in turn, the other layers as "
          "they are; the three layers with the most gain.</p>\n";
    }
    return body;
  }

  std::vector<CrossValidation> cross_validate(const KindContext& c) const override {
    std::vector<CrossValidation> out;
    if (!m_model.cross_validation.enabled || !c.validating) return out;
    for (std::size_t s = 0; s < m_scores.size(); ++s)
      out.push_back(cross_validate_learner(m_model, m_model.scores[s], m_scores[s].table,
                                           m_scores[s].params, *m_scores[s].learner, c.grid));
    return out;
  }

  std::vector<Finding> findings() const override {
    std::vector<Finding> out;
    for (std::size_t s = 0; s < m_scores.size(); ++s) {
      const ScoreModel& m = m_scores[s];
      for (std::size_t j = 0; j < m.outside.size(); ++j)
        if (const std::string said = outside_finding(m, j); !said.empty())
          out.push_back({m_model.scores[s].name + ": '" + m.table.features[j] + "' " + said, true});
      for (std::size_t j = 0; j < m.gain.size(); ++j)
        if (j < m.unusable.size() && !m.unusable[j].empty())
          out.push_back(
              {m_model.scores[s].name + ": '" + m.table.features[j] + "' " + m.unusable[j], true});
        else if (m.gain[j] == 0)
          out.push_back({m_model.scores[s].name + ": '" + m.table.features[j] +
                             "' is used by no split of the learner; the map does not depend on "
                             "it",
                         true});
    }
    return out;
  }

  bool terms_centred() const override { return true; }

  // Each layer's feature contribution (TreeSHAP) to each part's log-odds,
  // times the part's share: what it adds above the model's average at the
  // cell. One contribution pass per score gives every layer's terms.
  void layers_terms(const std::vector<int>& layers, const std::vector<ScorePart>& parts,
                    const std::vector<std::vector<float>>& inputs,
                    const std::vector<std::vector<float>>*, std::size_t n,
                    std::vector<std::vector<float>>& terms,
                    std::vector<float>& scratch) const override {
    constexpr float nan = std::numeric_limits<float>::quiet_NaN();
    terms.resize(layers.size());
    std::vector<char> any(layers.size(), 0);
    for (auto& t : terms) t.assign(n, 0.0f);
    std::vector<float> contributions;
    for (const ScorePart& part : parts) {
      const ScoreSpec& score = m_model.scores[part.score];
      const ScoreModel& m = m_scores[part.score];
      const std::size_t p = m.feature_input.size();
      std::vector<std::pair<std::size_t, std::size_t>> wanted;  // (layer k, feature j)
      for (std::size_t k = 0; k < layers.size(); ++k) {
        const auto at = std::find(score.evidence.begin(), score.evidence.end(), layers[k]);
        if (at != score.evidence.end())
          wanted.emplace_back(k, std::size_t(at - score.evidence.begin()));
      }
      if (wanted.empty()) continue;
      scratch.resize(n * p);
      for (std::size_t f = 0; f < p; ++f) {
        const std::vector<float>& x = inputs[std::size_t(m.feature_input[f])];
        for (std::size_t i = 0; i < n; ++i) scratch[i * p + f] = x[i];
      }
      m.learner->contributions(scratch.data(), n, p, contributions);
      for (std::size_t i = 0; i < n; ++i) {
        bool scored = false;
        for (std::size_t f = 0; f < p && !scored; ++f) scored = !std::isnan(scratch[i * p + f]);
        for (const auto& [k, j] : wanted)
          terms[k][i] =
              scored ? terms[k][i] + float(part.share) * contributions[i * (p + 1) + j] : nan;
      }
      for (const auto& [k, j] : wanted) any[k] = 1;
    }
    for (std::size_t k = 0; k < layers.size(); ++k)
      if (!any[k]) std::fill(terms[k].begin(), terms[k].end(), nan);
  }

  void layer_terms(int evidence, const std::vector<ScorePart>& parts,
                   const std::vector<std::vector<float>>& inputs,
                   const std::vector<std::vector<float>>* memberships, std::size_t n, float* out,
                   std::vector<float>& scratch) const override {
    std::vector<std::vector<float>> terms;
    layers_terms({evidence}, parts, inputs, memberships, n, terms, scratch);
    std::copy(terms[0].begin(), terms[0].end(), out);
  }

 private:
  const ModelSpec m_model;  // a copy: the fit outlives the run's resolved model
  std::vector<ScoreModel> m_scores;
  std::size_t m_spread_band0 = 0;  // the first <score>_spread band
};

// saved_model: each score's learner as an earlier run fitted it, checked
// against this model (kinds/boosting/saved_learner), nothing refitted.
std::unique_ptr<FittedModel> apply_saved_learners(const KindContext& c) {
  const ModelSpec& model = c.model;
  std::vector<ScoreModel> scores;
  for (const ScoreSpec& score : model.scores) {
    SavedLearner saved = load_saved_learner(model, score, c.grid);
    ScoreModel m;
    for (int e : score.evidence) {
      const EvidenceSpec& ev = model.evidence[std::size_t(e)];
      m.table.features.push_back(ev.name);
      m.table.categorical.push_back(model.inputs[std::size_t(ev.input)].kind ==
                                    InputKind::rasterize);
      m.feature_input.push_back(ev.input);
    }
    m.learner = std::move(saved.learner);
    m.members = std::move(saved.members);
    m.gain = m.learner->gain(m.table.features.size());
    m.file = learner_file(score.name);
    m.description = std::move(saved.description);
    m.applied_from = saved.path;
    for (const auto& feature : m.description.at("features")) {  // saved learners check these
      const auto range = feature.find("training_range");
      m.training_range.push_back(
          range == feature.end() || !range->is_array() || range->size() != 2
              ? std::array<double, 2>{NAN, NAN}
              : std::array<double, 2>{(*range)[0].get<double>(), (*range)[1].get<double>()});
    }
    m.outside.assign(m.training_range.size(), {0, 0, 0});
    scores.push_back(std::move(m));
  }
  return std::make_unique<FittedBoosting>(model, std::move(scores));
}

std::unique_ptr<FittedModel> fit_learner(const KindContext& c) {
  const ModelSpec& model = c.model;
  if (!model.saved_model.empty()) return apply_saved_learners(c);
  std::vector<ScoreModel> scores;
  for (const ScoreSpec& score : model.scores) {
    ScoreModel m;
    const TrainingCells deposits = training_cells(model, score, c.grid, c.tiles);
    const bool cross_validating = c.validating && model.cross_validation.enabled;
    m.table = training_table(model, score, deposits, c.grid, c.area, c.tiles, c.inputs, c.threads,
                             cross_validating ? k_evaluation_cells : 0);
    const ErrorContext where{model.training->deposits.path, "", "", "training " + score.name, 0, 0};
    if (m.table.deposit_cells < k_min_deposit_cells)
      throw Error(ErrorKind::bad_input,
                  score.name + " has " + std::to_string(m.table.deposit_cells) +
                      " training deposit cell(s) inside the study area; a " +
                      model_type_name(model.type) + " needs at least " +
                      std::to_string(k_min_deposit_cells),
                  where, "add training deposits, or widen the score's deposit filter");
    if (m.table.background_cells == 0)
      throw Error(ErrorKind::bad_input,
                  "no background cell is left for " + score.name +
                      (m.table.excluded_by_buffer > 0
                           ? ": training.background.buffer_m excludes all " +
                                 std::to_string(m.table.excluded_by_buffer) + " sampled cells"
                           : ": the study area holds only deposit cells"),
                  where, "lower training.background.buffer_m or enlarge the study area");
    for (std::size_t j = 0; j < m.table.features.size(); ++j)
      m.unusable.push_back(unusable_feature(m.table, j));
    m.params = learner_params(model.type, model.learner, m.table.features.size());
    m.learner = std::make_unique<XgbModel>(m.table, m.params);
    for (int e = 1; e <= model.learner.ensemble && model.learner.ensemble > 1; ++e) {
      LearnerSpec other = model.learner;
      other.seed = model.learner.seed + unsigned(e);
      m.members.push_back(std::make_unique<XgbModel>(
          m.table, learner_params(model.type, other, m.table.features.size())));
    }
    m.gain = m.learner->gain(m.table.features.size());
    if (m.table.evaluation_rows() > 0) {  // the three layers with the most gain
      std::vector<std::size_t> order(m.gain.size());
      for (std::size_t j = 0; j < order.size(); ++j) order[j] = j;
      std::stable_sort(order.begin(), order.end(),
                       [&](std::size_t a, std::size_t b) { return m.gain[a] > m.gain[b]; });
      for (std::size_t k = 0; k < order.size() && k < k_dependence_plots; ++k)
        if (m.gain[order[k]] > 0) {
          PartialDependence pd = partial_dependence(*m.learner, m.table, order[k]);
          const int input = model.evidence[std::size_t(score.evidence[order[k]])].input;
          for (double code : pd.categorical ? pd.x : std::vector<double>{}) {
            std::string name = code == model.inputs[std::size_t(input)].rasterize.background
                                   ? "no feature"  // the cells no polygon covers
                                   : "?";
            for (const CategoryClass& cls : c.inputs.classes(std::size_t(input)))
              if (cls.code == code) name = cls.name;
            pd.classes.push_back(name);
          }
          m.dependence.push_back(std::move(pd));
        }
    }
    for (int e : score.evidence) m.feature_input.push_back(model.evidence[std::size_t(e)].input);
    m.file = learner_file(score.name);
    m.description = learner_description(model, score, c.grid, m.table, c.inputs);
    if (!cross_validating) {  // the rows are needed no more; the counts stay for the outputs
      m.table.values = {};
      m.table.labels = {};
      m.table.weights = {};
    }
    scores.push_back(std::move(m));
  }
  return std::make_unique<FittedBoosting>(model, std::move(scores));
}

}  // namespace

std::unique_ptr<FittedModel> GradientBoostingKind::fit(const KindContext& c) const {
  return fit_learner(c);
}

std::unique_ptr<FittedModel> RandomForestKind::fit(const KindContext& c) const {
  return fit_learner(c);
}

std::vector<std::string> GradientBoostingKind::prepare(ModelSpec& model,
                                                       const AnalysisGrid& grid) const {
  return model.saved_model.empty() ? std::vector<std::string>{} : adopt_saved_learners(model, grid);
}

std::vector<std::string> RandomForestKind::prepare(ModelSpec& model,
                                                   const AnalysisGrid& grid) const {
  return model.saved_model.empty() ? std::vector<std::string>{} : adopt_saved_learners(model, grid);
}

}  // namespace prospect
