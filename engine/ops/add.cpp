// Residual connections: y += x.
#include "engine/ops/ops.hpp"
#include "engine/ops/parallel.hpp"

namespace hubbench::engine::ops {

void add_in_place(float* y, const float* x, std::size_t count) {
#pragma omp parallel for simd if (parallel_rows(count)) schedule(static)
    for (std::size_t i = 0; i < count; ++i) y[i] += x[i];
}

}  // namespace hubbench::engine::ops
