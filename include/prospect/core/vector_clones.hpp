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
