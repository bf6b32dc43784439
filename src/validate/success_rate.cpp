#include "prospect/validate/success_rate.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace prospect {

SuccessRate::SuccessRate(std::vector<float> scores) {
  scores.erase(std::remove_if(scores.begin(), scores.end(), [](float v) { return std::isnan(v); }),
               scores.end());
  std::sort(scores.begin(), scores.end());
  m_scores = scores;
  m_unique = scores;
  m_unique.erase(std::unique(m_unique.begin(), m_unique.end()), m_unique.end());
  m_between.assign(m_unique.size() + 1, 0);
  m_equal.assign(m_unique.size(), 0);
  const std::size_t buckets = std::max<std::size_t>(1, 4 * m_unique.size());
  m_buckets = buckets;
  if (!m_unique.empty() && m_unique.back() > m_unique.front()) {
    m_low = m_unique.front();
    m_scale = double(buckets) / (double(m_unique.back()) - m_low);
  }
  auto start = std::make_shared<std::vector<std::uint32_t>>(buckets + 1);
  std::size_t k = 0;
  for (std::size_t b = 0; b <= buckets; ++b) {
    while (k < m_unique.size() && bucket_of(m_unique[k]) < b) ++k;
    (*start)[b] = std::uint32_t(k);
  }
  m_bucket_start = std::move(start);
}

std::size_t SuccessRate::bucket_of(float v) const {
  const double x = (double(v) - m_low) * m_scale;  // never decreases as v grows
  const double last = double(m_buckets - 1);
  return x <= 0 ? 0 : x >= last ? m_buckets - 1 : std::size_t(x);
}

template <class CountOf>
void SuccessRate::add(const float* v, std::size_t n, CountOf count_of) {
  const std::uint32_t* start = m_bucket_start->data();
  for (std::size_t i = 0; i < n; ++i) {
    if (std::isnan(v[i])) continue;
    const std::int64_t c = count_of(i);
    m_cells += c;
    const std::size_t b = bucket_of(v[i]);
    std::size_t k = start[b];
    const std::size_t end = start[b + 1];
    if (k == end) {  // no deposit score in this bucket: the usual case
      m_between[k] += c;
      continue;
    }
    while (k < end && m_unique[k] < v[i]) ++k;
    if (k < end && m_unique[k] == v[i])
      m_equal[k] += c;
    else
      m_between[k] += c;
  }
}

void SuccessRate::add_cells(const float* v, std::size_t n) {
  add(v, n, [](std::size_t) { return std::int64_t(1); });
}

void SuccessRate::add_cells(const float* v, const std::int64_t* counts, std::size_t n) {
  add(v, n, [counts](std::size_t i) { return counts[i]; });
}

SuccessRate SuccessRate::empty_copy() const {
  SuccessRate copy = *this;
  copy.m_cells = 0;
  std::fill(copy.m_between.begin(), copy.m_between.end(), 0);
  std::fill(copy.m_equal.begin(), copy.m_equal.end(), 0);
  return copy;
}

void SuccessRate::merge(const SuccessRate& o) {
  m_cells += o.m_cells;
  for (std::size_t i = 0; i < m_between.size(); ++i) m_between[i] += o.m_between[i];
  for (std::size_t i = 0; i < m_equal.size(); ++i) m_equal[i] += o.m_equal[i];
}

double SuccessRate::auc() const {
  if (m_scores.empty() || m_cells == 0) return 0;
  // below[k]: cells strictly below unique[k].
  double total = 0;
  std::int64_t below = 0;
  std::size_t d = 0;
  for (std::size_t k = 0; k < m_unique.size(); ++k) {
    below += m_between[k];
    std::size_t deposits_here = 0;
    while (d < m_scores.size() && m_scores[d] == m_unique[k]) {
      ++deposits_here;
      ++d;
    }
    total += double(deposits_here) * (double(below) + 0.5 * double(m_equal[k]));
    below += m_equal[k];
  }
  return total / (double(m_scores.size()) * double(m_cells));
}

