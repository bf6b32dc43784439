#pragma once
// Hot loops over a tile's cells get a second copy compiled for AVX2, chosen
// when the program loads on CPUs that have it (GCC's function multi-versioning),
// while the build targets plain x86-64 so that it runs everywhere. AVX2 without
// FMA does the same IEEE operations in wider registers (and -ffp-contract=off
// forbids fusing them), so results are bit-identical on every CPU.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define PROSPECT_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define PROSPECT_VECTOR_CLONES
#endif

#if defined(__x86_64__)
namespace prospect {

// Whether this CPU runs AVX2 (AVX-512F) code: for the hand-written lanes that
// PROSPECT_VECTOR_CLONES cannot give. Read once; __builtin_cpu_init first, as
// the first call may come from a static initialiser that runs before libgcc
// has read the CPU.
inline bool cpu_has_avx2() {
  static const bool has = (__builtin_cpu_init(), __builtin_cpu_supports("avx2"));
  return has;
}
inline bool cpu_has_avx512f() {
  static const bool has = (__builtin_cpu_init(), __builtin_cpu_supports("avx512f"));
  return has;
}

}  // namespace prospect
#endif
