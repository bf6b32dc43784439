#pragma once
// The fuzzy gamma operator, sum^g * prod^(1-g), evaluated as
// exp(g ln sum + (1 - g) ln prod) with a log and an exp of our own instead of
// the C library's: the same IEEE operations, fused multiply-adds included, on
// every path (one cell at a time, 4 cells in AVX2 registers, 8 in AVX-512
// ones), so a gamma map has the same bits on every CPU; and about twice the
// throughput of glibc's vector log and exp, whose last-bit accuracy a score
// stored as Float32 does not use. docs/science/fuzzy.md has the formulas and
// the accuracy (relative error below 1e-13 before the Float32 rounding).

#include <cstddef>
#include <vector>

namespace prospect {

// ln x for 0 < x < +Inf (subnormals included): x = 2^e m with m in
// [sqrt(1/2), sqrt(2)), ln m = 2 atanh(f) with f = (m - 1)/(m + 1), the odd
// series to f^15.
double gamma_log(double x);
// e^y, y clamped to [-700, 700] (e^-700 and e^700 are already 0 and +Inf as a
// Float32): y = k ln 2 + r with |r| <= ln(2)/2, e^r by its Taylor series to r^11.
double gamma_exp(double y);

// One cell: NaN where either is NaN; the sum (g = 1) or the product (g = 0)
// as they are; 0 where either is 0 or less; else exp(g ln sum + (1 - g) ln prod).
float gamma_of_cell(double g, double prod, double sum);

enum class GammaLanes { one_by_one, avx2, avx512 };

// The fastest lanes this CPU has (AVX2 needs FMA as well).
GammaLanes best_gamma_lanes();
bool has_gamma_lanes(GammaLanes lanes);

// The gamma of the memberships `in` (product and algebraic sum s + m (1 - s)
// built up in double, input by input, as combine() does) for cells from 0 on,
// in the lanes asked (which this CPU must have): returns how many cells were
// done, a multiple of the lane count; the caller does the rest with
// gamma_of_cell. Bit for bit the same as gamma_of_cell on every path.
std::size_t gamma_in_lanes(GammaLanes lanes, double g, const std::vector<const float*>& in,
                           float* out, std::size_t n);

// gamma_log (gamma_exp) of x[0..n) in the lanes asked, for the tests that hold
// every path to the one-by-one bits before the Float32 rounding hides a
// difference: returns how many values were done, as above.
std::size_t log_in_lanes(GammaLanes lanes, const double* x, double* out, std::size_t n);
std::size_t exp_in_lanes(GammaLanes lanes, const double* y, double* out, std::size_t n);

}  // namespace prospect
