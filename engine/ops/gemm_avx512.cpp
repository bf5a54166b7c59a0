// The several-row product (prefill, scoring) with AVX-512: y (n, out) (+)= x (n, in) · W, for W
// (out, in) (nn.Linear) or (in, out) (GPT-2's Conv1D, `in_major`), float32, bfloat16 or int8, always
// accumulated in float32.
//
// Why a kernel of its own:
// - bfloat16: widening blocks of W to float32 and handing them to OpenBLAS's sgemm ran at 83–91
//   GFLOP/s on BM_linear_gemm_7b against 122–155 for float32 sgemm (the widening ran on one thread
//   and sgemm packed the activations again for every block). Here each weight row is widened once,
//   by the thread that multiplies it.
// - float32: with every product on OpenMP threads, a forward pass also runs attention and the
//   row-wise ops (norms, rope, activations) on the same team, where OpenBLAS's own pthreads
//   workers would spin against it between products (engine/threads.hpp).
//
// Layout (the outer-product GEMM of BLIS/GotoBLAS, with the roles chosen so that nothing needs
// transposing but the activations):
// - the activations are packed in panels of 32 tokens, k-major: panel p holds x[32p + t][k] at
//   k * 32 + t, zero past the last token, so one k is two 16-float vectors;
// - a tile is 14 weight rows (output features). Float32 weights are read where they are: a row of
//   an (out, in) matrix is contiguous in k, a column strip of an (in, out) one is 14 floats per k.
//   bfloat16 ones are widened (int8 ones dequantized) into a float32 scratch of the same shape, once
//   per tile;
// - where the CPU has AVX512-BF16 (bf16_pairs_apply), bfloat16 weights are read in place instead and
//   the activations are packed as bfloat16 pairs (k, k + 1): vdpbf16ps does 32 multiply-adds where
//   an FMA does 16, and the pairs of a weight row are consecutive in memory, so a broadcast of 32
//   bits feeds a row's two products;
// - the micro-kernel keeps a 14 × 32 block of outputs in 28 zmm registers and, for each k,
//   broadcasts the 14 weights and issues 28 FMAs against the two activation vectors: 16 loads per
//   28 FMAs, so it is bound by the FMA units, not by loads;
// - a thread takes its tiles in groups whose weights stay in L2 (≤ 512 KiB) and runs every panel
//   through the group, so a panel is read from L2 once per group, not once per tile.
// Threads (OpenMP) pack the activations, then take runs of tiles as they go (guided); every thread
// reads all the packed activations.
#include <omp.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>

#include "engine/ops/avx512.hpp"
#include "engine/ops/gemm_avx512.hpp"
#include "engine/ops/linear_bf16.hpp"
#include "engine/ops/quantize.hpp"
#include "engine/ops/unsanitized.hpp"

