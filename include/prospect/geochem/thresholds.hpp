#pragma once
// Robust anomaly thresholds for geochemical values (docs/science/geochemistry.md):
// the value above which a sample is anomalous, from the data alone and not
// pulled up by the anomalies themselves. Pure: no GDAL here.
//
//   mad    median + k MAD, MAD the median absolute deviation scaled by 1.4826
//          (so it estimates the standard deviation of a normal sample); k = 2
//   tukey  upper fence Q3 + k IQR (quartiles by linear interpolation, R's
//          type 7); k = 1.5
//   cn     concentration-number: log10 of the number of samples >= v against
//          log10 v, fitted by two straight lines; the break between them
//          (the sample-count form of the concentration-area method)
// With `log` (the default) the statistics are of log10 values, as geochemical
// concentrations are near log-normal; the threshold is given back in data units.

#include <optional>
#include <string>
#include <vector>

namespace prospect {

enum class ThresholdMethod { mad, tukey, cn };

struct ThresholdRule {
  ThresholdMethod method = ThresholdMethod::mad;
  double k = 0;  // 0: the method's default (2 for mad, 1.5 for tukey; cn has none)
  bool log = true;
};

struct Threshold {
  double value = 0;         // anomalous: value > threshold (data units)
  std::string rule;         // "median + 2 x MAD of log10 values"
  long long anomalous = 0;  // values above the threshold
};

std::optional<ThresholdMethod> threshold_method(const std::string& name);
const char* threshold_method_name(ThresholdMethod method);
double default_k(ThresholdMethod method);

// The threshold of the finite values among `values` (NaN are skipped). Throws
// Error(bad_input), naming `what`, for fewer than 5 values (20 distinct ones for
// cn), values <= 0 with log, or a spread of zero (more than half the values equal).
Threshold robust_threshold(const std::vector<double>& values, const ThresholdRule& rule,
                           const std::string& what);

// The type-7 quantile (linear interpolation between order statistics, as R's
// default and numpy's) of sorted values, p in [0, 1].
double quantile_type7(const std::vector<double>& sorted, double p);

}  // namespace prospect
