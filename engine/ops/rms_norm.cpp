// LlamaRMSNorm (modeling_llama.py): hidden * rsqrt(mean(hidden^2) + eps), then * weight; the
// mean is accumulated in double.
//
// The row loops are vectorised (the sum of squares as a SIMD reduction, in double still): as a
// sequential double sum, rms_norm was 1.4% of a float32 prefill of the 110M bench model in perf.
// Built for AVX-512, AVX2 and baseline x86-64 (target_clones picks at load).
#include <cmath>

#include "engine/ops/ops.hpp"
#include "engine/ops/parallel.hpp"
#include "engine/ops/unsanitized.hpp"

namespace hubbench::engine::ops {

namespace {

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__SANITIZE_ADDRESS__)
__attribute__((target_clones("avx512f", "avx2", "default")))
#endif
HUBBENCH_UNSANITIZED void rms_norm_row(const float* row, float* out, std::size_t c, const float* weight, double eps) {
    double sum = 0.0;
#pragma omp simd reduction(+ : sum)
    for (std::size_t j = 0; j < c; ++j) sum += static_cast<double>(row[j]) * row[j];
    const float inv = static_cast<float>(1.0 / std::sqrt(sum / static_cast<double>(c) + eps));
#pragma omp simd
    for (std::size_t j = 0; j < c; ++j) out[j] = weight[j] * (row[j] * inv);
}

}  // namespace

void rms_norm(const float* x, float* out, std::size_t n, std::size_t c, const float* weight, double eps) {
#pragma omp parallel for if (parallel_rows(n * c)) schedule(static)
    for (std::size_t i = 0; i < n; ++i) rms_norm_row(x + i * c, out + i * c, c, weight, eps);
}

}  // namespace hubbench::engine::ops
