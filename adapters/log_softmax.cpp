#include "adapters/log_softmax.hpp"

#include <algorithm>
#include <cmath>

#if defined(__x86_64__) && defined(__GNUC__) && defined(__GLIBC__)
#include <immintrin.h>
#define HUBBENCH_HAVE_AVX2_PATH 1
// glibc's vectorised exp (libmvec, AVX2 variant): 4 doubles at a time, < 4 ulp like the scalar
// exp. Declared here because <math.h> only exposes it under -ffast-math; the target attribute
// gives it the AVX calling convention (clang refuses __m256d arguments otherwise).
extern "C" __attribute__((target("avx2,fma"))) __m256d _ZGVdN4v_exp(__m256d);
#endif

namespace hubbench::adapters {
namespace {

float max_of(const float* x, std::size_t n) {
    float m = x[0];
    for (std::size_t i = 1; i < n; ++i) m = std::max(m, x[i]);
    return m;
}

double sum_exp_scalar(const float* x, std::size_t n, double shift) {
    double s = 0.0;
    for (std::size_t i = 0; i < n; ++i) s += std::exp(static_cast<double>(x[i]) - shift);
    return s;
}

#ifdef HUBBENCH_HAVE_AVX2_PATH
__attribute__((target("avx2,fma"))) double sum_exp_avx2(const float* x, std::size_t n, double shift) {
    __m256d acc = _mm256_setzero_pd();
    const __m256d s = _mm256_set1_pd(shift);
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        __m256d v = _mm256_cvtps_pd(_mm_loadu_ps(x + i));
        acc = _mm256_add_pd(acc, _ZGVdN4v_exp(_mm256_sub_pd(v, s)));
    }
    alignas(32) double lanes[4];
    _mm256_store_pd(lanes, acc);
    double sum = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
    return sum + sum_exp_scalar(x + i, n - i, shift);
}

bool cpu_has_avx2() {
    static const bool yes = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return yes;
}
#endif

}  // namespace

double log_sum_exp(const float* logits, std::size_t n) {
    if (n == 0) return -INFINITY;
    const double shift = max_of(logits, n);
    if (!std::isfinite(shift)) return shift;  // +inf or nan: nothing sensible to normalise
#ifdef HUBBENCH_HAVE_AVX2_PATH
    if (cpu_has_avx2()) return shift + std::log(sum_exp_avx2(logits, n, shift));
#endif
    return shift + std::log(sum_exp_scalar(logits, n, shift));
}

}  // namespace hubbench::adapters
