#include "kinds/wofe/wofe_kind.hpp"

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <unordered_map>

#include "prospect/core/diagnostics.hpp"
#include "prospect/kinds/wofe_conditions.hpp"
#include "prospect/kinds/wofe_cv.hpp"
#include "prospect/kinds/wofe_fit.hpp"
#include "prospect/output/output_folder.hpp"
#include "prospect/output/qml.hpp"
#include "prospect/output/report_page.hpp"
#include "prospect/output/svg_plot.hpp"
#include "prospect/output/weights_table.hpp"

namespace prospect {
namespace {

// out[i] += share x the weight of the group of classes[i] (nothing where the
// class is NaN or in no group): the target drivers' term of one WofE layer.
// A few classes are found by counting the class values below each cell (a
// loop that vectorises); a binary search per cell mispredicted its branches on
// noisy rasters (10 % of a WofE run with targets).
void add_class_terms(const LayerWeights& lw, double share, const float* classes, std::size_t n,
                     float* out) {
  const std::vector<double>& values = lw.class_values;
  if (values.size() > 32) {
    for (std::size_t i = 0; i < n; ++i) {
      const int g = std::isnan(classes[i]) ? -1 : lw.group_of(classes[i]);
      if (g >= 0) out[i] += float(share * lw.group_weight[std::size_t(g)]);
    }
    return;
  }
  const std::size_t none = values.size();  // the index of "no group"
  std::vector<float> term(none + 1, 0.0f);
  std::vector<char> has(none + 1, 0);
  for (std::size_t c = 0; c < none; ++c)
    if (lw.class_group[c] >= 0) {
      term[c] = float(share * lw.group_weight[std::size_t(lw.class_group[c])]);
      has[c] = 1;
    }
  std::vector<std::uint8_t> index(n);
  class_indices(values, classes, index.data(), n);
  for (std::size_t i = 0; i < n; ++i)
    if (has[index[i]]) out[i] += term[index[i]];
}

std::string esc(const std::string& s) { return xml_escape(s); }
std::string num(double v, int digits = 3) { return format_number(v, digits); }

std::string weights_rows_table(const WeightsTable& t, const std::string& caption) {
  std::vector<std::vector<Cell>> rows;
  for (const WeightsRow& w : t.rows) {
    rows.push_back(
        {w.generalized == 2 ? Cell::markup("<b>" + xml_escape(num(w.value, 5)) + "</b>")
                            : Cell(num(w.value, 5)),
         num(w.unit_cells, 4), std::to_string(w.deposits), w.w_plus_defined ? num(w.w_plus) : "–",
         w.w_plus_defined ? num(w.s_w_plus, 2) : "–", w.w_minus_defined ? num(w.w_minus) : "–",
         w.w_minus_defined ? num(w.s_w_minus, 2) : "–",
         w.w_plus_defined && w.w_minus_defined ? num(w.contrast) : "–",
         w.w_plus_defined && w.w_minus_defined ? num(w.studentized, 2) : "–"});
  }
  return html_table(
      {"Class", "Area (unit cells)", "Deposits", "W+", "s(W+)", "W−", "s(W−)", "C", "C / s(C)"},
      rows, 1, caption);
}

struct WofeScratch : KindScratch {
  std::vector<std::vector<float>> classes;  // per evidence layer: its classes, when it has breaks
  std::vector<std::vector<const float*>>
      score_classes;                  // per score: its layers' classes on this tile
  std::vector<std::uint32_t> groups;  // per cell of the tile: its condition (ConditionTable)
  std::vector<std::vector<std::uint64_t>> class_keys;  // per score: each cell's classes' key
};

// A cell's posterior and its standard deviation as one key: cells of one unique
// condition (one combination of the layers' weight groups) share both.
std::uint64_t condition_key(float p, float sd) {
  return (std::uint64_t(std::bit_cast<std::uint32_t>(p)) << 32) | std::bit_cast<std::uint32_t>(sd);
}

struct WofeTileState : KindTileState {
  std::vector<std::unordered_map<std::uint64_t, std::int64_t>>
      condition_cells;  // per score: cells by (P, s(P)) (scores without a table)
  std::vector<std::vector<std::int64_t>> table_cells;  // per score: cells by table combination
  std::vector<UniqueConditions> conditions;            // per score, when cross-validating
};

class FittedWofe : public FittedModel {
 public:
  FittedWofe(const KindContext& c, WofeFit fit, std::vector<std::string> files)
      : m_model(c.model), m_fit(std::move(fit)), m_files(std::move(files)) {
    const std::size_t scores = m_model.scores.size();
    const double mpu = c.grid.metres_per_unit();
    m_unit_per_cell = c.grid.cell_area() * mpu * mpu / 1e6 / m_model.training->unit_cell_km2;
    m_std_band0 = scores + (m_model.composite ? 1 : 0);
    m_condition_cells.resize(scores);
    for (std::size_t s = 0; s < scores; ++s)
      m_tables.push_back(condition_table(m_fit.scores[s].model));
    if (c.validating && m_model.cross_validation.enabled)
      for (std::size_t s = 0; s < scores; ++s) m_conditions.emplace_back(m_fit.scores[s].model);
  }

