// Matrix products on AVX-512 CPUs, their work split over OpenMP threads (gemm_avx512.cpp,
// gemv_avx512.cpp). Internal to engine/ops: linear() decides when they run.
#pragma once
#include <cstddef>

#include "engine/ops/ops.hpp"

namespace hubbench::engine::ops {

// A weight matrix: W (out, in) row-major (nn.Linear), or (in, out) when in_major (Conv1D).
struct GemmWeights {
    const void* data = nullptr;
    WeightType type = WeightType::f32;
    std::size_t in = 0, out = 0;
    bool in_major = false;
};

// y (n, out; row stride ldy) (+)= x (n, in; row stride ldx) times W (W^T for (out, in)), float32
// accumulation; with `accumulate`, y += the product (y holds the bias).
void gemm_avx512(const GemmWeights& w, const float* x, std::size_t ldx, std::size_t n, float* y, std::size_t ldy,
                 bool accumulate);
// The same for one row of x (decoding: bound by reading the weights once).
void gemv_avx512(const GemmWeights& w, const float* x, float* y, bool accumulate);

}  // namespace hubbench::engine::ops
