#include "kinds/wofe/wofe_kind.hpp"

#include "prospect/core/diagnostics.hpp"
#include "prospect/output/output_folder.hpp"
#include "prospect/run/run_model.hpp"
#include "prospect/run/weights.hpp"
#include "prospect/run/wofe_cv.hpp"
#include "prospect/run/wofe_fit.hpp"

namespace prospect {
namespace {

struct WofeScratch : KindScratch {
  std::vector<std::vector<float>> classes;  // per evidence layer: its classes, when it has breaks
  std::vector<std::vector<const float*>>
      score_classes;  // per score: its layers' classes on this tile
};

struct WofeTileState : KindTileState {
  std::vector<IndependenceTest> independence;  // per score
  std::vector<UniqueConditions> conditions;    // per score, when cross-validating
};

class FittedWofe : public FittedModel {
 public:
  FittedWofe(const KindContext& c, WofeFit fit, std::vector<std::string> files)
      : m_model(c.model), m_fit(std::move(fit)), m_files(std::move(files)) {
    const std::size_t scores = m_model.scores.size();
    const double mpu = c.grid.metres_per_unit();
    m_unit_per_cell = c.grid.cell_area() * mpu * mpu / 1e6 / m_model.training->unit_cell_km2;
    m_std_band0 = scores + (m_model.composite ? 1 : 0);
    m_independence.resize(scores);
    for (std::size_t s = 0; s < scores; ++s) m_independence[s].observed = m_fit.scores[s].deposits;
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
    state->independence.assign(m_model.scores.size(), {});
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
      posterior(m_fit.scores[s].model, classes, n, p, sd);
      IndependenceTest& t = state.independence[s];
      for (std::size_t i = 0; i < n; ++i) {
        if (!tile.view.inside[i]) continue;
        t.expected += p[i] * m_unit_per_cell;
        t.variance += double(sd[i]) * sd[i] * m_unit_per_cell * m_unit_per_cell;
      }
    }
  }

  // The unique conditions count only cells scored in every band.
  void scored(const ScoringTile& tile, KindScratch& kind_scratch,
              KindTileState* kind_state) const override {
    auto& scratch = static_cast<WofeScratch&>(kind_scratch);
    auto& state = static_cast<WofeTileState&>(*kind_state);
    for (std::size_t s = 0; s < state.conditions.size(); ++s)
      state.conditions[s].add(scratch.score_classes[s], tile.bands[s].data(), tile.view.cells);
  }

  void merge(KindTileState& kind_state) override {
    auto& state = static_cast<WofeTileState&>(kind_state);
    for (std::size_t s = 0; s < state.independence.size(); ++s) {
      m_independence[s].expected += state.independence[s].expected;
      m_independence[s].variance += state.independence[s].variance;
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

  void describe(RunRecord& record) const override {
    record.wofe = m_fit.scores;
    record.independence = m_independence;
  }

 private:
  std::vector<UniqueConditions> empty_conditions() const {
    std::vector<UniqueConditions> out;
    for (std::size_t s = 0; s < m_conditions.size(); ++s) out.emplace_back(m_fit.scores[s].model);
    return out;
  }

  const ModelSpec& m_model;
  WofeFit m_fit;
  std::vector<std::string> m_files;
  double m_unit_per_cell = 1;
  std::size_t m_std_band0 = 0;
  std::vector<IndependenceTest> m_independence;  // per score, summed over the tiles
  std::vector<UniqueConditions> m_conditions;    // per score, when cross-validating
};

}  // namespace

std::unique_ptr<FittedModel> WofeKind::fit(const KindContext& c) const {
  WofeFit fit = fit_wofe(c.model, c.grid, c.area, c.tiles, c.inputs, c.threads);
  std::vector<std::string> files;
  for (std::size_t s = 0; s < c.model.scores.size(); ++s)
    for (std::size_t j = 0; j < c.model.scores[s].evidence.size(); ++j) {
      const std::string name = "weights/" + c.model.scores[s].name + "_" +
                               c.model.evidence[std::size_t(c.model.scores[s].evidence[j])].name +
                               ".csv";
      write_file_atomically(c.folder->staged_path(name), weights_csv(fit.scores[s].tables[j]));
      files.push_back(name);
    }
  for (const auto& w : fit.warnings) report_warning(w);
  return std::make_unique<FittedWofe>(c, std::move(fit), std::move(files));
}

}  // namespace prospect
