// One row times a weight matrix with AVX-512 (decoding: a step reads every weight once, so it is
// bound by memory bandwidth): y (out) (+)= W x for W (out, in), or x W for W (in, out) (Conv1D),
// float32, bfloat16 or int8 weights, float32 accumulation. Output rows (or columns) are split over
// OpenMP threads in blocks of 64 from 64k weights up: a 768 × 768 projection on one thread read
// its weights at about half the bandwidth of two (BM_engine_decode_bf16: 0.62 of the bound with
// the split from 1M weights, 0.78–0.83 from 64k, in one session).
// Each thread reads its rows one after the other, one sequential stream. An earlier scheme read
// four rows at once (one x load serving four) with the next four prefetched in software: on this
// session's CPU (AMD EPYC, Zen 4, 2 vCPUs, 2026-12-05) its four interleaved streams of short rows
// read 21–29 GB/s over the 110M bench model's matrices in sequence (a driver timing gemv alone,
// the two schemes alternated three times), against 49–50 GB/s float32, 32–46 bfloat16 and 29–32
// int8 one row at a time; in decode, float32 went from about 60 to 69–96 tok/s and bfloat16 from
// about 97 to 150–159. (On the Intel Ice Lake
// of earlier sessions the four-row scheme's prefetch had lifted bfloat16 decode from 40–60 to
// 74–88 tok/s; the one-row scheme has not been measured there.)
// Where bfloat16 products run on vdpbf16ps (gemm_avx512.hpp's bf16_pairs_apply), x is rounded to
// bfloat16 once per call and each instruction sums 32 products of a row read in place, as the
// several-row kernel does, so a prompt and its decoding see the same rounding.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/ops/avx512.hpp"
#include "engine/ops/gemm_avx512.hpp"

namespace hubbench::engine::ops {
namespace {

constexpr std::size_t block = 64;  // output rows (or columns) per OpenMP job
constexpr std::size_t parallel_weights = std::size_t{1} << 16;

// 16 weights from element i of p as float32, the first `m` lanes (mask m): bfloat16 widened (a
// 16-bit shift), int8 times its block's scale (i is a multiple of 16 and rows hold whole blocks of
// 32, so the 16 share one; quantize.hpp).
template <WeightType T>
__attribute__((target("avx512f,avx512bw,avx512vl"))) inline __m512 load16(const void* p, const float* scales, std::size_t i,
                                                                             __mmask16 m) {
    if constexpr (T == WeightType::f32) {
        return _mm512_maskz_loadu_ps(m, static_cast<const float*>(p) + i);
    } else if constexpr (T == WeightType::bf16) {
        const __m256i h = _mm256_maskz_loadu_epi16(m, static_cast<const std::uint16_t*>(p) + i);
        return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
    } else {
        const __m128i q = _mm_maskz_loadu_epi8(m, static_cast<const std::int8_t*>(p) + i);
        const float d = m != 0 ? scales[i / q8_block] : 0.0f;  // no lanes: i may be the end
        return _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(q)), _mm512_set1_ps(d));
    }
}

constexpr __mmask16 all = 0xffff;

// Rows [r0, r1) are read one after the other, each with four accumulators (64 weights a step):
// one sequential stream per thread, which the hardware prefetcher follows. See the header for
// the four-row scheme this replaced. (A software prefetch of the row four ahead, kept for int8 at
// first, read 21–22 GB/s on the 7B shapes' int8 rows against 25–26 without, five alternations;
// on the 110M model's rows the two were within this VM's noise, 27–35 GB/s.)
//
// y[r] (+)= dot(W row r, x) for rows [r0, r1) of W (out, in).
template <WeightType T>
__attribute__((target("avx512f,avx512bw,avx512vl"))) void dot_rows(const void* w, const float* scales, std::size_t in, std::size_t r0,
                                                                     std::size_t r1, const float* x, float* y,
                                                                     bool accumulate) {
    const std::size_t full = in / 16 * 16;
    const auto tail = static_cast<__mmask16>((1u << (in - full)) - 1u);
    for (std::size_t r = r0; r < r1; ++r) {
        const std::size_t o = r * in;
        __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps(), a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
        std::size_t i = 0;
        for (; i + 64 <= full; i += 64) {
            a0 = _mm512_fmadd_ps(load16<T>(w, scales, o + i, all), _mm512_loadu_ps(x + i), a0);
            a1 = _mm512_fmadd_ps(load16<T>(w, scales, o + i + 16, all), _mm512_loadu_ps(x + i + 16), a1);
            a2 = _mm512_fmadd_ps(load16<T>(w, scales, o + i + 32, all), _mm512_loadu_ps(x + i + 32), a2);
            a3 = _mm512_fmadd_ps(load16<T>(w, scales, o + i + 48, all), _mm512_loadu_ps(x + i + 48), a3);
        }
        for (; i < full; i += 16) a0 = _mm512_fmadd_ps(load16<T>(w, scales, o + i, all), _mm512_loadu_ps(x + i), a0);
        if (tail) a1 = _mm512_fmadd_ps(load16<T>(w, scales, o + full, tail), _mm512_maskz_loadu_ps(tail, x + full), a1);
        y[r] = (accumulate ? y[r] : 0.0f) + _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)));
    }
}

