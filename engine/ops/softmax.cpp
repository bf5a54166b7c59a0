// Row-wise softmax with the maximum subtracted (what torch.softmax computes); -inf entries (masked
// keys) become exactly 0.
//
// exp() is exp_poly.hpp's polynomial, which the compiler vectorises: softmax over attention scores
// was half of attention's time with the libm call. Built for AVX-512, AVX2 and baseline x86-64
// (target_clones picks at load).
#include <cmath>
#include <limits>

#include "engine/ops/exp_poly.hpp"
#include "engine/ops/ops.hpp"
#include "engine/ops/unsanitized.hpp"

namespace hubbench::engine::ops {


#if defined(__x86_64__) && defined(__GNUC__) && !defined(__SANITIZE_ADDRESS__)
__attribute__((target_clones("avx512f", "avx2", "default")))
#endif
HUBBENCH_UNSANITIZED void softmax_rows(float* x, std::size_t n, std::size_t c, std::size_t ld) {
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