std::vector<CurvePoint> SuccessRate::curve() const {
  std::vector<CurvePoint> points;
  if (m_cells == 0 || m_scores.empty()) return points;
  std::int64_t at_or_above = m_between.back();  // cells above the highest deposit score
  std::size_t deposits_at_or_above = 0;
  std::size_t d = m_scores.size();
  for (std::size_t k = m_unique.size(); k-- > 0;) {
    at_or_above += m_equal[k];
    while (d > 0 && m_scores[d - 1] == m_unique[k]) {
      ++deposits_at_or_above;
      --d;
    }
    points.push_back({double(at_or_above) / double(m_cells),
                      double(deposits_at_or_above) / double(m_scores.size()), double(m_unique[k])});
    at_or_above += m_between[k];
  }
  return points;
}

std::vector<double> SuccessRate::placements() const {
  std::vector<double> out;
  if (m_scores.empty() || m_cells == 0) return out;
  std::int64_t below = 0;
  std::size_t d = 0;
  for (std::size_t k = 0; k < m_unique.size(); ++k) {
    below += m_between[k];
    const double p = (double(below) + 0.5 * double(m_equal[k])) / double(m_cells);
    while (d < m_scores.size() && m_scores[d] == m_unique[k]) {
      out.push_back(p);
      ++d;
    }
    below += m_equal[k];
  }
  return out;
}

AucInterval bootstrap_auc(const std::vector<double>& placements, int replicates,
                          unsigned long long seed) {
  AucInterval ci;
  ci.replicates = replicates;
  ci.seed = seed;
  const std::size_t n = placements.size();
  if (n == 0 || replicates < 2) return ci;
  std::mt19937_64 rng(seed);
  std::vector<double> aucs(static_cast<std::size_t>(replicates));
  for (auto& a : aucs) {
    double sum = 0;
    // rng() % n, not a distribution object: its output is fixed by the standard,
    // so the interval is the same with every compiler and library.
    for (std::size_t i = 0; i < n; ++i) sum += placements[std::size_t(rng() % n)];
    a = sum / double(n);
  }
  double mean = 0;
  for (double a : aucs) mean += a;
  mean /= double(aucs.size());
  double var = 0;
  for (double a : aucs) var += (a - mean) * (a - mean);
  ci.std_error = std::sqrt(var / double(aucs.size() - 1));
  std::sort(aucs.begin(), aucs.end());
  auto percentile = [&](double q) {  // linear between order statistics
    const double pos = q * double(aucs.size() - 1);
    const std::size_t i = std::size_t(pos);
    const double f = pos - double(i);
    return i + 1 < aucs.size() ? aucs[i] * (1 - f) + aucs[i + 1] * f : aucs[i];
  };
  ci.low = percentile(0.025);
  ci.high = percentile(0.975);
  return ci;
}

PredictionArea prediction_area_intersection(const std::vector<CurvePoint>& curve) {
  PredictionArea pa;
  // f = deposit share - (1 - area share) rises as the threshold falls; start at
  // the top of the plot (no area, no deposits: f = -1).
  double a0 = 0, p0 = 0, t0 = curve.empty() ? 0 : curve.front().threshold, f0 = -1;
  for (const CurvePoint& c : curve) {
    const double f = c.deposit_share - (1 - c.area_share);
    if (f >= 0) {
      const double s = f > f0 ? -f0 / (f - f0) : 1.0;
      pa.found = true;
      pa.area_share = a0 + s * (c.area_share - a0);
      pa.deposit_share = p0 + s * (c.deposit_share - p0);
      pa.threshold = t0 + s * (c.threshold - t0);
      if (pa.area_share > 0) {
        pa.normalized_density = pa.deposit_share / pa.area_share;
        pa.weight = std::log(pa.normalized_density);
      }
      return pa;
    }
    a0 = c.area_share;
    p0 = c.deposit_share;
    t0 = c.threshold;
    f0 = f;
  }
  return pa;
}

double SuccessRate::capture(double area_share) const {
  double best = 0;
  for (const CurvePoint& p : curve())
    if (p.area_share <= area_share + 1e-12) best = std::max(best, p.deposit_share);
  return best;
}

}  // namespace prospect
