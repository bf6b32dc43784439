#include "kinds/fuzzy/fuzzy_kind.hpp"

#include <cmath>

#include "prospect/models/fuzzy.hpp"
#include "prospect/models/score_tree.hpp"

namespace prospect {
namespace {

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

 private:
  const ModelSpec& m_model;
  std::vector<char> m_used;  // per evidence layer: some score uses it
};

}  // namespace

std::unique_ptr<FittedModel> FuzzyKind::fit(const KindContext& context) const {
  return std::make_unique<FittedFuzzy>(context.model);
}

}  // namespace prospect