namespace hubbench::engine::ops {
namespace {

using gemm_blocks::AlignedFloats;
using gemm_blocks::panel_tokens;
using gemm_blocks::tile_rows;
constexpr std::size_t group_bytes = std::size_t{512} << 10;  // a group's float32 weights, kept in L2

// The 16 × 16 transpose of rows a[0..15]: a[i][j] becomes a[j][i]. Four rounds of 16 shuffles:
// unpack pairs of rows, then 4-float groups within 128-bit lanes (after which vector w(p, c)'s lane
// L holds rows 4p..4p+3 of column 4L + c), then a 4 × 4 transpose of the lanes.
__attribute__((target("avx512f"))) inline void transpose16(__m512 a[16]) {
    __m512 u[16], w[16];
    for (int i = 0; i < 8; ++i) {
        u[2 * i] = _mm512_unpacklo_ps(a[2 * i], a[2 * i + 1]);
        u[2 * i + 1] = _mm512_unpackhi_ps(a[2 * i], a[2 * i + 1]);
    }
    for (int p = 0; p < 4; ++p) {  // w[4c + p] = w(p, c)
        w[0 + p] = _mm512_shuffle_ps(u[4 * p], u[4 * p + 2], 0x44);
        w[4 + p] = _mm512_shuffle_ps(u[4 * p], u[4 * p + 2], 0xEE);
        w[8 + p] = _mm512_shuffle_ps(u[4 * p + 1], u[4 * p + 3], 0x44);
        w[12 + p] = _mm512_shuffle_ps(u[4 * p + 1], u[4 * p + 3], 0xEE);
    }
    for (int c = 0; c < 4; ++c) {  // lanes: column 4L + c gathers lane L of w(0..3, c)
        const __m512 x0 = _mm512_shuffle_f32x4(w[4 * c], w[4 * c + 1], 0x88);
        const __m512 x1 = _mm512_shuffle_f32x4(w[4 * c], w[4 * c + 1], 0xDD);
        const __m512 x2 = _mm512_shuffle_f32x4(w[4 * c + 2], w[4 * c + 3], 0x88);
        const __m512 x3 = _mm512_shuffle_f32x4(w[4 * c + 2], w[4 * c + 3], 0xDD);
        a[c] = _mm512_shuffle_f32x4(x0, x2, 0x88);
        a[4 + c] = _mm512_shuffle_f32x4(x1, x3, 0x88);
        a[8 + c] = _mm512_shuffle_f32x4(x0, x2, 0xDD);
        a[12 + c] = _mm512_shuffle_f32x4(x1, x3, 0xDD);
    }
}

// xp[p][k][t] = x[32p + t][k], zero for tokens ≥ n: the slice [k0, k0 + count) of panel p, 16
// tokens × 16 k at a time through transpose16.
HUBBENCH_UNSANITIZED __attribute__((target("avx512f"))) void pack_activations(const float* x, std::size_t ldx, std::size_t n,
                                                                            std::size_t in, std::size_t p, std::size_t k0,
                                                                            std::size_t count, float* xp) {
    float* dst = xp + p * in * panel_tokens;
    const std::size_t tokens = std::min(panel_tokens, n - p * panel_tokens);
    for (std::size_t kb = k0; kb < k0 + count; kb += 16) {
        const std::size_t ks = std::min<std::size_t>(16, k0 + count - kb);
        const auto kmask = static_cast<__mmask16>((1u << ks) - 1u);
        for (std::size_t half = 0; half < 2; ++half) {
            __m512 a[16];
            for (std::size_t t = 0; t < 16; ++t) {
                const std::size_t token = half * 16 + t;  // within the panel
                a[t] = token < tokens ? _mm512_maskz_loadu_ps(kmask, x + (p * panel_tokens + token) * ldx + kb)
                                      : _mm512_setzero_ps();  // the last panel's padding
            }
            transpose16(a);
            for (std::size_t j = 0; j < ks; ++j) _mm512_store_ps(dst + (kb + j) * panel_tokens + half * 16, a[j]);
        }
    }
}

// The bfloat16-pair panels (bf16_pairs_apply): 32-bit element kp * 32 + t of panel p holds
// x[32p + t][2kp] in its low half and x[32p + t][2kp + 1] in its high half, both rounded to nearest
// even (vcvtne2ps2bf16), zero for tokens ≥ n. 16 tokens × 32 k at a time: each token's 32 floats
// become 16 pairs, then the 16 × 16 transpose of those 32-bit pairs. k0 and count are even.
HUBBENCH_UNSANITIZED __attribute__((target("avx512f,avx512bf16"))) void pack_activation_pairs(
    const float* x, std::size_t ldx, std::size_t n, std::size_t in, std::size_t p, std::size_t k0, std::size_t count,
    float* xp) {
    float* dst = xp + p * (in / 2) * panel_tokens;
    const std::size_t tokens = std::min(panel_tokens, n - p * panel_tokens);
    for (std::size_t kb = k0; kb < k0 + count; kb += 32) {
        const std::size_t ks = std::min<std::size_t>(32, k0 + count - kb);
        const auto low = static_cast<__mmask16>(ks >= 16 ? 0xffffu : (1u << ks) - 1u);
        const auto high = static_cast<__mmask16>(ks >= 32 ? 0xffffu : ks > 16 ? (1u << (ks - 16)) - 1u : 0u);
        for (std::size_t half = 0; half < 2; ++half) {
            __m512 a[16];
            for (std::size_t t = 0; t < 16; ++t) {
                const std::size_t token = half * 16 + t;
                if (token >= tokens) {
                    a[t] = _mm512_setzero_ps();
                    continue;
                }
                const float* row = x + (p * panel_tokens + token) * ldx + kb;
                a[t] = reinterpret_cast<__m512>(
                    _mm512_cvtne2ps_pbh(_mm512_maskz_loadu_ps(high, row + 16), _mm512_maskz_loadu_ps(low, row)));
            }
            transpose16(a);
            for (std::size_t j = 0; j < ks / 2; ++j) _mm512_store_ps(dst + (kb / 2 + j) * panel_tokens + half * 16, a[j]);
        }
    }
}

// A tile of weights as the micro-kernel reads it: element (r, k) at w[r * stride + k] when the
// rows are contiguous in k (`rows_contiguous`), else at w[k * stride + r].
struct Tile {
    const void* w;  // float32, or bfloat16 for pair_kernel
    std::size_t stride;
};

// out[r][t] = sum_k W(r, k) * xp[k * 32 + t], for R rows and 32 tokens.
// Uninstrumented (unsanitized.hpp): checking its 16 loads per 28 FMAs made it 60% of a sanitizer
// build's perplexity run.
template <std::size_t R, bool rows_contiguous>
HUBBENCH_UNSANITIZED __attribute__((target("avx512f"))) void micro_kernel(const float* xp, Tile tile, std::size_t in, float* out) {
    __m512 acc[R][2];
#pragma GCC unroll 14
    for (std::size_t r = 0; r < R; ++r) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
    for (std::size_t k = 0; k < in; ++k) {
        const __m512 x0 = _mm512_load_ps(xp + k * panel_tokens);
        const __m512 x1 = _mm512_load_ps(xp + k * panel_tokens + 16);
        const float* w0 = static_cast<const float*>(tile.w);
        const float* wk = rows_contiguous ? w0 + k : w0 + k * tile.stride;
#pragma GCC unroll 14
        for (std::size_t r = 0; r < R; ++r) {
            const __m512 w = _mm512_set1_ps(rows_contiguous ? wk[r * tile.stride] : wk[r]);
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

// The same block from bfloat16 rows (element (r, k) at w[r * stride + k]) and the pair panels of
// pack_activation_pairs: per pair of k, 2 loads, R 32-bit broadcasts and 2R vdpbf16ps.
template <std::size_t R>
HUBBENCH_UNSANITIZED __attribute__((target("avx512f,avx512bf16"))) void pair_kernel(const float* xp, Tile tile, std::size_t in,
                                                                                   float* out) {
    __m512 acc[R][2];
#pragma GCC unroll 14
    for (std::size_t r = 0; r < R; ++r) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
    const auto* w = static_cast<const std::uint16_t*>(tile.w);
    for (std::size_t kp = 0; kp < in / 2; ++kp) {
        const auto x0 = reinterpret_cast<__m512bh>(_mm512_load_ps(xp + kp * panel_tokens));
        const auto x1 = reinterpret_cast<__m512bh>(_mm512_load_ps(xp + kp * panel_tokens + 16));
#pragma GCC unroll 14
        for (std::size_t r = 0; r < R; ++r) {
            std::uint32_t pair;
            std::memcpy(&pair, w + r * tile.stride + 2 * kp, sizeof pair);
            const auto wr = reinterpret_cast<__m512bh>(_mm512_set1_epi32(static_cast<int>(pair)));
            acc[r][0] = _mm512_dpbf16_ps(acc[r][0], wr, x0);
            acc[r][1] = _mm512_dpbf16_ps(acc[r][1], wr, x1);
        }
    }
#pragma GCC unroll 14
    for (std::size_t r = 0; r < R; ++r) {
        _mm512_storeu_ps(out + r * panel_tokens, acc[r][0]);
        _mm512_storeu_ps(out + r * panel_tokens + 16, acc[r][1]);
    }
}

using MicroKernel = void (*)(const float*, Tile, std::size_t, float*);

template <bool rows_contiguous, std::size_t... R>
constexpr auto kernel_table(std::index_sequence<R...>) {
    return std::array<MicroKernel, sizeof...(R)>{&micro_kernel<R + 1, rows_contiguous>...};
}
template <std::size_t... R>
constexpr auto pair_kernel_table(std::index_sequence<R...>) {
    return std::array<MicroKernel, sizeof...(R)>{&pair_kernel<R + 1>...};
}
constexpr auto row_kernels = kernel_table<true>(std::make_index_sequence<tile_rows>{});
constexpr auto column_kernels = kernel_table<false>(std::make_index_sequence<tile_rows>{});
constexpr auto pair_kernels = pair_kernel_table(std::make_index_sequence<tile_rows>{});

// bfloat16 W (in, out), columns [r0, r0 + rows) widened k-major: dst[k * 16 + r].
__attribute__((target("avx512f,avx512bw,avx512vl"))) void widen_columns(const std::uint16_t* w, std::size_t in,
                                                                         std::size_t out, std::size_t r0,
                                                                         std::size_t rows, float* dst) {
    const auto mask = static_cast<__mmask16>((1u << rows) - 1u);
    for (std::size_t k = 0; k < in; ++k) {
        const __m256i h = _mm256_maskz_loadu_epi16(mask, w + k * out + r0);
        _mm512_store_ps(dst + k * 16, _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16)));
    }
}

// int8 W (in, out), columns [r0, r0 + rows) as float32 k-major: dst[k * 16 + r]. The ≤ 14 columns
// of a row may straddle two blocks of 32, so each lane takes its own block's scale.
__attribute__((target("avx512f,avx512bw,avx512vl"))) void dequantize_columns(const std::int8_t* w, const float* scales,
                                                                              std::size_t in, std::size_t out,
                                                                              std::size_t r0, std::size_t rows,
                                                                              float* dst) {
    const auto mask = static_cast<__mmask16>((1u << rows) - 1u);
    for (std::size_t k = 0; k < in; ++k) {
        const std::size_t first = k * out + r0, block = first / q8_block, second = q8_block - first % q8_block;
        const auto in_second = static_cast<__mmask16>(second < rows ? mask & ~((1u << second) - 1u) : 0u);
        __m512 d = _mm512_set1_ps(scales[block]);
        if (in_second) d = _mm512_mask_mov_ps(d, in_second, _mm512_set1_ps(scales[block + 1]));
        const __m128i q = _mm_maskz_loadu_epi8(mask, w + first);
        _mm512_store_ps(dst + k * 16, _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(q)), d));
    }
}

// Rows of `in` elements of `bytes` each, as a tile's rows sit in scratch: one cache line longer
// where a row is a multiple of 4 KiB. The micro-kernels read 14 rows side by side; rows 4 KiB
// apart all fall in one set of the 8-way L1 and evict each other (bfloat16 on vdpbf16ps,
// 2026-12-05, 128 tokens × 4096 → 14336: 343 GFLOP/s, against 442 with 4128 inputs).
std::size_t scratch_stride(std::size_t in, std::size_t bytes) { return (in * bytes) % 4096 == 0 ? in + 64 / bytes : in; }

// Whether rows of the matrix itself are 4 KiB multiples apart, so a tile read in place would
// evict itself (above): then it is copied to scratch with the longer stride first.
bool rows_alias(std::size_t in, std::size_t bytes) { return scratch_stride(in, bytes) != in; }

// Whether the kernel reads a tile where the weights are (float32, or bfloat16 for pair_kernel),
// rather than from `scratch`: not where their rows alias, nor where they must be widened or
// dequantized first.
bool read_in_place(const GemmWeights& w, bool pairs) {
    if (pairs) return !rows_alias(w.in, 2);
    return w.type == WeightType::f32 && (w.in_major || !rows_alias(w.in, sizeof(float)));
}

// The tile of rows [r0, r0 + rows): in place where read_in_place(), else copied, widened or
// dequantized into `scratch` (rows scratch_stride(in, 4) apart, or scratch_stride(in, 2)
// bfloat16s for pair_kernel; in × 16 k-major for an (in, out) matrix).
Tile tile_of(const GemmWeights& w, bool pairs, std::size_t r0, std::size_t rows, float* scratch) {
    const std::size_t in = w.in;
    const bool in_place = read_in_place(w, pairs);
    if (pairs) {
        const auto* b = static_cast<const std::uint16_t*>(w.data) + r0 * in;
        if (in_place) return {b, in};
        auto* copy = reinterpret_cast<std::uint16_t*>(scratch);
        const std::size_t stride = scratch_stride(in, 2);
        for (std::size_t r = 0; r < rows; ++r) std::memcpy(copy + r * stride, b + r * in, in * sizeof(std::uint16_t));
        return {copy, stride};
    }
    const std::size_t stride = scratch_stride(in, sizeof(float));
    switch (w.type) {
        case WeightType::f32: {
            const auto* f = static_cast<const float*>(w.data);
            if (in_place) return w.in_major ? Tile{f + r0, w.out} : Tile{f + r0 * in, in};
            for (std::size_t r = 0; r < rows; ++r) std::memcpy(scratch + r * stride, f + (r0 + r) * in, in * sizeof(float));
            return {scratch, stride};
        }
        case WeightType::bf16: {
            const auto* b = static_cast<const std::uint16_t*>(w.data);
            if (w.in_major) {
                widen_columns(b, in, w.out, r0, rows, scratch);
                return {scratch, 16};
            }
            for (std::size_t r = 0; r < rows; ++r) widen_bf16(b + (r0 + r) * in, in, scratch + r * stride);
            return {scratch, stride};
        }
        case WeightType::q8: {
            const auto* q = static_cast<const std::int8_t*>(w.data);
            if (w.in_major) {
                dequantize_columns(q, w.scales, in, w.out, r0, rows, scratch);
                return {scratch, 16};
            }
            for (std::size_t r = 0; r < rows; ++r) dequantize_q8(q, w.scales, (r0 + r) * in, in, scratch + r * stride);
            return {scratch, stride};
        }
    }
    return {};
}

}  // namespace

