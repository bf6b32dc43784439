#include "kinds/logistic/logistic_kind.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "prospect/kinds/logistic_cv.hpp"
#include "prospect/kinds/logistic_fit.hpp"
#include "prospect/models/fuzzy.hpp"
#include "prospect/output/qml.hpp"
#include "prospect/output/report_page.hpp"
#include "prospect/output/svg_plot.hpp"

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
    for (std::size_t s = 0; s < m_model.scores.size(); ++s) {
      out.push_back(
          cross_validate_logistic(m_model, m_model.scores[s], m_fits[s], c.grid, c.tiles));
      m_fits[s].samples.reset();  // read by nothing after
    }
    return out;
  }

  void add_to_manifest(nlohmann::ordered_json& manifest) const override {
    using json = nlohmann::ordered_json;
    json scores = json::array();
    for (std::size_t s = 0; s < m_fits.size(); ++s) {
      const auto& f = m_fits[s].fit;
      json terms = json::array();
      for (std::size_t j = 0; j < f.beta.size(); ++j)
        terms.push_back({{"term", term_name(s, j)},
                         {"coefficient", f.beta[j]},
                         {"std_error", f.std_error[j]},
                         {"z", f.z[j]},
                         {"p_value", f.p_value[j]}});
      scores.push_back({{"score", m_model.scores[s].name},
                        {"deposit_cells", m_fits[s].deposits},
                        {"deposit_weight", m_fits[s].deposit_weight},
                        {"iterations", f.iterations},
                        {"log_likelihood", f.log_likelihood},
                        {"terms", terms}});
    }
    manifest["logistic"] = {{"method", "IRLS on cells inside the study area; Wald standard errors"},
                            {"scores", scores}};
  }

  std::string report_html() const override {
    auto num = [](double v, int digits) { return format_number(v, digits); };
    std::string body =
        "<p>Logistic regression on cells (deposit cells 1, the rest 0), fitted by iteratively "
        "reweighted least "
        "squares.</p>\n";
    for (std::size_t s = 0; s < m_fits.size(); ++s) {
      const LogisticFit& f = m_fits[s].fit;
      std::vector<std::vector<Cell>> rows;
      for (std::size_t j = 0; j < f.beta.size(); ++j)
        rows.push_back({term_name(s, j), num(f.beta[j], 4),
                        j < f.std_error.size() ? num(f.std_error[j], 3) : "–",
                        j < f.z.size() ? num(f.z[j], 3) : "–",
                        j < f.p_value.size() ? num(f.p_value[j], 2) : "–"});
      body += html_table({"Term", "β", "s.e.", "z", "p"}, rows, 1,
                         m_model.scores[s].name + ": " + std::to_string(m_fits[s].deposits) +
                             " deposit cells, " + std::to_string(f.iterations) + " iterations");
    }
    return body;
  }

  // Terms the fit cannot tell from nothing, and memberships the fit turns
  // around, are the user's to look at: both to watch.
  std::vector<Finding> findings() const override {
    std::vector<Finding> out;
    auto num = [](double v, int digits) { return format_number(v, digits); };
    for (std::size_t s = 0; s < m_fits.size(); ++s) {
      const LogisticFit& f = m_fits[s].fit;
      for (std::size_t j = 1; j < f.beta.size() && j < f.p_value.size(); ++j) {
        const EvidenceSpec& ev = m_model.evidence[std::size_t(m_model.scores[s].evidence[j - 1])];
        const std::string term = m_model.scores[s].name + ": '" + ev.name + "'";
        if (std::isfinite(f.p_value[j]) && f.p_value[j] > 0.05)
          out.push_back({term + " adds nothing measurable to the fit (coefficient " +
                             num(f.beta[j], 3) + ", p = " + num(f.p_value[j], 2) +
                             "); the map would be much the same without it",
                         true});
        else if (ev.has_membership && f.beta[j] < 0)
          out.push_back(
              {term + " lowers the probability where its membership says favourable (coefficient " +
                   num(f.beta[j], 3) + "): check the membership's direction",
               true});
      }
    }
    return out;
  }

  // Coefficient x predictor: what the layer adds to the linear predictor.
  void layer_terms(int evidence, const std::vector<ScorePart>& parts,
                   const std::vector<std::vector<float>>& inputs,
                   const std::vector<std::vector<float>>*, std::size_t n, float* out,
                   std::vector<float>& scratch) const override {
    const EvidenceSpec& ev = m_model.evidence[std::size_t(evidence)];
    const std::vector<float>& raw = inputs[std::size_t(ev.input)];
    std::fill(out, out + n, 0.0f);
    bool any = false;
    for (const ScorePart& p : parts) {
      const ScoreSpec& score = m_model.scores[p.score];
      const auto at = std::find(score.evidence.begin(), score.evidence.end(), evidence);
      if (at == score.evidence.end()) continue;
      any = true;
      const double beta = m_fits[p.score].fit.beta[std::size_t(at - score.evidence.begin()) + 1];
      const float* x = raw.data();
      if (ev.has_membership) {
        scratch.resize(n);
        apply_membership(ev.membership, raw.data(), scratch.data(), n);
        x = scratch.data();
      }
      for (std::size_t i = 0; i < n; ++i) out[i] += float(p.share * beta * x[i]);  // NaN stays NaN
    }
    if (!any) std::fill(out, out + n, std::numeric_limits<float>::quiet_NaN());
  }

 private:
  std::string term_name(std::size_t score, std::size_t j) const {
    return j == 0 ? std::string("intercept")
                  : m_model.evidence[std::size_t(m_model.scores[score].evidence[j - 1])].name;
  }

  const ModelSpec
      m_model;  // a copy: the fit outlives the run's resolved model (RunRecord holds it)
  mutable std::vector<LogisticScoreFit> m_fits;  // mutable: the samples are released after use
};

}  // namespace

std::unique_ptr<FittedModel> LogisticKind::fit(const KindContext& c) const {
  std::vector<LogisticScoreFit> fits =
      fit_logistic_model(c.model, c.grid, c.area, c.tiles, c.inputs, c.threads);
  if (!c.validating || !c.model.cross_validation.enabled)
    for (LogisticScoreFit& f : fits) f.samples.reset();  // no refit will read them
  return std::make_unique<FittedLogistic>(c.model, std::move(fits));
}

}  // namespace prospect
