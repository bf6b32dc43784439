#include "prospect/models/wofe.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "prospect/core/vector_clones.hpp"

namespace prospect {

ClassCount* ClassCounter::slot(double value) {
  auto it = std::lower_bound(m_counts.begin(), m_counts.end(), value,
                             [](const ClassCount& c, double v) { return c.value < v; });
  if (it == m_counts.end() || it->value != value) {
    if (m_counts.size() >= m_limit) {
      m_overflowed = true;
      return nullptr;
    }
    it = m_counts.insert(it, ClassCount{value, 0, 0});
  }
  return &*it;
}

void ClassCounter::add_cells(const float* classes, const unsigned char* valid, std::size_t n) {
  // A counter starts empty on each tile: the first cells name the classes
  // (on a few hundred cells, most of them), the rest are counted against them.
  std::size_t done = 0;
  if (m_counts.empty()) {
    done = std::min<std::size_t>(n, 256);
    add_runs(classes, valid, done);
  }
  if (!m_counts.empty() && m_counts.size() <= k_counted_classes)
    add_known(classes + done, valid + done, n - done);
  else
    add_runs(classes + done, valid + done, n - done);
}

void ClassCounter::add_runs(const float* classes, const unsigned char* valid, std::size_t n) {
  // Runs of equal classes are common in class rasters: count them in one look-up.
  std::size_t i = 0;
  while (i < n && !m_overflowed) {
    if (!valid[i] || std::isnan(classes[i])) {
      ++i;
      continue;
    }
    const float v = classes[i];
    std::size_t j = i + 1;
    while (j < n && valid[j] && classes[j] == v) ++j;
    if (ClassCount* c = slot(v)) c->cells += std::int64_t(j - i);
    i = j;
  }
}

void ClassCounter::add_known(const float* classes, const unsigned char* valid, std::size_t n) {
  // A few classes seen already: each cell's class is found by counting the
  // known values below it, a loop that vectorises, where a binary search per
  // cell mispredicted its branches on noisy rasters. Cells of a class not seen
  // yet go through slot() after.
  std::vector<double> values;
  for (const ClassCount& c : m_counts) values.push_back(c.value);
  const std::size_t known = values.size();
  std::vector<std::uint8_t> index(n);
  class_indices(values, classes, index.data(), n);
  std::vector<std::int64_t> cells(known + 1, 0);  // the last: unknown or not counted
  std::vector<std::size_t> unknown;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t c = index[i];
    const bool counted = valid[i] && !std::isnan(classes[i]);
    ++cells[counted ? c : known];
    if (counted && c == known) unknown.push_back(i);
  }
  for (std::size_t c = 0; c < known; ++c) m_counts[c].cells += cells[c];
  for (const std::size_t i : unknown) {  // may insert: after the known counts are in
    ClassCount* c = slot(classes[i]);
    if (!c) return;
    ++c->cells;
  }
}

void ClassCounter::add_deposit(float class_value) {
  if (ClassCount* c = slot(class_value)) ++c->deposits;
}

void ClassCounter::merge(const ClassCounter& other) {
  m_overflowed = m_overflowed || other.m_overflowed;
  for (const auto& c : other.m_counts) {
    ClassCount* s = slot(c.value);
    if (!s) return;
    s->cells += c.cells;
    s->deposits += c.deposits;
  }
}

std::vector<ClassCount> ClassCounter::counts() const { return m_counts; }