namespace gemm_blocks {

void pack_panel(const float* x, std::size_t ldx, std::size_t tokens, std::size_t in, float* xp) {
    pack_activations(x, ldx, tokens, in, 0, 0, in, xp);
}

void multiply_panel(const float* xp, const float* w, std::size_t stride, bool rows_contiguous, std::size_t rows,
                    std::size_t in, float* block) {
    (rows_contiguous ? row_kernels : column_kernels)[rows - 1](xp, Tile{w, stride}, in, block);
}

// Each 16-token half of the block transposed in registers, then one masked store per token. A
// gather per token (the block's column t) had cost 7.7% of a float32 prefill in perf: gathers are
// slow on this CPU.
HUBBENCH_UNSANITIZED __attribute__((target("avx512f"))) void store_block(const float* block, std::size_t rows,
                                                                       std::size_t tokens, float* y, std::size_t ldy,
                                                                       bool accumulate) {
    const auto mask = static_cast<__mmask16>((1u << rows) - 1u);
    for (std::size_t half = 0; half * 16 < tokens; ++half) {
        __m512 a[16];
        for (std::size_t r = 0; r < 16; ++r)
            a[r] = r < rows ? _mm512_load_ps(block + r * panel_tokens + half * 16) : _mm512_setzero_ps();
        transpose16(a);
        const std::size_t count = std::min<std::size_t>(16, tokens - half * 16);
        for (std::size_t t = 0; t < count; ++t) {
            float* yt = y + (half * 16 + t) * ldy;
            const __m512 v = accumulate ? _mm512_add_ps(a[t], _mm512_maskz_loadu_ps(mask, yt)) : a[t];
            _mm512_mask_storeu_ps(yt, mask, v);
        }
    }
}

}  // namespace gemm_blocks

