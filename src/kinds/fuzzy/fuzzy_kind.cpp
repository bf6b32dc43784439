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
  bool whole_tile = false;  // memberships hold the last tile's every cell, not one piece
};

// Cells scored at a time: the used layers' memberships of one piece (8 layers:
// 128 KiB) stay in cache while the scores read them.
constexpr std::size_t k_piece = 4096;

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

  // Piece by piece: memberships, then the scores of those cells while the
  // memberships are in cache. Each cell's arithmetic is the same as over the
  // whole tile at once, so are the bits.
  void score(ScoringTile& tile, KindScratch& scratch_base, KindTileState*) const override {
    auto& scratch = static_cast<FuzzyScratch&>(scratch_base);
    const std::size_t n = tile.view.cells;
    const std::size_t piece = std::min(n, k_piece);
    scratch.whole_tile = tile.wants_memberships;
    std::vector<const float*> evidence(m_model.evidence.size(), nullptr);
    for (std::size_t e = 0; e < m_model.evidence.size(); ++e)
      if (m_used[e]) scratch.memberships[e].resize(scratch.whole_tile ? n : piece);
    for (std::size_t c0 = 0; c0 < n; c0 += piece) {
      const std::size_t m = std::min(piece, n - c0);
      for (std::size_t e = 0; e < m_model.evidence.size(); ++e) {
        if (!m_used[e]) continue;
        const EvidenceSpec& spec = m_model.evidence[e];
        float* membership = scratch.memberships[e].data() + (scratch.whole_tile ? c0 : 0);
        apply_membership(spec.membership, tile.inputs[std::size_t(spec.input)].data() + c0,
                         membership, m);
        if (spec.missing)
          for (std::size_t i = 0; i < m; ++i)
            if (std::isnan(membership[i])) membership[i] = float(*spec.missing);
        evidence[e] = membership;
      }
      for (std::size_t s = 0; s < m_model.scores.size(); ++s)
        evaluate(m_model.scores[s].root, evidence, tile.bands[s].data() + c0, m);
    }
  }

  const std::vector<std::vector<float>>* memberships(const KindScratch& scratch) const override {
    const auto& s = static_cast<const FuzzyScratch&>(scratch);
    return s.whole_tile ? &s.memberships : nullptr;
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
