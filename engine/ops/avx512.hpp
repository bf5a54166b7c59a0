// The AVX-512 intrinsics, for the files that use them (gemm_avx512.cpp, gemv_avx512.cpp,
// attention_avx512.cpp, linear_bf16.cpp).
#pragma once

#include <immintrin.h>

// g++ 12's AVX-512 intrinsics pass an undefined vector (`__m512 __Y = __Y;`) as the unused merge
// source, which -Wmaybe-uninitialized (Release) or -Wuninitialized (the sanitizer build) reports
// once they are inlined into our code (GCC bug 105593, fixed in 13): the unpacks, lane shuffles,
// widenings and reductions are not uninitialised. The pragmas hold for the rest of the including
// file, where they would hide a real uninitialised read too: keep such files to the kernels.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
