// Row-wise softmax with the maximum subtracted (what torch.softmax computes); -inf entries (masked
// keys) become exactly 0.
//
// exp() is the Cephes single-precision polynomial (relative error about 1e-7, like expf) written
// so that the compiler vectorises it: softmax over attention scores was half of attention's time
// with the libm call. Built for AVX-512, AVX2 and baseline x86-64 (target_clones picks at load).
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "engine/ops/ops.hpp"

namespace hubbench::engine::ops {

namespace {

inline float exp_poly(float x) {
    // x <= 0 here. Below about -87.3 the result underflows float: return 0 (also for -inf).
    const bool tiny = x < -87.0f;
    x = tiny ? -87.0f : x;
    // x = n ln2 + r, |r| <= ln2 / 2; n rounded to nearest with the 1.5 * 2^23 trick (no libm call).
    const float n = (x * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
    const float r = x - n * 0.693359375f + n * 2.12194440e-4f;
    const float z = r * r;
    float y = 1.9875691500e-4f;
    y = y * r + 1.3981999507e-3f;
    y = y * r + 8.3334519073e-3f;
    y = y * r + 4.1665795894e-2f;
    y = y * r + 1.6666665459e-1f;
    y = y * r + 5.0000001201e-1f;
    y = y * z + r + 1.0f;
    // y * 2^n through the exponent bits (n >= -126 after the clamp).
    const std::int32_t bits = (static_cast<std::int32_t>(n) + 127) << 23;
    float scale;
    std::memcpy(&scale, &bits, sizeof scale);
    return tiny ? 0.0f : y * scale;
}

}  // namespace

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__SANITIZE_ADDRESS__)
__attribute__((target_clones("avx512f", "avx2", "default")))
#endif
void softmax_rows(float* x, std::size_t n, std::size_t c, std::size_t ld) {
    for (std::size_t i = 0; i < n; ++i) {
        float* row = x + i * ld;
        float max = -std::numeric_limits<float>::infinity();
#pragma omp simd reduction(max : max)
        for (std::size_t j = 0; j < c; ++j) max = row[j] > max ? row[j] : max;
        if (max == -std::numeric_limits<float>::infinity()) {  // every key masked: no attention
            for (std::size_t j = 0; j < c; ++j) row[j] = 0.0f;
            continue;
        }
        float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
        for (std::size_t j = 0; j < c; ++j) {
            row[j] = exp_poly(row[j] - max);
            sum += row[j];
        }
        const float inv = 1.0f / sum;
#pragma omp simd
        for (std::size_t j = 0; j < c; ++j) row[j] *= inv;
    }
}

}  // namespace hubbench::engine::ops
