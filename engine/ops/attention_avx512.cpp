// Attention over several queries (prefill, scoring) on gemm_avx512.cpp's blocks. For each head and
// block of up to 32 queries:
// - S^T = K Q^T: the queries are packed as one panel and the keys read in place as the weight rows,
//   so each 14 keys × 32 queries of scores land in the block layout (st[j * 32 + t]) untransposed;
// - softmax runs down each query's column, 32 queries in two vectors per key, applying the scale
//   and the causal or windowed mask on the way (the rules of attention.cpp's masked_softmax_row);
// - out = P V: st is already the k-major panel that the kernel reads (k = key), and V is an
//   (in = keys, out = head_dim) weight read in place, 14 of its columns at a time; the softmax's
//   division by each query's sum is applied to the output block.
// attention.cpp's OpenBLAS path packs both operands of every one of its small products again.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "engine/ops/avx512.hpp"
#include "engine/ops/attention_keys.hpp"
#include "engine/ops/exp_poly.hpp"
#include "engine/ops/gemm_avx512.hpp"
#include "engine/ops/parallel.hpp"
#include "engine/ops/unsanitized.hpp"

namespace hubbench::engine::ops {
namespace {

using gemm_blocks::panel_tokens;
using gemm_blocks::tile_rows;

// Narrower heads (the test fixtures') stay on OpenBLAS: there a block's fixed costs (packing, the
// transposed store) weigh against few k-steps.
constexpr std::size_t min_head_dim = 32;

// The query lanes [lo, hi) of a block whose lane t sits at absolute position base + t that may see
// the key at absolute position `key`: causal, key <= pos; windowed, pos - window < key (and
// bidirectionally also key < pos + window).
struct Lanes {
    std::size_t lo, hi;
};
Lanes visible_lanes(std::size_t key, std::size_t base, const AttentionParams& p) {
    std::size_t lo = 0, hi = panel_tokens;
    if (p.causal && key > base) lo = key - base;
    if (p.window) {
        hi = key + p.window > base ? std::min(hi, key + p.window - base) : 0;
        if (!p.causal && key + 1 > base + p.window) lo = key + 1 - p.window - base;
    }
    return {std::min(lo, panel_tokens), hi};
}

// st (width keys, 32 query lanes) <- exp(scaled, masked score - the lane's maximum), unnormalised;
// sum (32) <- 1 / each lane's sum of them, 0 for a lane that sees no key (padding past the last
// query), whose scores all become 0.
HUBBENCH_UNSANITIZED __attribute__((target("avx512f"))) void exp_columns(float* st, std::size_t width,
                                                                       std::size_t key_begin, std::size_t base,
                                                                       const AttentionParams& p, float* sum) {
    constexpr float minus_inf = -std::numeric_limits<float>::infinity();
    const __m512 scale = _mm512_set1_ps(p.scale), masked = _mm512_set1_ps(minus_inf);
    __m512 max0 = masked, max1 = masked;
    for (std::size_t j = 0; j < width; ++j) {
        const auto [lo, hi] = visible_lanes(key_begin + j, base, p);
        const std::uint32_t below_hi = hi >= panel_tokens ? ~0u : (1u << hi) - 1u;  // 32 lanes: one bit each
        const std::uint32_t lanes = lo < hi ? below_hi & ~((1u << lo) - 1u) : 0u;      // lo < hi <= 32
        float* row = st + j * panel_tokens;
        const __m512 s0 = _mm512_mask_mul_ps(masked, static_cast<__mmask16>(lanes), _mm512_load_ps(row), scale);
        const __m512 s1 = _mm512_mask_mul_ps(masked, static_cast<__mmask16>(lanes >> 16), _mm512_load_ps(row + 16), scale);
        _mm512_store_ps(row, s0);
        _mm512_store_ps(row + 16, s1);
        max0 = _mm512_max_ps(max0, s0);
        max1 = _mm512_max_ps(max1, s1);
    }
    alignas(64) float max[panel_tokens];
    _mm512_store_ps(max, max0);
    _mm512_store_ps(max + 16, max1);
    for (auto& m : max) m = m == minus_inf ? 0.0f : m;  // exp(-inf - 0) = 0, not NaN
    for (std::size_t t = 0; t < panel_tokens; ++t) sum[t] = 0.0f;
    for (std::size_t j = 0; j < width; ++j) {
        float* row = st + j * panel_tokens;
#pragma omp simd
        for (std::size_t t = 0; t < panel_tokens; ++t) {
            row[t] = exp_poly(row[t] - max[t]);
            sum[t] += row[t];
        }
    }
    for (std::size_t t = 0; t < panel_tokens; ++t) sum[t] = sum[t] > 0.0f ? 1.0f / sum[t] : 0.0f;
}

// block[r * 32 + t] *= scale[t] for r < rows: softmax's division by the sum, applied to P V's
// output block rather than to P ((P / sum) V = (P V) / sum, one multiply per output).
HUBBENCH_UNSANITIZED __attribute__((target("avx512f"))) void scale_block(float* block, std::size_t rows,
                                                                       const float* scale) {
    const __m512 s0 = _mm512_load_ps(scale), s1 = _mm512_load_ps(scale + 16);
    for (std::size_t r = 0; r < rows; ++r) {
        float* b = block + r * panel_tokens;
        _mm512_store_ps(b, _mm512_mul_ps(_mm512_load_ps(b), s0));
        _mm512_store_ps(b + 16, _mm512_mul_ps(_mm512_load_ps(b + 16), s1));
    }
}

}  // namespace

bool attention_avx512_applies(const AttentionParams& p) {
    return avx512_enabled() && p.softcap <= 0.0f && p.position_bias == nullptr && p.score_bias == nullptr &&
           p.head_dim >= min_head_dim;
}

void attention_avx512(const AttentionParams& p, const float* q, std::size_t ldq, const float* k, std::size_t ldk,
                      const float* v, std::size_t ldv, std::size_t n, std::size_t m, float* out, std::size_t ldo) {
    const std::size_t d = p.head_dim, past = m - n;
    const std::size_t blocks = (n + panel_tokens - 1) / panel_tokens;
    // Jobs are (head, query block) pairs, taken dynamically: a causal block's width grows with its
    // position.
#pragma omp parallel if (parallel_rows(p.num_heads * n * m))
    {
        thread_local gemm_blocks::AlignedFloats queries, scores;
        float* xp = queries.reserve(d * panel_tokens);
        float* st = scores.reserve(m * panel_tokens);
        alignas(64) float block[tile_rows * panel_tokens];
        alignas(64) float inverse_sums[panel_tokens];
#pragma omp for schedule(dynamic)
        for (std::size_t job = 0; job < p.num_heads * blocks; ++job) {
            const auto [h, g, i0, rows, key_begin, width] = query_block_job(p, n, m, panel_tokens, job);

            gemm_blocks::pack_panel(q + i0 * ldq + h * d, ldq, rows, d, xp);
            const float* keys = k + key_begin * ldk + g * d;
            for (std::size_t j0 = 0; j0 < width; j0 += tile_rows)
                gemm_blocks::multiply_panel(xp, keys + j0 * ldk, ldk, true, std::min(tile_rows, width - j0), d,
                                            st + j0 * panel_tokens);
            exp_columns(st, width, key_begin, past + i0, p, inverse_sums);
            const float* values = v + key_begin * ldv + g * d;
            for (std::size_t e0 = 0; e0 < d; e0 += tile_rows) {
                const std::size_t columns = std::min(tile_rows, d - e0);
                gemm_blocks::multiply_panel(st, values + e0, ldv, false, columns, width, block);
                scale_block(block, columns, inverse_sums);
                gemm_blocks::store_block(block, columns, rows, out + i0 * ldo + h * d + e0, ldo, false);
            }
        }
    }
}

}  // namespace hubbench::engine::ops
