#pragma once
// exp and log of arrays of doubles. Where the CPU has AVX2 and glibc's vector
// math library (libmvec) is linked, four values a call (within 4 ulp of the
// scalar functions); elsewhere the scalar functions. The same inputs give the
// same bits on one machine, whatever the thread count.

#include <cstddef>

namespace prospect {

void exp_values(const double* in, double* out, std::size_t n);
void log_values(const double* in, double* out, std::size_t n);

}  // namespace prospect
