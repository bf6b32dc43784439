#pragma once
// Pairwise test of conditional independence between two evidence layers of a
// weights-of-evidence model (Bonham-Carter 1994, ch. 9): given the deposits,
// their patterns should be independent. Cross-tabulate the deposits by the two
// layers' weight groups (generalised classes; deposits missing on either layer
// left out), and test the table with Pearson's chi-square, expected counts from
// the margins, (rows - 1)(columns - 1) degrees of freedom. Pure: no GDAL here.

#include <string>
#include <vector>

namespace prospect {

struct PairwiseTest {
  std::string first, second;  // evidence names
  long long deposits = 0;     // deposits with data on both layers
  double chi_square = 0;
  int degrees_of_freedom = 0;
  double p_value = 1;       // P(chi-square this large | independence); 1 when df = 0
  double min_expected = 0;  // smallest expected count: below 5 the test is rough
  std::string verdict() const;
};

// `a` and `b`: each deposit's group on the two layers (same order), -1 when missing.
PairwiseTest pairwise_independence(const std::string& first, const std::vector<int>& a,
                                   const std::string& second, const std::vector<int>& b);

// Upper tail of the chi-square distribution, P(X >= x) with `df` degrees of freedom.
double chi_square_upper_tail(double x, int df);

}  // namespace prospect