void gemm_avx512(const GemmWeights& w, const float* x, std::size_t ldx, std::size_t n, float* y, std::size_t ldy,
                 bool accumulate) {
    const std::size_t in = w.in, out = w.out;
    const bool pairs = bf16_pairs_apply(w);
    const std::size_t panels = (n + panel_tokens - 1) / panel_tokens;
    const std::size_t panel_floats = (pairs ? in / 2 : in) * panel_tokens;  // a pair is 32 bits too
    thread_local AlignedFloats packed;
    float* xp = packed.reserve(panels * panel_floats);
    constexpr std::size_t pack_slice = 256;  // k per packing job
    const std::size_t slices = (in + pack_slice - 1) / pack_slice;

    const std::size_t tiles = (out + tile_rows - 1) / tile_rows;
    const std::size_t weight_bytes = pairs ? 2 : sizeof(float);  // as the kernel reads them
    const std::size_t group = std::clamp<std::size_t>(group_bytes / (tile_rows * in * weight_bytes), 1, 16);
    const auto& kernels = pairs ? pair_kernels : w.in_major ? column_kernels : row_kernels;
    // Scratch per tile (tile_of): 16 × scratch_stride(in, 4) floats hold either layout.
    const std::size_t tile_scratch = read_in_place(w, pairs) ? 0 : scratch_stride(in, sizeof(float)) * 16;
    std::atomic<std::size_t> next_tile{0};
#pragma omp parallel
    {
#pragma omp for schedule(static)
        for (std::size_t job = 0; job < panels * slices; ++job) {
            const std::size_t k0 = job % slices * pack_slice;
            if (pairs) pack_activation_pairs(x, ldx, n, in, job / slices, k0, std::min(pack_slice, in - k0), xp);
            else pack_activations(x, ldx, n, in, job / slices, k0, std::min(pack_slice, in - k0), xp);
        }  // the implicit barrier: every panel is packed before any tile reads it
        thread_local AlignedFloats widened;
        float* scratch = widened.reserve(std::max<std::size_t>(group * tile_scratch, 16));
        std::array<Tile, 16> group_tiles;
        alignas(64) float block[tile_rows * panel_tokens];
        // Threads take runs of tiles from a shared counter, each run then a group: a run is half of
        // a thread's share of the tiles left, at most a group, at least a tile (OpenMP's guided
        // schedule). Equal runs fixed up front had the threads wait for each other at the end of
        // every product: in perf, 4-5% of a float32 prefill of the 110M bench model went to
        // OpenMP's barrier waits, half on each thread (this VM's cores are not equally fast from
        // one moment to the next).
        const auto threads = static_cast<std::size_t>(omp_get_num_threads());
        for (;;) {
            std::size_t first = next_tile.load(std::memory_order_relaxed), count = 0;
            do {
                if (first >= tiles) break;
                count = std::clamp<std::size_t>((tiles - first) / (2 * threads), 1, group);
            } while (!next_tile.compare_exchange_weak(first, first + count, std::memory_order_relaxed));
            if (first >= tiles) break;
            for (std::size_t i = 0; i < count; ++i) {
                const std::size_t r0 = (first + i) * tile_rows;
                group_tiles[i] = tile_of(w, pairs, r0, std::min(tile_rows, out - r0), scratch + i * tile_scratch);
            }
            for (std::size_t p = 0; p < panels; ++p) {
                const std::size_t t0 = p * panel_tokens, tokens = std::min(panel_tokens, n - t0);
                for (std::size_t i = 0; i < count; ++i) {
                    const std::size_t r0 = (first + i) * tile_rows, rows = std::min(tile_rows, out - r0);
                    kernels[rows - 1](xp + p * panel_floats, group_tiles[i], in, block);
                    gemm_blocks::store_block(block, rows, tokens, y + t0 * ldy + r0, ldy, accumulate);
                }
            }
        }
    }
}

}  // namespace hubbench::engine::ops
