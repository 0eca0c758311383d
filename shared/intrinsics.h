#pragma once
// <immintrin.h>, the one way parlab includes the x86 SIMD intrinsics: before
// any other header that would include them (Eigen, see shared/kernels/eigen.h).
//
// Why the pragma: GCC 12's AVX-512 intrinsics start some functions with a
// self-initialised `__m256d __Y = __Y;` (_mm512_extractf64x4_pd, reached from
// _mm512_reduce_add_pd and from Eigen's AVX-512 ptranspose and predux). When
// they are inlined into our code (-march=native on an AVX-512 CPU, or
// -march=x86-64-v4), GCC 12 reports "'__Y' is/may be used uninitialized" at
// the intrinsic's line — a false positive in the compiler's own header, gone
// in GCC 13, which with -Werror failed the build on AVX-512 machines only. A
// middle-end warning is checked against the pragma state at the line it
// points to, so silencing the two warnings around this first inclusion covers
// exactly the intrinsics' lines: our own code keeps both warnings.

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