  std::string units() const override {
    return "posterior probability of a deposit per unit cell; *_std: its standard deviation";
  }
  std::vector<std::string> files() const override { return m_files; }

  std::unique_ptr<KindScratch> new_scratch() const override {
    return std::make_unique<WofeScratch>();
  }

  std::unique_ptr<KindTileState> new_tile_state() const override {
    auto state = std::make_unique<WofeTileState>();
    state->condition_cells.resize(m_model.scores.size());
    state->table_cells.resize(m_model.scores.size());
    for (std::size_t s = 0; s < m_tables.size(); ++s)
      if (m_tables[s]) state->table_cells[s].assign(m_tables[s]->probability.size(), 0);
    state->conditions = empty_conditions();
    return state;
  }

  void score(ScoringTile& tile, KindScratch& kind_scratch,
             KindTileState* kind_state) const override {
    auto& scratch = static_cast<WofeScratch&>(kind_scratch);
    auto& state = static_cast<WofeTileState&>(*kind_state);
    const std::size_t n = tile.view.cells;
    scratch.classes.resize(m_model.evidence.size());
    scratch.score_classes.resize(m_model.scores.size());
    for (std::size_t s = 0; s < m_model.scores.size(); ++s) {
      std::vector<const float*>& classes = scratch.score_classes[s];
      classes.clear();
      for (int e : m_model.scores[s].evidence) {
        const EvidenceSpec& ev = m_model.evidence[std::size_t(e)];
        scratch.classes[std::size_t(e)].clear();
        classes.push_back(evidence_classes(ev, tile.inputs[std::size_t(ev.input)],
                                           scratch.classes[std::size_t(e)]));
      }
      float* p = tile.bands[s].data();
      float* sd = tile.bands[m_std_band0 + s].data();
      if (m_tables[s]) {
        scratch.class_keys.resize(m_model.scores.size());
        const bool keys = s < state.conditions.size() && state.conditions[s].usable();
        look_up(*m_tables[s], m_fit.scores[s].model, classes, n, scratch.groups,
                keys ? &scratch.class_keys[s] : nullptr, p, sd);
        auto& cells = state.table_cells[s];
        for (std::size_t i = 0; i < n; ++i)
          if (tile.view.inside[i]) ++cells[scratch.groups[i]];
        continue;
      }
      posterior(m_fit.scores[s].model, classes, n, p, sd);
      auto& cells = state.condition_cells[s];
      for (std::size_t i = 0; i < n; ++i)
        if (tile.view.inside[i] && !std::isnan(p[i])) ++cells[condition_key(p[i], sd[i])];
    }
  }

  // The unique conditions count only cells scored in every band.
  void scored(const ScoringTile& tile, KindScratch& kind_scratch,
              KindTileState* kind_state) const override {
    auto& scratch = static_cast<WofeScratch&>(kind_scratch);
    auto& state = static_cast<WofeTileState&>(*kind_state);
    for (std::size_t s = 0; s < state.conditions.size(); ++s) {
      if (m_tables[s] && state.conditions[s].usable())
        state.conditions[s].add_keys(scratch.class_keys[s].data(), tile.bands[s].data(),
                                     tile.view.cells);
      else
        state.conditions[s].add(scratch.score_classes[s], tile.bands[s].data(), tile.view.cells);
    }
  }

