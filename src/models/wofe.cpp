#include "prospect/models/wofe.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace prospect {

ClassCount& ClassCounter::slot(double value) {
  auto it = std::lower_bound(m_counts.begin(), m_counts.end(), value,
                             [](const ClassCount& c, double v) { return c.value < v; });
  if (it == m_counts.end() || it->value != value) it = m_counts.insert(it, ClassCount{value, 0, 0});
  return *it;
}

void ClassCounter::add_cells(const float* classes, const unsigned char* valid, std::size_t n) {
  // Runs of equal classes are common in class rasters: count them in one look-up.
  std::size_t i = 0;
  while (i < n) {
    if (!valid[i] || std::isnan(classes[i])) {
      ++i;
      continue;
    }
    const float v = classes[i];
    std::size_t j = i + 1;
    while (j < n && valid[j] && classes[j] == v) ++j;
    slot(v).cells += std::int64_t(j - i);
    i = j;
  }
}

void ClassCounter::add_deposit(float class_value) { ++slot(class_value).deposits; }

void ClassCounter::merge(const ClassCounter& other) {
  for (const auto& c : other.m_counts) {
    ClassCount& s = slot(c.value);
    s.cells += c.cells;
    s.deposits += c.deposits;
  }
}

std::vector<ClassCount> ClassCounter::counts() const { return m_counts; }

WeightsRow binary_weights(double nb, std::int64_t nbd_i, double nt, std::int64_t nd_i) {
  WeightsRow r;
  r.unit_cells = nb;
  r.deposits = nbd_i;
  const double nbd = double(nbd_i), nd = double(nd_i);
  const double nb_nd = nb - nbd;          // N(B and not D)
  const double nnb_d = nd - nbd;          // N(not B and D)
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
    r.note += std::string(r.note.empty() ? "" : "; ") + "all deposits on the pattern: W- undefined (ln 0)";
  } else if (nnb_nd <= 0) {
    r.w_minus_defined = false;
    r.note += std::string(r.note.empty() ? "" : "; ") + "the pattern covers the whole study area: W- undefined";
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

const char* weights_type_name(WeightsType type) {
  switch (type) {
    case WeightsType::categorical: return "categorical";
    case WeightsType::ascending: return "ascending";
    case WeightsType::descending: return "descending";
  }
  return "?";
}

bool parse_weights_type(const std::string& name, WeightsType& out) {
  if (name == "categorical" || name == "unique") out = WeightsType::categorical;
  else if (name == "ascending") out = WeightsType::ascending;
  else if (name == "descending") out = WeightsType::descending;
  else return false;
  return true;
}

}  // namespace prospect