WeightsRow binary_weights(double nb, std::int64_t nbd_i, double nt, std::int64_t nd_i) {
  WeightsRow r;
  r.unit_cells = nb;
  r.deposits = nbd_i;
  const double nbd = double(nbd_i), nd = double(nd_i);
  const double nb_nd = nb - nbd;            // N(B and not D)
  const double nnb_d = nd - nbd;            // N(not B and D)
  const double nnb_nd = (nt - nb) - nnb_d;  // N(not B and not D)
  const double n_not_d = nt - nd;
  const double nan = std::numeric_limits<double>::quiet_NaN();

  if (nbd <= 0) {
    r.w_plus_defined = false;
    r.note = "no deposit on the pattern: W+ undefined (ln 0)";
  } else if (nb_nd <= 0) {
    r.w_plus_defined = false;
    r.note = "the pattern holds as many deposits as unit cells: W+ undefined";
  }
  if (nnb_d <= 0) {
    r.w_minus_defined = false;
    r.note += std::string(r.note.empty() ? "" : "; ") +
              "all deposits on the pattern: W- undefined (ln 0)";
  } else if (nnb_nd <= 0) {
    r.w_minus_defined = false;
    r.note += std::string(r.note.empty() ? "" : "; ") +
              "the pattern covers the whole study area: W- undefined";
  }
  if (r.w_plus_defined) {
    r.w_plus = std::log((nbd / nd) / (nb_nd / n_not_d));
    r.s_w_plus = std::sqrt(1.0 / nbd + 1.0 / nb_nd);
  } else {
    r.w_plus = r.s_w_plus = nan;
  }
  if (r.w_minus_defined) {
    r.w_minus = std::log((nnb_d / nd) / (nnb_nd / n_not_d));
    r.s_w_minus = std::sqrt(1.0 / nnb_d + 1.0 / nnb_nd);
  } else {
    r.w_minus = r.s_w_minus = nan;
  }
  if (r.w_plus_defined && r.w_minus_defined) {
    r.contrast = r.w_plus - r.w_minus;
    r.s_contrast = std::sqrt(r.s_w_plus * r.s_w_plus + r.s_w_minus * r.s_w_minus);
    r.studentized = r.contrast / r.s_contrast;
  } else {
    r.contrast = r.s_contrast = r.studentized = nan;
  }
  return r;
}

WeightsTable weights_table(const std::vector<ClassCount>& counts, const WeightsOptions& o) {
  WeightsTable t;
  t.type = o.type;
  t.unit_cell_km2 = o.unit_cell_km2;
  t.cell_km2 = o.cell_km2;
  const double unit_cells_per_cell = o.cell_km2 / o.unit_cell_km2;
  std::int64_t total_cells = 0;
  for (const auto& c : counts) {
    total_cells += c.cells;
    t.deposits += c.deposits;
  }
  t.total_unit_cells = double(total_cells) * unit_cells_per_cell;

  const std::size_t n = counts.size();
  for (std::size_t i = 0; i < n; ++i) {
    std::int64_t cells = 0, deposits = 0;
    switch (o.type) {
      case WeightsType::categorical:
        cells = counts[i].cells;
        deposits = counts[i].deposits;
        break;
      case WeightsType::ascending:
        for (std::size_t j = 0; j <= i; ++j) {
          cells += counts[j].cells;
          deposits += counts[j].deposits;
        }
        break;
      case WeightsType::descending:
        for (std::size_t j = n - 1 - i; j < n; ++j) {
          cells += counts[j].cells;
          deposits += counts[j].deposits;
        }
        break;
    }
    const std::size_t at = o.type == WeightsType::descending ? n - 1 - i : i;
    WeightsRow row = binary_weights(double(cells) * unit_cells_per_cell, deposits,
                                    t.total_unit_cells, t.deposits);
    row.value = counts[at].value;
    row.cells = cells;
    t.rows.push_back(row);
  }

  if (o.type == WeightsType::categorical) return t;

  // Generalise: the threshold of maximum contrast among those whose studentized
  // contrast reaches the stated confidence.
  double best = -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    const WeightsRow& r = t.rows[i];
    if (!r.w_plus_defined || !r.w_minus_defined || r.studentized < o.min_studentized) continue;
    if (r.contrast > best) {
      best = r.contrast;
      t.threshold_row = int(i);
    }
  }
  if (t.threshold_row < 0) {
    t.generalization_note = "no threshold reaches a studentized contrast of " +
                            std::to_string(o.min_studentized) +
                            ": the layer does not separate deposits from background at this "
                            "confidence";
    return t;
  }
  const WeightsRow& chosen = t.rows[std::size_t(t.threshold_row)];
  t.generalized_w_plus = chosen.w_plus;
  t.generalized_s_w_plus = chosen.s_w_plus;
  t.generalized_w_minus = chosen.w_minus;
  t.generalized_s_w_minus = chosen.s_w_minus;
  for (std::size_t i = 0; i < t.rows.size(); ++i)
    t.rows[i].generalized = int(i) <= t.threshold_row ? 2 : 1;
  return t;
}