  void merge(KindTileState& kind_state) override {
    auto& state = static_cast<WofeTileState&>(kind_state);
    for (std::size_t s = 0; s < state.condition_cells.size(); ++s)
      for (const auto& [key, cells] : state.condition_cells[s]) m_condition_cells[s][key] += cells;
    for (std::size_t s = 0; s < state.table_cells.size(); ++s) {
      const auto& cells = state.table_cells[s];
      for (std::size_t k = 0; k < cells.size(); ++k)
        if (cells[k] > 0 && !std::isnan(m_tables[s]->probability[k]))
          m_condition_cells[s][condition_key(m_tables[s]->probability[k],
                                             m_tables[s]->stddev[k])] += cells[k];
    }
    for (std::size_t s = 0; s < state.conditions.size(); ++s)
      m_conditions[s].merge(state.conditions[s]);
  }

  std::vector<CrossValidation> cross_validate(const KindContext& c) const override {
    std::vector<CrossValidation> out;
    const double mpu = c.grid.metres_per_unit();
    const double cell_km2 = c.grid.cell_area() * mpu * mpu / 1e6;
    for (std::size_t s = 0; s < m_conditions.size(); ++s)
      out.push_back(cross_validate_wofe(m_model, m_model.scores[s], m_fit.scores[s],
                                        m_conditions[s], m_model.cross_validation, mpu, cell_km2));
    return out;
  }

