// The several-row bfloat16 product (prefill, scoring) with AVX-512: y (n, out) (+)= x (n, in) W^T,
// W (out, in) row-major bfloat16, accumulated in float32.
//
// Why a kernel of its own: widening blocks of W to float32 and handing them to OpenBLAS's sgemm
// (linear_bf16.cpp's portable path) ran at 83–91 GFLOP/s on BM_linear_gemm_7b against 122–155 for
// float32 sgemm, because the widening ran on one thread and sgemm packed the activations again for
// every block. Here the activations are packed once per call and each weight row is widened once,
// by the thread that multiplies it.
//
// Layout (the outer-product GEMM of BLIS/GotoBLAS, with the roles chosen so that nothing needs
// transposing but the activations):
// - the activations are packed in panels of 32 tokens, k-major: panel p holds x[32p + t][k] at
//   k * 32 + t, zero past the last token, so one k is two 16-float vectors;
// - a tile is 14 weight rows, widened into a float32 scratch (contiguous rows, a straight copy);
// - the micro-kernel keeps a 14 × 32 block of outputs in 28 zmm registers and, for each k,
//   broadcasts the 14 weights and issues 28 FMAs against the two activation vectors: 16 loads per
//   28 FMAs, so it is bound by the FMA units, not by loads.
// Threads (OpenMP) pack the activations, then take tiles of weight rows; every thread reads all
// the packed activations. OpenBLAS is kept off its own workers meanwhile (engine/threads.hpp).
#include <immintrin.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <utility>

#include "engine/ops/linear_bf16.hpp"

namespace hubbench::engine::ops {
namespace {

constexpr std::size_t panel_tokens = 32;  // two zmm of float32
constexpr std::size_t tile_rows = 14;     // 28 accumulators + 2 activation vectors + 1 broadcast ≤ 32 zmm

// A 64-byte aligned float buffer that only grows: one per thread, kept for the next product
// (the largest activation panel seen stays allocated: n × in floats, rounded up to 32 tokens).
struct AlignedFloats {
    float* data = nullptr;
    std::size_t size = 0;
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

// xp[p][k][t] = x[32p + t][k], zero for tokens ≥ n: the slice [k0, k0 + count) of panel p. A
// slice of 16 k is 2 KiB of the panel, rewritten by all 32 tokens while it is in L1.
void pack_activations(const float* x, std::size_t ldx, std::size_t n, std::size_t in, std::size_t p, std::size_t k0,
                      std::size_t count, float* xp) {
    float* dst = xp + p * in * panel_tokens;
    const std::size_t tokens = std::min(panel_tokens, n - p * panel_tokens);
    for (std::size_t kb = k0; kb < k0 + count; kb += 16) {
        const std::size_t ke = std::min(kb + 16, k0 + count);
        for (std::size_t t = 0; t < tokens; ++t) {
            const float* row = x + (p * panel_tokens + t) * ldx;
            for (std::size_t k = kb; k < ke; ++k) dst[k * panel_tokens + t] = row[k];
        }
        for (std::size_t t = tokens; t < panel_tokens; ++t)  // the last panel's padding
            for (std::size_t k = kb; k < ke; ++k) dst[k * panel_tokens + t] = 0.0f;
    }
}

// out[r][t] = sum_k wf[r * in + k] * xp[k * 32 + t], for R rows and 32 tokens.
template <std::size_t R>
__attribute__((target("avx512f"))) void micro_kernel(const float* xp, const float* wf, std::size_t in, float* out) {
    __m512 acc[R][2];
#pragma GCC unroll 14
    for (std::size_t r = 0; r < R; ++r) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
    for (std::size_t k = 0; k < in; ++k) {
        const __m512 x0 = _mm512_load_ps(xp + k * panel_tokens);
        const __m512 x1 = _mm512_load_ps(xp + k * panel_tokens + 16);
#pragma GCC unroll 14
        for (std::size_t r = 0; r < R; ++r) {
            const __m512 w = _mm512_set1_ps(wf[r * in + k]);
            acc[r][0] = _mm512_fmadd_ps(w, x0, acc[r][0]);
            acc[r][1] = _mm512_fmadd_ps(w, x1, acc[r][1]);
        }
    }
#pragma GCC unroll 14
    for (std::size_t r = 0; r < R; ++r) {
        _mm512_storeu_ps(out + r * panel_tokens, acc[r][0]);
        _mm512_storeu_ps(out + r * panel_tokens + 16, acc[r][1]);
    }
}

using MicroKernel = void (*)(const float*, const float*, std::size_t, float*);

template <std::size_t... R>
constexpr auto kernel_table(std::index_sequence<R...>) {
    return std::array<MicroKernel, sizeof...(R)>{&micro_kernel<R + 1>...};
}
constexpr auto kernels = kernel_table(std::make_index_sequence<tile_rows>{});

}  // namespace

void gemm_bf16_avx512(const std::uint16_t* w, std::size_t in, std::size_t out, const float* x, std::size_t ldx,
                      std::size_t n, float* y, std::size_t ldy, bool accumulate) {
    const std::size_t panels = (n + panel_tokens - 1) / panel_tokens;
    thread_local AlignedFloats packed;
    float* xp = packed.reserve(panels * in * panel_tokens);
    constexpr std::size_t pack_slice = 256;  // k per packing job
    const std::size_t slices = (in + pack_slice - 1) / pack_slice;

    const std::size_t tiles = (out + tile_rows - 1) / tile_rows;
#pragma omp parallel
    {
#pragma omp for schedule(static)
        for (std::size_t job = 0; job < panels * slices; ++job) {
            const std::size_t k0 = job % slices * pack_slice;
            pack_activations(x, ldx, n, in, job / slices, k0, std::min(pack_slice, in - k0), xp);
        }  // the implicit barrier: every panel is packed before any tile reads it
        thread_local AlignedFloats widened;
        float* wf = widened.reserve(tile_rows * in);
        alignas(64) float block[tile_rows * panel_tokens];
#pragma omp for schedule(static)
        for (std::size_t tile = 0; tile < tiles; ++tile) {
            const std::size_t r0 = tile * tile_rows, rows = std::min(tile_rows, out - r0);
            widen_bf16(w + r0 * in, rows * in, wf);
            for (std::size_t p = 0; p < panels; ++p) {
                kernels[rows - 1](xp + p * in * panel_tokens, wf, in, block);
                const std::size_t t0 = p * panel_tokens, tokens = std::min(panel_tokens, n - t0);
                for (std::size_t t = 0; t < tokens; ++t) {
                    float* yt = y + (t0 + t) * ldy + r0;
                    for (std::size_t r = 0; r < rows; ++r)
                        yt[r] = (accumulate ? yt[r] : 0.0f) + block[r * panel_tokens + t];
                }
            }
        }
    }
}

}  // namespace hubbench::engine::ops
