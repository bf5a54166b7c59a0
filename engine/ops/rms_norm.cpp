// LlamaRMSNorm (modeling_llama.py): hidden * rsqrt(mean(hidden^2) + eps), then * weight; the
// mean is accumulated in double.
#include <cmath>

#include "engine/ops/ops.hpp"
#include "engine/ops/parallel.hpp"

namespace hubbench::engine::ops {

void rms_norm(const float* x, float* out, std::size_t n, std::size_t c, const float* weight, double eps) {
#pragma omp parallel for if (parallel_rows(n * c)) schedule(static)
    for (std::size_t i = 0; i < n; ++i) {
        const float* row = x + i * c;
        double sum = 0.0;
        for (std::size_t j = 0; j < c; ++j) sum += static_cast<double>(row[j]) * row[j];
        const float inv = static_cast<float>(1.0 / std::sqrt(sum / static_cast<double>(c) + eps));
        float* o = out + i * c;
        for (std::size_t j = 0; j < c; ++j) o[j] = weight[j] * (row[j] * inv);
    }
}

}  // namespace hubbench::engine::ops
