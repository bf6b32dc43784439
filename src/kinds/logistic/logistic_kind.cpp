#include "kinds/logistic/logistic_kind.hpp"

#include "prospect/run/logistic_cv.hpp"
#include "prospect/run/logistic_fit.hpp"
#include "prospect/run/run_model.hpp"

namespace prospect {
namespace {

struct LogisticScratch : KindScratch {
  std::vector<std::vector<float>> predictors;  // per evidence layer, when it has a membership
};

class FittedLogistic : public FittedModel {
 public:
  FittedLogistic(const ModelSpec& model, std::vector<LogisticScoreFit> fits)
      : m_model(model), m_fits(std::move(fits)) {}

  std::string units() const override { return "probability of a deposit per cell"; }

  std::unique_ptr<KindScratch> new_scratch() const override {
    return std::make_unique<LogisticScratch>();
  }

  void score(ScoringTile& tile, KindScratch& kind_scratch, KindTileState*) const override {
    auto& scratch = static_cast<LogisticScratch&>(kind_scratch);
    for (std::size_t s = 0; s < m_model.scores.size(); ++s)
      logistic_probability(
          m_fits[s].fit.beta,
          logistic_predictors(m_model, m_model.scores[s], tile.inputs, scratch.predictors),
          tile.view.cells, tile.bands[s].data());
  }

  std::vector<CrossValidation> cross_validate(const KindContext& c) const override {
    std::vector<CrossValidation> out;
    if (!m_model.cross_validation.enabled) return out;
    for (std::size_t s = 0; s < m_model.scores.size(); ++s)
      out.push_back(cross_validate_logistic(m_model, m_model.scores[s], m_fits[s], c.grid, c.area,
                                            c.tiles, c.inputs, c.threads));
    return out;
  }

  void describe(RunRecord& record) const override { record.logistic = m_fits; }

 private:
  const ModelSpec& m_model;
  std::vector<LogisticScoreFit> m_fits;
};

}  // namespace

std::unique_ptr<FittedModel> LogisticKind::fit(const KindContext& c) const {
  return std::make_unique<FittedLogistic>(
      c.model, fit_logistic_model(c.model, c.grid, c.area, c.tiles, c.inputs, c.threads));
}

}  // namespace prospect
