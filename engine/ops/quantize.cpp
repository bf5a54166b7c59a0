#include "engine/ops/quantize.hpp"

#include <algorithm>
#include <cmath>

#include "engine/ops/avx512.hpp"
#include "engine/ops/ops.hpp"

namespace hubbench::engine::ops {

void quantize_q8(const float* src, std::size_t count, std::int8_t* values, float* scales) {
    for (std::size_t b = 0; b < count / q8_block; ++b) {
        const float* x = src + b * q8_block;
        float amax = 0.0f;
        for (std::size_t j = 0; j < q8_block; ++j) amax = std::max(amax, std::fabs(x[j]));
        const float d = amax / 127.0f;
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        scales[b] = d;
        for (std::size_t j = 0; j < q8_block; ++j) {
            // |x * id| <= 127 for finite blocks; a NaN or infinite weight (a broken checkpoint)
            // reads back as 0 or NaN rather than converting NaN to an integer (undefined).
            const float q = std::round(x[j] * id);
            values[b * q8_block + j] = std::isnan(q) ? 0 : static_cast<std::int8_t>(std::clamp(q, -127.0f, 127.0f));
        }
    }
}

namespace {

// 16 values of one block: a block is 32 elements, so a run of 16 starting at a multiple of 16
// shares one scale.
__attribute__((target("avx512f,avx512bw,avx512vl"))) void dequantize_avx512(const std::int8_t* values, const float* scales,
                                                                              std::size_t first, std::size_t count,
                                                                              float* dst) {
    for (std::size_t j = 0; j < count; j += 16) {
        const __m128i q = _mm_loadu_si128(reinterpret_cast<const __m128i*>(values + first + j));
        const __m512 v = _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(q));
        _mm512_storeu_ps(dst + j, _mm512_mul_ps(v, _mm512_set1_ps(scales[(first + j) / q8_block])));
    }
}

}  // namespace

void dequantize_q8(const std::int8_t* values, const float* scales, std::size_t first, std::size_t count, float* dst) {
    if (avx512_enabled() && first % 16 == 0 && count % 16 == 0) {
        dequantize_avx512(values, scales, first, count, dst);
        return;
    }
    for (std::size_t j = 0; j < count; ++j)
        dst[j] = static_cast<float>(values[first + j]) * scales[(first + j) / q8_block];
}

}  // namespace hubbench::engine::ops