  void add_to_manifest(nlohmann::ordered_json& manifest) const override {
    using json = nlohmann::ordered_json;
    json scores = json::array();
    for (std::size_t s = 0; s < m_fit.scores.size(); ++s) {
      const auto& f = m_fit.scores[s];
      const double prior = 1.0 / (1.0 + std::exp(-f.model.prior_logit));
      json layers = json::array();
      for (std::size_t j = 0; j < f.model.layers.size(); ++j) {
        const auto& lw = f.model.layers[j];
        json layer = {
            {"evidence", m_model.evidence[std::size_t(m_model.scores[s].evidence[j])].name},
            {"used", lw.used},
            {"weights", lw.group_weight}};
        if (!lw.note.empty()) layer["note"] = lw.note;
        layers.push_back(layer);
      }
      const IndependenceTest ci = independence(s);
      json pairs = json::array();
      for (const auto& t : f.pairwise)
        pairs.push_back({{"layers", {t.first, t.second}},
                         {"deposits", t.deposits},
                         {"chi_square", t.chi_square},
                         {"degrees_of_freedom", t.degrees_of_freedom},
                         {"p", t.p_value},
                         {"min_expected", t.min_expected},
                         {"verdict", t.verdict()}});
      scores.push_back({{"score", m_model.scores[s].name},
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
    manifest["wofe"] = {{"unit_cell_km2", m_model.training->unit_cell_km2},
                        {"min_studentized", m_model.training->min_studentized},
                        {"scores", scores}};
  }

  std::string report_html() const override {
    const TrainingSpec& training = *m_model.training;
    std::string body =
        "<p>Weights of evidence (Bonham-Carter 1994). Unit cell " + num(training.unit_cell_km2) +
        " km²; a generalised threshold needs |C / s(C)| ≥ " + num(training.min_studentized) +
        ". Bold rows are inside the generalised pattern. Full tables: "
        "<code>weights/*.csv</code>.</p>\n";
    for (std::size_t s = 0; s < m_fit.scores.size(); ++s) {
      const WofeScoreFit& f = m_fit.scores[s];
      body += "<h3>" + esc(m_model.scores[s].name) + " — " + std::to_string(f.deposits) +
              " training deposits</h3>\n";
      body += "<p>" + esc(independence(s).verdict()) + ".</p>\n";
      for (std::size_t j = 0; j < f.tables.size(); ++j) {
        const EvidenceSpec& ev = m_model.evidence[std::size_t(m_model.scores[s].evidence[j])];
        const WeightsTable& t = f.tables[j];
        std::string caption = ev.name + " (" + weights_type_name(t.type) + ")";
        if (!t.generalization_note.empty()) caption += ": " + t.generalization_note;
        body += weights_rows_table(t, caption);
      }
      std::vector<std::vector<Cell>> pairs;
      for (const PairwiseTest& p : f.pairwise)
        pairs.push_back({p.first + " × " + p.second, num(p.chi_square),
                         std::to_string(p.degrees_of_freedom), num(p.p_value),
                         p.p_value < 0.05 ? "dependent" : "no evidence of dependence"});
      if (!pairs.empty())
        body += html_table({"Layer pair", "χ²", "df", "p", "verdict"}, pairs, 1,
                           "Pairwise conditional independence on the deposits:");
    }
    return body;
  }

  // The Agterberg-Cheng test per score; a rejection is one to watch.
  std::vector<Finding> findings() const override {
    std::vector<Finding> out;
    for (std::size_t s = 0; s < m_condition_cells.size(); ++s) {
      const IndependenceTest t = independence(s);
      out.push_back({m_model.scores[s].name + ": " + t.verdict(), t.p_value() < 0.05});
    }
    return out;
  }

  // What the layer's class adds to the prior logit; missing evidence adds 0.
  void layer_terms(int evidence, const std::vector<ScorePart>& parts,
                   const std::vector<std::vector<float>>& inputs,
                   const std::vector<std::vector<float>>*, std::size_t n, float* out,
                   std::vector<float>& scratch) const override {
    const EvidenceSpec& ev = m_model.evidence[std::size_t(evidence)];
    std::fill(out, out + n, 0.0f);
    bool any = false;
    for (const ScorePart& p : parts) {
      const ScoreSpec& score = m_model.scores[p.score];
      const auto at = std::find(score.evidence.begin(), score.evidence.end(), evidence);
      if (at == score.evidence.end()) continue;
      any = true;
      const LayerWeights& lw =
          m_fit.scores[p.score].model.layers[std::size_t(at - score.evidence.begin())];
      if (!lw.used) continue;
      const float* classes = evidence_classes(ev, inputs[std::size_t(ev.input)], scratch);
      add_class_terms(lw, p.share, classes, n, out);
    }
    if (!any) std::fill(out, out + n, std::numeric_limits<float>::quiet_NaN());
  }

 private:
  // The Agterberg-Cheng test of score s: T sums the posteriors over the study
  // area in unit cells; its variance sums (area x s(P))^2 over the unique
  // conditions, since every cell of a condition has the same weights and so
  // the same error: summed cell by cell, s(T) would shrink with the cell size.
  IndependenceTest independence(std::size_t s) const {
    IndependenceTest t;
    t.observed = m_fit.scores[s].deposits;
    for (const auto& [key, cells] :
         m_condition_cells[s]) {  // key order: the same sums for any thread count
      const double p = std::bit_cast<float>(std::uint32_t(key >> 32));
      const double sd = std::bit_cast<float>(std::uint32_t(key & 0xffffffffu));
      const double area = double(cells) * m_unit_per_cell;
      t.expected += area * p;
      t.variance += (area * sd) * (area * sd);
    }
    return t;
  }

  std::vector<UniqueConditions> empty_conditions() const {
    std::vector<UniqueConditions> out;
    for (std::size_t s = 0; s < m_conditions.size(); ++s) out.emplace_back(m_fit.scores[s].model);
    return out;
  }

  const ModelSpec
      m_model;  // a copy: the fit outlives the run's resolved model (RunRecord holds it)
  WofeFit m_fit;
  std::vector<std::string> m_files;
  double m_unit_per_cell = 1;
  std::size_t m_std_band0 = 0;
  // Per score: study-area cells by unique condition, keyed by (P, s(P)), summed over the tiles.
  std::vector<std::map<std::uint64_t, std::int64_t>> m_condition_cells;
  std::vector<UniqueConditions> m_conditions;           // per score, when cross-validating
  std::vector<std::optional<ConditionTable>> m_tables;  // per score, where few enough
};

}  // namespace

std::unique_ptr<FittedModel> WofeKind::fit(const KindContext& c) const {
  WofeFit fit = fit_wofe(c.model, c.grid, c.area, c.tiles, c.inputs, c.threads);
  std::vector<std::string> files;
  for (std::size_t s = 0; s < c.model.scores.size(); ++s)
    for (std::size_t j = 0; j < c.model.scores[s].evidence.size(); ++j) {
      const EvidenceSpec& ev = c.model.evidence[std::size_t(c.model.scores[s].evidence[j])];
      const std::string name = "weights/" + c.model.scores[s].name + "_" + ev.name + ".csv";
      // Rasterized classes carry their names; classes made by breaks have none.
      std::map<double, std::string> class_names;
      if (ev.breaks.empty())
        for (const CategoryClass& k : c.inputs.classes(std::size_t(ev.input)))
          class_names[k.code] = k.name;
      write_file_atomically(c.folder->staged_path(name),
                            weights_csv(fit.scores[s].tables[j], class_names));
      files.push_back(name);
    }
  for (const auto& w : fit.warnings) report_warning(w);
  return std::make_unique<FittedWofe>(c, std::move(fit), std::move(files));
}

}  // namespace prospect
