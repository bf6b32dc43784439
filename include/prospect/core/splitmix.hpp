#pragma once
// splitmix64 (Steele, Lea & Flood 2014, "Fast splittable pseudorandom number
// generators"): a well-mixed 64-bit hash, used to draw cells at random in a way
// that depends on the cell alone -- the same draw for any tile order, thread
// count or platform.

#include <cstdint>

namespace prospect {

inline std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// A uniform number in [0, 1) for `cell` in the stream `seed`.
inline double uniform_of_cell(unsigned long long seed, std::uint64_t cell) {
  return double(splitmix64(splitmix64(seed) ^ cell) >> 11) * 0x1.0p-53;
}

}  // namespace prospect
