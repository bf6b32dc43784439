#pragma once
// Fuzzy membership functions and fuzzy overlay operators. Pure functions over
// buffers: no GDAL here. NaN (missing evidence) in gives NaN out.
//
// Membership functions follow the definitions used by ArcGIS "Fuzzy Membership"
// (f1 = spread, f2 = midpoint); operators follow Bonham-Carter (1994),
// "Geographic Information Systems for Geoscientists", ch. 9, and An et al. (1991).
// docs/science/fuzzy.md gives every formula.

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace prospect {

enum class MembershipType { linear, small, large, gaussian, near, categorical, classes };

struct Membership {
  MembershipType type = MembershipType::linear;
  // linear: low -> 0, high -> 1 (low > high makes it decreasing).
  double low = 0, high = 1;
  // small / large / gaussian / near.
  double midpoint = 0, spread = 1;
  // categorical: class code -> membership; codes not listed get `other`.
  std::map<long long, double> table;
  double other = 0;
  // categorical, by class name: resolved into `table` from the input's class
  // table before scoring (rasterized inputs name their classes).
  std::map<std::string, double> named;
  // classes: a score table on a continuous value: x <= breaks[0] -> values[0],
  // breaks[k-1] < x <= breaks[k] -> values[k], above the last break -> values.back().
  std::vector<double> breaks, values;
};

float membership_value(const Membership& m, float x);
void apply_membership(const Membership& m, const float* in, float* out, std::size_t count);

enum class FuzzyOperator { and_, or_, product, sum, gamma, weighted_sum };

struct OperatorSpec {
  FuzzyOperator op = FuzzyOperator::and_;
  double gamma = 0.9;           // gamma only, in [0, 1]
  std::vector<double> weights;  // weighted_sum only, one per input, sum > 0
};

// out[i] = op(inputs[0][i], inputs[1][i], ...) for i < count.
void combine(const OperatorSpec& spec, const std::vector<const float*>& inputs, float* out,
             std::size_t count);

// Names as written in model files ("linear", "gamma", ...), for parsing and messages.
const std::vector<std::string>& membership_names();
const std::vector<std::string>& operator_names();
bool parse_membership_type(const std::string& name, MembershipType& out);
bool parse_operator(const std::string& name, FuzzyOperator& out);

}  // namespace prospect
