#include "prospect/run/target_drivers.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#include "prospect/core/vector_clones.hpp"

namespace prospect {

namespace {

constexpr std::size_t k_term_lanes = 8;

// Lane l of 8 sums the terms of cells i with i % 8 == l, so each lane is one
// chain of double additions in a fixed order: the AVX2 copy below does the
// same additions in registers and gives the same bits.
void add_lanes_scalar(const float* terms, const float* target, std::size_t m, double* lane,
                      std::int64_t* scored) {
  for (std::size_t i = 0; i < m; i += k_term_lanes)
    for (std::size_t l = 0; l < k_term_lanes; ++l) {
      const float t = terms[i + l];
      const bool ok = !std::isnan(target[i + l]) && !std::isnan(t);
      lane[l] += ok ? double(t) : 0.0;
      scored[l] += ok ? 1 : 0;
    }
}

#if defined(__x86_64__) && defined(__GNUC__)
// GCC does not vectorise the loop above (the NaN tests); by hand it runs on
// every scored cell of every driver layer at the speed of the memory.
__attribute__((target("avx2"))) void add_lanes_avx2(const float* terms, const float* target,
                                                    std::size_t m, double* lane,
                                                    std::int64_t* scored) {
  __m256d sum[2] = {_mm256_loadu_pd(lane), _mm256_loadu_pd(lane + 4)};
  __m256i count = _mm256_setzero_si256();  // int32 lanes; m < 2^31 per call
  for (std::size_t i = 0; i < m; i += k_term_lanes) {
    const __m256 t = _mm256_loadu_ps(terms + i);
    const __m256 g = _mm256_loadu_ps(target + i);
    const __m256 ok =
        _mm256_and_ps(_mm256_cmp_ps(t, t, _CMP_ORD_Q), _mm256_cmp_ps(g, g, _CMP_ORD_Q));
    count = _mm256_sub_epi32(count, _mm256_castps_si256(ok));  // ok is all ones: -1
    const __m256 ts = _mm256_and_ps(t, ok);                    // 0 where not ok
    sum[0] = _mm256_add_pd(sum[0], _mm256_cvtps_pd(_mm256_castps256_ps128(ts)));
    sum[1] = _mm256_add_pd(sum[1], _mm256_cvtps_pd(_mm256_extractf128_ps(ts, 1)));
  }
  _mm256_storeu_pd(lane, sum[0]);
  _mm256_storeu_pd(lane + 4, sum[1]);
  alignas(32) std::int32_t c[k_term_lanes];
  _mm256_store_si256(reinterpret_cast<__m256i*>(c), count);
  for (std::size_t l = 0; l < k_term_lanes; ++l) scored[l] += c[l];
}

#endif

}  // namespace

void TermSums::add_where_scored(std::size_t layer, const float* terms, const float* target,
                                std::size_t n) {
  // Sums in registers, not in memory: a sum kept in the vector made every
  // cell wait for the previous cell's store. The order is fixed by n alone,
  // so threads never change the bits.
  double lane[k_term_lanes] = {};
  std::int64_t scored[k_term_lanes] = {};
  std::size_t done = 0;
  constexpr std::size_t max_run = std::size_t(1) << 30;  // int32 counts in the AVX2 lanes
  while (n - done >= k_term_lanes) {
    const std::size_t m = std::min(max_run, (n - done) / k_term_lanes * k_term_lanes);
#if defined(__x86_64__) && defined(__GNUC__)
    if (cpu_has_avx2())
      add_lanes_avx2(terms + done, target + done, m, lane, scored);
    else
#endif
      add_lanes_scalar(terms + done, target + done, m, lane, scored);
    done += m;
  }
  for (std::size_t i = done; i < n; ++i) {  // the last few cells go to lane 0
    const bool ok = !std::isnan(target[i]) && !std::isnan(terms[i]);
    lane[0] += ok ? double(terms[i]) : 0.0;
    scored[0] += ok ? 1 : 0;
  }
  double total = 0;
  std::int64_t cells = 0;
  for (std::size_t l = 0; l < k_term_lanes; ++l) {
    total += lane[l];
    cells += scored[l];
  }
  sum[layer] += total;
  count[layer] += cells;
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

void EvidenceTerms::add_study_sums(const std::vector<std::vector<float>>& input_values,
                                   const float* target, std::size_t n, TermSums& sums,
                                   std::vector<float>& term, std::vector<float>& scratch,
                                   const std::vector<std::vector<float>>* memberships) const {
  // One layer at a time, summed while its terms are still in the core's cache:
  // all layers' terms of a tile first (8 MB for 8 layers) went through memory
  // twice.
  term.resize(n);
  for (std::size_t k = 0; k < m_layers.size(); ++k) {
    m_fitted.layer_terms(m_layers[k], m_parts, input_values, memberships, n, term.data(), scratch);
    sums.add_where_scored(k, term.data(), target, n);
  }
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