namespace {

// The largest float at or below t: for a float x, double(x) > t exactly when
// x > float_at_or_below(t) (no float lies between the two), so the cells are
// compared in float, eight to a register, not converted to double first.
float float_at_or_below(double t) {
  float f = float(t);
  if (double(f) > t) f = std::nextafter(f, -std::numeric_limits<float>::infinity());
  return f;
}

PROSPECT_VECTOR_CLONES
void add_above(float t, const float* in, std::uint8_t* below, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) below[i] += std::uint8_t(in[i] > t);
}

}  // namespace

void count_below(const std::vector<double>& thresholds, const float* in, std::uint8_t* below,
                 std::size_t n) {
  std::fill(below, below + n, std::uint8_t(0));
  for (const double t : thresholds) add_above(float_at_or_below(t), in, below, n);
}

void class_indices(const std::vector<double>& values, const float* in, std::uint8_t* index,
                   std::size_t n) {
  count_below(values, in, index, n);  // NaN: 0, then equal to no value
  const std::size_t none = values.size();
  for (std::size_t i = 0; i < n; ++i)
    if (index[i] == none || values[index[i]] != double(in[i])) index[i] = std::uint8_t(none);
}

void classify_by_breaks(const std::vector<double>& breaks, const float* in, float* out,
                        std::size_t n) {
  const float inf = std::numeric_limits<float>::infinity();
  if (breaks.size() > 32) {
    for (std::size_t i = 0; i < n; ++i) {
      if (std::isnan(in[i])) {
        out[i] = in[i];
        continue;
      }
      const auto it = std::lower_bound(breaks.begin(), breaks.end(), double(in[i]));
      out[i] = it == breaks.end() ? inf : float(*it);
    }
    return;
  }
  // A few breaks: the class is the count of breaks below the value (what
  // lower_bound finds).
  std::vector<float> class_of(breaks.size() + 1, inf);
  for (std::size_t b = 0; b < breaks.size(); ++b) class_of[b] = float(breaks[b]);
  std::vector<std::uint8_t> below(n);
  count_below(breaks, in, below.data(), n);
  for (std::size_t i = 0; i < n; ++i) out[i] = std::isnan(in[i]) ? in[i] : class_of[below[i]];
}

const char* weights_type_name(WeightsType type) {
  switch (type) {
    case WeightsType::categorical:
      return "categorical";
    case WeightsType::ascending:
      return "ascending";
    case WeightsType::descending:
      return "descending";
  }
  return "?";
}

bool parse_weights_type(const std::string& name, WeightsType& out) {
  if (name == "categorical" || name == "unique")
    out = WeightsType::categorical;
  else if (name == "ascending")
    out = WeightsType::ascending;
  else if (name == "descending")
    out = WeightsType::descending;
  else
    return false;
  return true;
}

}  // namespace prospect

