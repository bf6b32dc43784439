#pragma once
// Success-rate curve and AUC of a score map against deposit points, exact and
// deterministic, from one pass over the score tiles: each valid cell is placed
// among the deposits' sorted scores (through a bucket table, see below), so only
// per-interval counts are kept, never the map. Pure: no GDAL.
//
// AUC = P(score of a deposit's cell > score of a random valid cell), ties
// counting one half (Mann-Whitney U / (deposits x cells)); valid cells include
// the deposits' own cells. The curve gives, for each distinct deposit score t
// from the highest down, the share of valid area scoring >= t and the share of
// deposits scoring >= t.

#include <cstdint>
#include <memory>
#include <vector>

namespace prospect {

struct CurvePoint {
  double area_share = 0;     // x: share of valid study-area cells scoring >= the threshold
  double deposit_share = 0;  // y: share of deposits scoring >= the threshold
  double threshold = 0;
};

// The prediction-area (P-A) plot's intersection (Yousefi and Carranza 2015,
// Computers & Geosciences 79, 69-81): the threshold where the share of deposits
// scoring at or above it equals the share of area scoring below it, so "P % of
// the deposits lie in (100 - P) % of the area". Linear between curve points.
// Normalised density P / A and its log (the weight of the map) say how much
// better than random the map is at that point.
struct PredictionArea {
  bool found = false;
  double threshold = 0, deposit_share = 0, area_share = 0;
  double normalized_density = 0, weight = 0;
};
PredictionArea prediction_area_intersection(const std::vector<CurvePoint>& curve);

// Bootstrap confidence interval of the AUC over the deposits: `replicates`
// resamples of the deposits with replacement (a fixed-seed 64-bit Mersenne
// Twister, so the same seed gives the same interval), each AUC the mean of the
// resampled placements; the interval is the 2.5th and 97.5th percentile. The
// cells are the whole study area, not a sample, so only deposits are resampled.
struct AucInterval {
  double low = 0, high = 0, std_error = 0;
  int replicates = 0;
  unsigned long long seed = 0;
};
AucInterval bootstrap_auc(const std::vector<double>& placements, int replicates,
                          unsigned long long seed);

class SuccessRate {
 public:
  explicit SuccessRate(std::vector<float> deposit_scores);  // NaN scores are dropped
  void add_cells(const float* scores, std::size_t n);       // NaN (no score) is skipped
  // n groups of cells sharing a score: counts[i] cells scoring scores[i].
  void add_cells(const float* scores, const std::int64_t* counts, std::size_t n);
  void merge(const SuccessRate& other);  // same deposit scores
  SuccessRate empty_copy() const;        // same deposits, no cells yet

  double auc() const;
  // Each deposit's placement, ascending: the share of cells scoring below it,
  // ties one half. Their mean is the AUC.
  std::vector<double> placements() const;
  std::vector<CurvePoint> curve() const;
  // Share of deposits in the top `area_share` of the area (step function of the curve).
  double capture(double area_share) const;
  std::int64_t cells() const { return m_cells; }
  std::size_t deposits() const { return m_scores.size(); }

 private:
  std::vector<float> m_scores;  // all deposit scores, ascending
  std::vector<float> m_unique;  // distinct deposit scores, ascending
  std::vector<std::int64_t>
      m_between;                      // cells strictly between unique[i-1] and unique[i] (i = 0..U)
  std::vector<std::int64_t> m_equal;  // cells equal to unique[i]
  std::int64_t m_cells = 0;
  // Equal-width buckets over the deposit scores' range, 4 per unique score, and
  // the first unique score in or above each: a cell's place among the unique
  // scores is searched in its bucket's range only (nearly always empty or one
  // long) instead of among all. Exact, because the bucket of a value never
  // decreases as the value grows, so scores in lower buckets are lower.
  std::shared_ptr<const std::vector<std::uint32_t>> m_bucket_start;
  double m_low = 0, m_scale = 0;
  std::size_t m_buckets = 1;
  std::size_t bucket_of(float v) const;
  template <class CountOf>
  void add(const float* scores, std::size_t n, CountOf count_of);
};

}  // namespace prospect
