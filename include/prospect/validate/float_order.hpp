#pragma once
// Floats as unsigned integers in the same order (sign bit flipped for
// positives, all bits for negatives), so a float's top bits make a histogram
// or lookup bucket that preserves order. -0 is taken as +0, as == does.

#include <cstdint>
#include <cstring>

namespace prospect {

inline std::uint32_t ordered_bits(float v) {
  if (v == 0.0f) v = 0.0f;
  std::uint32_t u;
  std::memcpy(&u, &v, sizeof u);
  return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
}

inline float from_ordered_bits(std::uint32_t u) {
  u = (u & 0x80000000u) ? (u & 0x7FFFFFFFu) : ~u;
  float v;
  std::memcpy(&v, &u, sizeof v);
  return v;
}

// The top 16 bits: 65,536 buckets, each narrower than 0.8 % of its values.
inline std::uint16_t ordered_bucket(float v) { return std::uint16_t(ordered_bits(v) >> 16); }

}  // namespace prospect