namespace prospect {

int LayerWeights::group_of(float value) const {
  const auto it = std::lower_bound(class_values.begin(), class_values.end(), double(value));
  if (it == class_values.end() || *it != double(value)) return -1;
  return class_group[std::size_t(it - class_values.begin())];
}

LayerWeights layer_weights(const WeightsTable& t, const std::vector<ClassCount>& counts,
                           double min_studentized) {
  LayerWeights lw;
  double total_cells = 0;
  for (const auto& c : counts) {
    lw.class_values.push_back(c.value);
    total_cells += double(c.cells);
  }
  lw.class_group.assign(counts.size(), -1);
  auto add_group = [&](double w, double v) {
    lw.group_weight.push_back(w);
    lw.group_variance.push_back(v);
    lw.group_share.push_back(0);
    return int(lw.group_weight.size()) - 1;
  };

  if (t.type == WeightsType::categorical) {
    std::vector<std::size_t> pooled;
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
      const WeightsRow& r = t.rows[i];
      if (r.w_plus_defined && r.w_minus_defined && std::abs(r.studentized) >= min_studentized)
        lw.class_group[i] = add_group(r.w_plus, r.s_w_plus * r.s_w_plus);
      else
        pooled.push_back(i);
    }
    if (!pooled.empty()) {
      std::int64_t cells = 0, deposits = 0;
      for (std::size_t i : pooled) {
        cells += counts[i].cells;
        deposits += counts[i].deposits;
      }
      const WeightsRow p = binary_weights(double(cells) * t.cell_km2 / t.unit_cell_km2, deposits,
                                          t.total_unit_cells, t.deposits);
      int g;
      if (p.w_plus_defined) {
        g = add_group(p.w_plus, p.s_w_plus * p.s_w_plus);
      } else {
        g = add_group(0.0, 0.0);
        lw.note = "the pooled classes (not significant on their own) have no deposits: weight 0";
      }
      for (std::size_t i : pooled) lw.class_group[i] = g;
    }
  } else {
    if (t.threshold_row < 0) {
      lw.used = false;
      lw.note = "not used: " + t.generalization_note;
      const int g = add_group(0.0, 0.0);
      std::fill(lw.class_group.begin(), lw.class_group.end(), g);
    } else {
      const int in =
          add_group(t.generalized_w_plus, t.generalized_s_w_plus * t.generalized_s_w_plus);
      const int out =
          add_group(t.generalized_w_minus, t.generalized_s_w_minus * t.generalized_s_w_minus);
      // Rows run in pattern order; row i is class i (ascending) or n-1-i (descending).
      const std::size_t n = counts.size();
      for (std::size_t i = 0; i < n; ++i) {
        const std::size_t cls = t.type == WeightsType::descending ? n - 1 - i : i;
        lw.class_group[cls] = t.rows[i].generalized == 2 ? in : out;
      }
    }
  }
  for (std::size_t i = 0; i < counts.size(); ++i)
    lw.group_share[std::size_t(lw.class_group[i])] +=
        total_cells > 0 ? double(counts[i].cells) / total_cells : 0;
  return lw;
}

PosteriorModel make_posterior_model(std::int64_t deposits, double total_unit_cells) {
  PosteriorModel m;
  const double p = double(deposits) / total_unit_cells;
  m.prior_logit = std::log(p / (1 - p));
  m.prior_logit_variance = 1.0 / (p * (1 - p) * total_unit_cells);
  return m;
}

void posterior(const PosteriorModel& m, const std::vector<const float*>& classes, std::size_t n,
               float* probability, float* stddev) {
  const std::size_t layers = m.layers.size();
  std::vector<int> group(layers);
  for (std::size_t i = 0; i < n; ++i) {
    double logit = m.prior_logit, variance = m.prior_logit_variance;
    bool any_missing = false;
    for (std::size_t j = 0; j < layers; ++j) {
      const float c = classes[j][i];
      group[j] = std::isnan(c) ? -1 : m.layers[j].group_of(c);
      if (group[j] < 0) {
        any_missing = true;
        continue;
      }
      logit += m.layers[j].group_weight[std::size_t(group[j])];
      variance += m.layers[j].group_variance[std::size_t(group[j])];
    }
    const double p = 1.0 / (1.0 + std::exp(-logit));
    const double s_weights = std::sqrt(variance) * p * (1 - p);
    double missing_variance = 0;
    if (any_missing) {
      for (std::size_t j = 0; j < layers; ++j) {
        if (group[j] >= 0) continue;
        const LayerWeights& lw = m.layers[j];
        for (std::size_t g = 0; g < lw.group_weight.size(); ++g) {
          const double pk = 1.0 / (1.0 + std::exp(-(logit + lw.group_weight[g])));
          missing_variance += (pk - p) * (pk - p) * lw.group_share[g];
        }
      }
    }
    probability[i] = float(p);
    stddev[i] = float(std::sqrt(s_weights * s_weights + missing_variance));
  }
}

}  // namespace prospect
