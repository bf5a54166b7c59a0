// Matrix products on AVX-512 CPUs, their work split over OpenMP threads (gemm_avx512.cpp,
// gemv_avx512.cpp, attention_avx512.cpp). Internal to engine/ops: linear() and attention() decide
// when they run.
#pragma once
#include <cstddef>
#include <cstdlib>
#include <new>

#include "engine/ops/ops.hpp"

namespace hubbench::engine::ops {

// The pieces gemm_avx512 is built from, for other products of its shape (attention_avx512.cpp).
// A panel is up to 32 tokens of activations packed k-major (xp[k * 32 + t], 64-byte aligned); a
// block is up to 14 output features × 32 tokens (block[r * 32 + t], 64-byte aligned).
namespace gemm_blocks {
inline constexpr std::size_t panel_tokens = 32;  // two zmm of float32
inline constexpr std::size_t tile_rows = 14;     // 28 accumulators + 2 activation vectors + 1 broadcast ≤ 32 zmm

// A 64-byte aligned float buffer that only grows: one per thread, kept for the next call (the
// largest packed activations or attention scores seen stay allocated).
struct AlignedFloats {
    float* data = nullptr;
    std::size_t size = 0;
    AlignedFloats() = default;
    AlignedFloats(const AlignedFloats&) = delete;
    AlignedFloats& operator=(const AlignedFloats&) = delete;
    ~AlignedFloats() { std::free(data); }
    float* reserve(std::size_t count) {
        if (count > size) {
            std::free(data);
            size = 0;
            data = static_cast<float*>(std::aligned_alloc(64, (count * sizeof(float) + 63) / 64 * 64));
            if (data == nullptr) throw std::bad_alloc();
            size = count;
        }
        return data;
    }
};

// xp[k * 32 + t] = x[t * ldx + k] for t < tokens (≤ 32) and k < in; zero for t ≥ tokens.
void pack_panel(const float* x, std::size_t ldx, std::size_t tokens, std::size_t in, float* xp);
// block[r * 32 + t] = sum_k W(r, k) * xp[k * 32 + t] for r < rows (≤ 14), all 32 tokens; W(r, k) is
// w[r * stride + k] when `rows_contiguous`, else w[k * stride + r].
void multiply_panel(const float* xp, const float* w, std::size_t stride, bool rows_contiguous, std::size_t rows,
                    std::size_t in, float* block);
// y[t * ldy + r] (+)= block[r * 32 + t] for r < rows, t < tokens.
void store_block(const float* block, std::size_t rows, std::size_t tokens, float* y, std::size_t ldy, bool accumulate);
}  // namespace gemm_blocks

// A weight matrix: W (out, in) row-major (nn.Linear), or (in, out) when in_major (Conv1D).
struct GemmWeights {
    const void* data = nullptr;
    WeightType type = WeightType::f32;
    const float* scales = nullptr;  // int8: a float32 scale per q8_block elements (quantize.hpp)
    std::size_t in = 0, out = 0;
    bool in_major = false;
};

// Whether a product with `w` runs on vdpbf16ps (ops.hpp, avx512_bf16_enabled()): bfloat16 rows
// contiguous in k (an (out, in) matrix) and an even `in`, so that each row is whole pairs. GPT-2's
// Conv1D layout and odd widths keep the widening path.
inline bool bf16_pairs_apply(const GemmWeights& w) {
    return w.type == WeightType::bf16 && !w.in_major && w.in % 2 == 0 && avx512_bf16_enabled();
}

// y (n, out; row stride ldy) (+)= x (n, in; row stride ldx) times W (W^T for (out, in)), float32
// accumulation; with `accumulate`, y += the product (y holds the bias).
void gemm_avx512(const GemmWeights& w, const float* x, std::size_t ldx, std::size_t n, float* y, std::size_t ldy,
                 bool accumulate);
// The same for one row of x (decoding: bound by reading the weights once).
void gemv_avx512(const GemmWeights& w, const float* x, float* y, bool accumulate);

// Attention (ops::attention) over several queries with the blocks above, where
// attention_avx512_applies(): AVX-512 on, heads of 32 or wider, no soft-capping, no added biases.
bool attention_avx512_applies(const AttentionParams& p);
void attention_avx512(const AttentionParams& p, const float* q, std::size_t ldq, const float* k, std::size_t ldk,
                      const float* v, std::size_t ldv, std::size_t n, std::size_t m, float* out, std::size_t ldo);

}  // namespace hubbench::engine::ops
