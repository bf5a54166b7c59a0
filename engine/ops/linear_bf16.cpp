// bfloat16 weights times float32 activations where the CPU has no AVX-512 (or HUBBENCH_NO_AVX512=1):
// widening bf16 to f32 is a 16-bit shift (bfloat16 is the upper half of a float32), so every
// product is exact and only the summation order differs from a float32 product of the widened
// weights. On AVX-512 CPUs linear() uses gemm_avx512.cpp / gemv_avx512.cpp instead.
//
// - One row: a dot product per output row that reads the weights once, at half the bytes of
//   float32.
// - Several rows: a block of weight rows is widened into a float32 scratch and multiplied with
//   OpenBLAS's sgemm: simple and exact, but below sgemm speed, as the widening runs on the calling
//   thread and sgemm packs the activations again for every block (83–91 GFLOP/s on
//   BM_linear_gemm_7b against 122–155 for float32 sgemm).
#include "engine/ops/linear_bf16.hpp"

#include <cblas.h>

#include <algorithm>
#include <vector>

#include "engine/ops/avx512.hpp"
#include "engine/ops/ops.hpp"

namespace hubbench::engine::ops {
namespace {

inline float widen(std::uint16_t b) {
    const std::uint32_t bits = static_cast<std::uint32_t>(b) << 16;
    float f;
    __builtin_memcpy(&f, &bits, sizeof f);
    return f;
}

// ---- portable kernels ----

void widen_portable(const std::uint16_t* src, std::size_t count, float* dst) {
    for (std::size_t i = 0; i < count; ++i) dst[i] = widen(src[i]);
}

float dot_portable(const std::uint16_t* w, const float* x, std::size_t in) {
    float partial[8] = {};
    std::size_t i = 0;
    for (; i + 8 <= in; i += 8)
        for (std::size_t j = 0; j < 8; ++j) partial[j] += widen(w[i + j]) * x[i + j];
    float sum = 0.0f;
    for (float p : partial) sum += p;
    for (; i < in; ++i) sum += widen(w[i]) * x[i];
    return sum;
}

// ---- AVX-512 kernels ----

__attribute__((target("avx512f,avx512bw,avx512vl"))) inline __m512 load_bf16(const std::uint16_t* p) {
    const __m256i h = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
}

__attribute__((target("avx512f,avx512bw,avx512vl"))) void widen_avx512(const std::uint16_t* src, std::size_t count, float* dst) {
    std::size_t i = 0;
    for (; i + 16 <= count; i += 16) _mm512_storeu_ps(dst + i, load_bf16(src + i));
    for (; i < count; ++i) dst[i] = widen(src[i]);
}

void gemv_rows_portable(const std::uint16_t* w, std::size_t in, std::size_t r0, std::size_t r1, const float* x, float* y,
                        bool accumulate) {
    for (std::size_t r = r0; r < r1; ++r) y[r] = (accumulate ? y[r] : 0.0f) + dot_portable(w + r * in, x, in);
}

void widen_block(const std::uint16_t* src, std::size_t count, float* dst) {
    if (avx512_enabled()) widen_avx512(src, count, dst);
    else widen_portable(src, count, dst);
}

// Rows of weights converted per sgemm call on the portable path: about 1 MiB of float32 scratch (it
// stays in L2). 1, 4 and 16 MiB blocks measured the same on BM_linear_gemm_7b: the loss is the
// widening on one thread and the repacking, not the block size.
std::size_t block_rows(std::size_t in, std::size_t out) {
    return std::clamp<std::size_t>((std::size_t{1} << 18) / std::max<std::size_t>(in, 1), 16, out);
}

}  // namespace

void widen_bf16(const std::uint16_t* src, std::size_t count, float* dst) { widen_block(src, count, dst); }

void linear_bf16(const std::uint16_t* w, std::size_t in, std::size_t out, bool in_major, const float* x, std::size_t ldx,
                 std::size_t n, float* y, std::size_t ldy, bool accumulate) {
    if (n == 0 || out == 0) return;
    if (n == 1 && !in_major) {
        // Output rows split over OpenMP threads in blocks of 64 (a weight-bound step), from 64k
        // weights (128 KiB) up, as gemv_avx512.cpp does.
        const std::size_t blocks = (out + 63) / 64;
#pragma omp parallel for schedule(static) if (in * out >= (std::size_t{1} << 16))
        for (std::size_t b = 0; b < blocks; ++b) {
            const std::size_t r0 = b * 64, r1 = std::min(out, r0 + 64);
            gemv_rows_portable(w, in, r0, r1, x, y, accumulate);
        }
        return;
    }
    linear_through_sgemm([w](std::size_t first, std::size_t count, float* dst) { widen_block(w + first, count, dst); }, in,
                         out, in_major, x, ldx, n, y, ldy, accumulate);
}

void linear_through_sgemm(const std::function<void(std::size_t, std::size_t, float*)>& to_float, std::size_t in,
                          std::size_t out, bool in_major, const float* x, std::size_t ldx, std::size_t n, float* y,
                          std::size_t ldy, bool accumulate) {
    const float beta = accumulate ? 1.0f : 0.0f;
    const std::size_t rows = block_rows(in, out);
    thread_local std::vector<float> scratch;
    scratch.resize(rows * in);
    for (std::size_t o0 = 0; o0 < out; o0 += rows) {
        const std::size_t bo = std::min(rows, out - o0);
        if (!in_major) {
            // W[o0 : o0 + bo, :] is contiguous: convert it, then y[:, o0:] (+)= x · blockᵀ.
            to_float(o0 * in, bo * in, scratch.data());
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<blasint>(n), static_cast<blasint>(bo),
                        static_cast<blasint>(in), 1.0f, x, static_cast<blasint>(ldx), scratch.data(), static_cast<blasint>(in),
                        beta, y + o0, static_cast<blasint>(ldy));
        } else {
            // W (in, out): the columns [o0, o0 + bo) of every row, converted into an (in, bo) block.
            for (std::size_t i = 0; i < in; ++i) to_float(i * out + o0, bo, scratch.data() + i * bo);
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<blasint>(n), static_cast<blasint>(bo),
                        static_cast<blasint>(in), 1.0f, x, static_cast<blasint>(ldx), scratch.data(), static_cast<blasint>(bo),
                        beta, y + o0, static_cast<blasint>(ldy));
        }
    }
}

}  // namespace hubbench::engine::ops
