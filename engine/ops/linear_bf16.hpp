// Products with bfloat16 weights and float32 activations, accumulated in float32 (what PyTorch's
// CPU bf16 matmul computes up to summation order, with the activations kept in float32), on CPUs
// without AVX-512 (linear_bf16.cpp); with it, linear() uses gemm_avx512.hpp's kernels.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>

namespace hubbench::engine::ops {

// y (n, out; row stride ldy) = x (n, in; row stride ldx) W^T, W (out, in) row-major bfloat16, or
// x W for W (in, out) when in_major. With `accumulate`, y += the product (y holds the bias).
void linear_bf16(const std::uint16_t* w, std::size_t in, std::size_t out, bool in_major, const float* x, std::size_t ldx,
                 std::size_t n, float* y, std::size_t ldy, bool accumulate);

// The same for weights of any other type (int8 too): blocks of W of about 1 MiB as float32, written
// by `to_float(first, count, dst)` (dst[j] = element first + j of W as stored), each multiplied with
// OpenBLAS's sgemm on the calling thread.
void linear_through_sgemm(const std::function<void(std::size_t, std::size_t, float*)>& to_float, std::size_t in,
                          std::size_t out, bool in_major, const float* x, std::size_t ldx, std::size_t n, float* y,
                          std::size_t ldy, bool accumulate);

// dst[i] = float(src[i]): bfloat16 is float32's upper half, so widening is exact.
void widen_bf16(const std::uint16_t* src, std::size_t count, float* dst);

}  // namespace hubbench::engine::ops