// y[c] (+)= sum_k x[k] W[k][c] for columns [c0, c1) of W (in, out), c1 - c0 ≤ 64: four column
// vectors accumulate while W is read row by row.
template <WeightType T>
__attribute__((target("avx512f,avx512bw,avx512vl"))) void axpy_columns(const void* w, const float* scales, std::size_t in, std::size_t out,
                                                                         std::size_t c0, std::size_t c1, const float* x,
                                                                         float* y, bool accumulate) {
    __m512 acc[4];
    __mmask16 mask[4];
    for (std::size_t j = 0; j < 4; ++j) {
        const std::size_t begin = std::min(c1, c0 + 16 * j), width = std::min<std::size_t>(16, c1 - begin);
        mask[j] = static_cast<__mmask16>((1u << width) - 1u);
        acc[j] = _mm512_setzero_ps();
    }
    for (std::size_t k = 0; k < in; ++k) {
        const __m512 xk = _mm512_set1_ps(x[k]);
        for (std::size_t j = 0; j < 4; ++j)
            acc[j] = _mm512_fmadd_ps(load16<T>(w, scales, k * out + c0 + 16 * j, mask[j]), xk, acc[j]);
    }
    for (std::size_t j = 0; j < 4; ++j) {
        float* yj = y + c0 + 16 * j;
        const __m512 prior = accumulate ? _mm512_maskz_loadu_ps(mask[j], yj) : _mm512_setzero_ps();
        _mm512_mask_storeu_ps(yj, mask[j], _mm512_add_ps(prior, acc[j]));
    }
}

// x rounded to bfloat16, to nearest even (vcvtneps2bf16).
__attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16"))) void round_to_bf16(const float* x, std::size_t in,
                                                                                     std::uint16_t* xb) {
    for (std::size_t i = 0; i < in; i += 16) {
        const auto m = static_cast<__mmask16>(in - i >= 16 ? 0xffffu : (1u << (in - i)) - 1u);
        _mm256_mask_storeu_epi16(xb + i, m, reinterpret_cast<__m256i>(_mm512_cvtneps_pbh(_mm512_maskz_loadu_ps(m, x + i))));
    }
}

__attribute__((target("avx512f,avx512bw,avx512bf16"))) inline __m512bh load32(const std::uint16_t* p, __mmask32 m) {
    return reinterpret_cast<__m512bh>(_mm512_maskz_loadu_epi16(m, p));
}

// dot_rows for bfloat16 rows and the rounded x, 32 products per vdpbf16ps.
__attribute__((target("avx512f,avx512bw,avx512bf16"))) void dot_pair_rows(const std::uint16_t* w, std::size_t in, std::size_t r0,
                                                                          std::size_t r1, const std::uint16_t* xb, float* y,
                                                                          bool accumulate) {
    const std::size_t full = in / 32 * 32;
    const auto tail = static_cast<__mmask32>((std::uint64_t{1} << (in - full)) - 1u);
    constexpr auto every = static_cast<__mmask32>(0xffffffffu);
    for (std::size_t r = r0; r < r1; ++r) {
        const std::uint16_t* row = w + r * in;
        __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps(), a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
        std::size_t i = 0;
        for (; i + 128 <= full; i += 128) {
            a0 = _mm512_dpbf16_ps(a0, load32(row + i, every), load32(xb + i, every));
            a1 = _mm512_dpbf16_ps(a1, load32(row + i + 32, every), load32(xb + i + 32, every));
            a2 = _mm512_dpbf16_ps(a2, load32(row + i + 64, every), load32(xb + i + 64, every));
            a3 = _mm512_dpbf16_ps(a3, load32(row + i + 96, every), load32(xb + i + 96, every));
        }
        for (; i < full; i += 32) a0 = _mm512_dpbf16_ps(a0, load32(row + i, every), load32(xb + i, every));
        if (tail) a1 = _mm512_dpbf16_ps(a1, load32(row + full, tail), load32(xb + full, tail));
        y[r] = (accumulate ? y[r] : 0.0f) + _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)));
    }
}

// rows(r0, r1) for blocks of `block` output rows (or columns), on OpenMP threads from
// parallel_weights weights up.
template <class Rows>
void over_blocks(const GemmWeights& w, Rows rows) {
    const std::size_t blocks = (w.out + block - 1) / block;
#pragma omp parallel for schedule(static) if (w.in * w.out >= parallel_weights)
    for (std::size_t b = 0; b < blocks; ++b) rows(b * block, std::min(w.out, b * block + block));
}

void gemv_pairs(const GemmWeights& w, const float* x, float* y, bool accumulate) {
    thread_local std::vector<std::uint16_t> rounded;
    rounded.resize(w.in);
    round_to_bf16(x, w.in, rounded.data());
    const std::uint16_t* xb = rounded.data();
    const auto* weights = static_cast<const std::uint16_t*>(w.data);
    over_blocks(w, [&](std::size_t r0, std::size_t r1) { dot_pair_rows(weights, w.in, r0, r1, xb, y, accumulate); });
}

template <WeightType T>
void gemv(const GemmWeights& w, const float* x, float* y, bool accumulate) {
    over_blocks(w, [&](std::size_t r0, std::size_t r1) {
        if (w.in_major) axpy_columns<T>(w.data, w.scales, w.in, w.out, r0, r1, x, y, accumulate);
        else dot_rows<T>(w.data, w.scales, w.in, r0, r1, x, y, accumulate);
    });
}

}  // namespace

void gemv_avx512(const GemmWeights& w, const float* x, float* y, bool accumulate) {
    switch (w.type) {
        case WeightType::f32: gemv<WeightType::f32>(w, x, y, accumulate); break;
        case WeightType::bf16:
            if (bf16_pairs_apply(w)) gemv_pairs(w, x, y, accumulate);
            else gemv<WeightType::bf16>(w, x, y, accumulate);
            break;
        case WeightType::q8: gemv<WeightType::q8>(w, x, y, accumulate); break;
    }
}

}  // namespace hubbench::engine::ops
