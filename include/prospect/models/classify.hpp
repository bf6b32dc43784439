#pragma once
// Class breaks for continuous evidence, chosen from the data: equal-count
// (quantile) classes or natural breaks (Jenks 1967, found exactly with
// Fisher's 1958 dynamic programme: the breaks that minimise the sum of squared
// deviations from the class means). A value x falls in class k when
// breaks[k-1] < x <= breaks[k] (upper bounds inclusive, as for `breaks:` in the
// model file). Pure: no GDAL here.

#include <string>
#include <vector>

namespace prospect {

enum class BreakMethod { none, quantiles, natural };

struct BreakRule {
  BreakMethod method = BreakMethod::none;
  int classes = 0;  // number of classes, >= 2
};

// `sorted`: the values, ascending, no NaN. Returns classes - 1 increasing
// breaks (fewer when the data have fewer distinct values).
std::vector<double> quantile_breaks(const std::vector<double>& sorted, int classes);
std::vector<double> natural_breaks(const std::vector<double>& sorted, int classes);

// Up to `limit` values spread evenly over `sorted` (first and last kept), for
// the quadratic natural-breaks search on large rasters.
std::vector<double> even_subsample(const std::vector<double>& sorted, std::size_t limit);

const char* break_method_name(BreakMethod method);

}  // namespace prospect
