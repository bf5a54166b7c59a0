// torch.nn.LayerNorm: (x - mean) / sqrt(var + eps) * gamma + beta, biased variance. Statistics are
// accumulated in double so that float32 rounding does not grow with the width.
#include <cmath>

#include "engine/ops/ops.hpp"
#include "engine/ops/parallel.hpp"

namespace hubbench::engine::ops {

namespace {
void normalize_row(const float* x, const float* residual, float* out, std::size_t c, const float* gamma, const float* beta,
                   double eps) {
    double sum = 0.0;
    for (std::size_t j = 0; j < c; ++j) sum += static_cast<double>(x[j]) + (residual ? residual[j] : 0.0f);
    const double mean = sum / static_cast<double>(c);
    double var = 0.0;
    for (std::size_t j = 0; j < c; ++j) {
        double d = static_cast<double>(x[j]) + (residual ? residual[j] : 0.0f) - mean;
        var += d * d;
    }
    const double inv = 1.0 / std::sqrt(var / static_cast<double>(c) + eps);
    for (std::size_t j = 0; j < c; ++j) {
        double v = (static_cast<double>(x[j]) + (residual ? residual[j] : 0.0f) - mean) * inv;
        out[j] = static_cast<float>(v * gamma[j] + (beta ? beta[j] : 0.0f));
    }
}
}  // namespace

void layer_norm(float* x, std::size_t n, std::size_t c, const float* gamma, const float* beta, double eps) {
#pragma omp parallel for if (parallel_rows(n * c)) schedule(static)
    for (std::size_t i = 0; i < n; ++i) normalize_row(x + i * c, nullptr, x + i * c, c, gamma, beta, eps);
}

void add_layer_norm(const float* x, const float* residual, float* out, std::size_t n, std::size_t c, const float* gamma,
                    const float* beta, double eps) {
#pragma omp parallel for if (parallel_rows(n * c)) schedule(static)
    for (std::size_t i = 0; i < n; ++i) normalize_row(x + i * c, residual + i * c, out + i * c, c, gamma, beta, eps);
}

}  // namespace hubbench::engine::ops
