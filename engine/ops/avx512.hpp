// The AVX-512 intrinsics, for the files that use them (gemm_avx512.cpp, gemv_avx512.cpp,
// linear_bf16.cpp).
#pragma once

#include <immintrin.h>

// g++ 12's AVX-512 intrinsics pass an undefined vector as the unused merge source
// (_mm512_undefined_ps), which -Wmaybe-uninitialized reports once they are inlined into our code
// (GCC bug 105593, fixed in 13): the unpacks, lane shuffles, widenings and reductions are not
// uninitialised. The pragma holds for the rest of the including file.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
