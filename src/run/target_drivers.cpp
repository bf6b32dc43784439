#include "prospect/run/target_drivers.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace prospect {

void TermSums::add_where_scored(std::size_t layer, const float* terms, const float* target,
                                std::size_t n) {
  // Four running sums in registers, not one in memory: a sum kept in the
  // vector made every cell wait for the previous cell's store (10 % of an
  // 8000² run's CPU). The order is fixed by n alone, so threads never change the bits.
  double lane[4] = {0, 0, 0, 0};
  std::int64_t scored = 0;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4)
    for (std::size_t l = 0; l < 4; ++l) {
      const bool ok = !std::isnan(target[i + l]) && !std::isnan(terms[i + l]);
      lane[l] += ok ? double(terms[i + l]) : 0.0;
      scored += ok;
    }
  for (; i < n; ++i) {
    const bool ok = !std::isnan(target[i]) && !std::isnan(terms[i]);
    lane[0] += ok ? double(terms[i]) : 0.0;
    scored += ok;
  }
  sum[layer] += (lane[0] + lane[1]) + (lane[2] + lane[3]);
  count[layer] += scored;
}

void TermSums::merge(const TermSums& other) {
  for (std::size_t k = 0; k < sum.size(); ++k) {
    sum[k] += other.sum[k];
    count[k] += other.count[k];
  }
}

EvidenceTerms::EvidenceTerms(const ModelSpec& model, std::size_t band, const FittedModel& fitted)
    : m_model(model), m_fitted(fitted) {
  const std::size_t scores = model.scores.size();
  if (band < scores) {
    m_parts.push_back({band, 1.0});
  } else if (model.composite && band == scores) {
    double total = 0;
    for (double w : model.composite->weights) total += w;
    for (std::size_t s = 0; s < scores; ++s)
      if (model.composite->weights[s] > 0)
        m_parts.push_back({s, model.composite->weights[s] / total});
  } else {  // a WofE score's _std band: its score's layers
    m_parts.push_back({band - scores - (model.composite ? 1 : 0), 1.0});
  }
  for (const ScorePart& p : m_parts)
    for (int e : model.score_evidence(model.scores[p.score])) m_layers.push_back(e);
  std::sort(m_layers.begin(), m_layers.end());
  m_layers.erase(std::unique(m_layers.begin(), m_layers.end()), m_layers.end());
}

TermSums EvidenceTerms::empty_sums() const {
  TermSums t;
  t.sum.assign(m_layers.size(), 0.0);
  t.count.assign(m_layers.size(), 0);
  return t;
}

std::vector<char> EvidenceTerms::inputs_used() const {
  std::vector<char> used(m_model.inputs.size(), 0);
  for (int e : m_layers) used[std::size_t(m_model.evidence[std::size_t(e)].input)] = 1;
  return used;
}

void EvidenceTerms::compute(const std::vector<std::vector<float>>& input_values, std::size_t n,
                            std::vector<std::vector<float>>& terms, std::vector<float>& scratch,
                            const std::vector<std::vector<float>>* memberships) const {
  m_fitted.layers_terms(m_layers, m_parts, input_values, memberships, n, terms, scratch);
}

std::string zone_drivers(const EvidenceTerms& terms, const TermSums& zone,
                         const TermSums& study_area, std::size_t at_most) {
  std::vector<std::pair<double, std::size_t>> lift;
  for (std::size_t k = 0; k < terms.layers().size(); ++k) {
    if (zone.count[k] == 0 || (!terms.centred() && study_area.count[k] == 0)) continue;
    const double d = zone.mean(k) - (terms.centred() ? 0.0 : study_area.mean(k));
    if (d > 1e-9) lift.emplace_back(d, k);
  }
  // Largest lift first; equal lifts in model order, so the text never depends on threads.
  std::sort(lift.begin(), lift.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::string out;
  for (std::size_t r = 0; r < lift.size() && r < at_most; ++r) {
    if (r) out += ", ";
    out += terms.name(lift[r].second);
  }
  return out;
}

DriverAnnotator::DriverAnnotator(const EvidenceTerms& terms, const InputSet& inputs,
                                 TermSums study_area, EvidenceExport* exported)
    : m_terms(terms),
      m_inputs(inputs),
      m_study_area(std::move(study_area)),
      m_exported(exported),
      m_used(terms.inputs_used()) {
  m_sources.resize(m_used.size());
  m_values.resize(m_used.size());
}

void DriverAnnotator::add_tile(const Window& w, const std::int32_t* zones,
                               std::int32_t zone_count) {
  if (m_zones.size() < std::size_t(zone_count))
    m_zones.resize(std::size_t(zone_count), m_terms.empty_sums());
  const std::size_t n = w.cell_count();
  // The terms of the zone cells only (a term depends on its own cell alone):
  // the costly kinds (feature contributions) then pay for the targets, not the tile.
  std::vector<std::size_t> cells;
  for (std::size_t i = 0; i < n; ++i)
    if (zones[i] > 0) cells.push_back(i);
  std::vector<float> tile(n);
  for (std::size_t i = 0; i < m_used.size(); ++i) {
    if (!m_used[i]) continue;
    if (!(m_exported && m_exported->read_back(i, w, tile.data()))) {
      if (!m_sources[i]) m_sources[i] = m_inputs.open(i);
      m_sources[i]->read(w, tile.data());
    }
    m_values[i].resize(cells.size());
    for (std::size_t c = 0; c < cells.size(); ++c) m_values[i][c] = tile[cells[c]];
  }
  m_terms.compute(m_values, cells.size(), m_cell_terms, m_scratch);
  for (std::size_t k = 0; k < m_cell_terms.size(); ++k)
    for (std::size_t c = 0; c < cells.size(); ++c)
      if (!std::isnan(m_cell_terms[k][c]))
        m_zones[std::size_t(zones[cells[c]] - 1)].add(k, m_cell_terms[k][c]);
}

std::string DriverAnnotator::drivers(std::int32_t zone) const {
  if (zone < 1 || std::size_t(zone) > m_zones.size()) return "";
  return zone_drivers(m_terms, m_zones[std::size_t(zone - 1)], m_study_area);
}

}  // namespace prospect
