#include "kinds/fuzzy/fuzzy_kind.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "prospect/models/fuzzy.hpp"
#include "prospect/models/score_tree.hpp"
#include "prospect/output/qml.hpp"
#include "prospect/output/report_page.hpp"
#include "prospect/output/svg_plot.hpp"

namespace prospect {
namespace {

std::string num(double v, int digits = 3) { return format_number(v, digits); }

std::string membership_text(const Membership& m) {
  const std::string type = membership_names()[std::size_t(m.type)];
  switch (m.type) {
    case MembershipType::linear:
      return "linear from " + num(m.low, 4) + " (0) to " + num(m.high, 4) + " (1)";
    case MembershipType::small:
    case MembershipType::large:
    case MembershipType::gaussian:
    case MembershipType::near:
      return type + ", midpoint " + num(m.midpoint, 4) + ", spread " + num(m.spread, 4);
    case MembershipType::categorical:
      return "by class (" + std::to_string(m.table.size()) + " listed, others " + num(m.other) +
             ")";
    case MembershipType::classes:
      return "score table with " + std::to_string(m.breaks.size()) + " breaks";
  }
  return type;
}

struct FuzzyScratch : KindScratch {
  std::vector<std::vector<float>> memberships;  // per evidence layer (used ones filled)
};

class FittedFuzzy : public FittedModel {
 public:
  explicit FittedFuzzy(const ModelSpec& model) : m_model(model), m_used(model.evidence.size(), 0) {
    for (const auto& s : model.scores)
      for (int e : used_evidence(s.root)) m_used[std::size_t(e)] = 1;
  }

  std::string units() const override { return "favourability 0..1"; }

  std::unique_ptr<KindScratch> new_scratch() const override {
    auto s = std::make_unique<FuzzyScratch>();
    s->memberships.resize(m_model.evidence.size());
    return s;
  }

  void score(ScoringTile& tile, KindScratch& scratch, KindTileState*) const override {
    auto& memberships = static_cast<FuzzyScratch&>(scratch).memberships;
    const std::size_t n = tile.view.cells;
    std::vector<const float*> evidence(m_model.evidence.size(), nullptr);
    for (std::size_t e = 0; e < m_model.evidence.size(); ++e) {
      if (!m_used[e]) continue;
      const EvidenceSpec& spec = m_model.evidence[e];
      memberships[e].resize(n);
      apply_membership(spec.membership, tile.inputs[std::size_t(spec.input)].data(),
                       memberships[e].data(), n);
      if (spec.missing)
        for (float& v : memberships[e])
          if (std::isnan(v)) v = float(*spec.missing);
      evidence[e] = memberships[e].data();
    }
    for (std::size_t s = 0; s < m_model.scores.size(); ++s)
      evaluate(m_model.scores[s].root, evidence, tile.bands[s].data(), n);
  }

  const std::vector<std::vector<float>>* memberships(const KindScratch& scratch) const override {
    return &static_cast<const FuzzyScratch&>(scratch).memberships;
  }

  void add_to_manifest(nlohmann::ordered_json&) const override {}  // the model file says it all

  std::string report_html() const override {
    std::vector<std::vector<Cell>> rows;
    for (const EvidenceSpec& ev : m_model.evidence)
      rows.push_back(
          {ev.name, m_model.inputs[std::size_t(ev.input)].name, membership_text(ev.membership)});
    return "<p>Fuzzy logic overlay (knowledge-driven): each evidence layer becomes a membership "
           "from 0 to 1, and "
           "the scores combine them as the model file says.</p>\n" +
           html_table({"Evidence", "Input", "Membership"}, rows, 3);
  }

  // A membership is the same in every score: its term is the membership times
  // the shares of the parts that use it.
  void layer_terms(int evidence, const std::vector<ScorePart>& parts,
                   const std::vector<std::vector<float>>& inputs,
                   const std::vector<std::vector<float>>* memberships, std::size_t n, float* out,
                   std::vector<float>& scratch) const override {
    constexpr float nan = std::numeric_limits<float>::quiet_NaN();
    double share = 0;
    for (const ScorePart& p : parts) {
      const auto used = used_evidence(m_model.scores[p.score].root);
      if (std::binary_search(used.begin(), used.end(), evidence)) share += p.share;
    }
    const EvidenceSpec& ev = m_model.evidence[std::size_t(evidence)];
    const std::vector<float>* given =
        memberships ? &(*memberships)[std::size_t(evidence)] : nullptr;
    if (given && given->size() == n) {  // `missing` already applied
      for (std::size_t i = 0; i < n; ++i) out[i] = float(share * (*given)[i]);  // NaN stays NaN
      return;
    }
    scratch.resize(n);
    apply_membership(ev.membership, inputs[std::size_t(ev.input)].data(), scratch.data(), n);
    for (std::size_t i = 0; i < n; ++i) {
      float m = scratch[i];
      if (std::isnan(m) && ev.missing) m = float(*ev.missing);
      out[i] = std::isnan(m) ? nan : float(share * m);
    }
  }

 private:
  const ModelSpec
      m_model;  // a copy: the fit outlives the run's resolved model (RunRecord holds it)
  std::vector<char> m_used;  // per evidence layer: some score uses it
};

}  // namespace

std::unique_ptr<FittedModel> FuzzyKind::fit(const KindContext& context) const {
  return std::make_unique<FittedFuzzy>(context.model);
}

}  // namespace prospect
