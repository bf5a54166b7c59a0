// Scaled dot-product attention for one sequence (what transformers' eager/sdpa attention computes:
// softmax(Q K^T * scale + mask) V, per head, with key/value heads shared by num_heads /
// num_kv_heads query heads as in modeling_llama.py repeat_kv; with soft-capping, the scaled
// scores become softcap * tanh(scores / softcap) first, as modeling_gemma2.py
// eager_attention_forward does).
//
// Several queries on an AVX-512 CPU go to attention_avx512.cpp, unless the scores are soft-capped
// or biased, or the heads are narrower than 32. Otherwise both products go through OpenBLAS on
// strided views of the projections (no copies): for head h, Q_h is q + h*d with row stride ldq.
// Causal and windowed queries are taken in blocks so that a block only multiplies the keys it can
// see (about half the work of the full square at long lengths for causal ones).
// A single query (decoding) stacks the query heads of each key/value group into one product.
// When the products run on OpenMP threads (engine/threads.hpp), heads (or key/value groups) are
// split over the team, each calling OpenBLAS on its own thread.
#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "engine/ops/attention_keys.hpp"
#include "engine/ops/gemm_avx512.hpp"
#include "engine/ops/ops.hpp"
#include "engine/ops/parallel.hpp"

namespace hubbench::engine::ops {

namespace {

constexpr std::size_t query_block = 64;

// scores (rows, width) of head h: queries at absolute positions first_query + r, keys at
// first_key + c; `n` and `m` are the call's query and key counts (m - n positions cached).
void add_position_bias(float* scores, std::size_t rows, std::size_t width, std::size_t h, std::size_t first_query,
                       std::size_t first_key, const AttentionParams& p, std::size_t n, std::size_t m) {
    if (p.score_bias) {
        const float* bias = p.score_bias + (h * n + (first_query - (m - n))) * m + first_key;
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t c = 0; c < width; ++c) scores[r * width + c] += bias[r * m + c];
    }
    if (!p.position_bias) return;
    const std::size_t span = 2 * p.bias_length - 1;
    const float* table = p.position_bias + h * span + (p.bias_length - 1);  // at j - i == 0
    for (std::size_t r = 0; r < rows; ++r) {
        const auto i = static_cast<std::ptrdiff_t>(first_query + r);
        for (std::size_t c = 0; c < width; ++c) scores[r * width + c] += table[static_cast<std::ptrdiff_t>(first_key + c) - i];
    }
}

void soft_cap(float* scores, std::size_t count, float cap) {
    if (cap <= 0.0f) return;
    for (std::size_t i = 0; i < count; ++i) scores[i] = cap * std::tanh(scores[i] / cap);
}

// Softmax over the keys row r may see, zero elsewhere. `first_key` is the absolute index of S's
// column 0; the row's query sits at absolute position `pos`.
void masked_softmax_row(float* row, std::size_t width, std::size_t first_key, std::size_t pos, const AttentionParams& p) {
    std::size_t lo = 0, hi = width;  // visible columns [lo, hi)
    if (p.causal) hi = std::min(width, pos + 1 - first_key);
    else if (p.window) hi = std::min(width, pos + p.window - first_key);  // keys j < pos + window
    if (p.window && pos + 1 > p.window) {
        const std::size_t first_visible = pos + 1 - p.window;  // keys j > pos - window
        lo = first_visible > first_key ? first_visible - first_key : 0;
    }
    for (std::size_t j = 0; j < lo; ++j) row[j] = 0.0f;
    for (std::size_t j = hi; j < width; ++j) row[j] = 0.0f;
    if (hi > lo) softmax_rows(row + lo, 1, hi - lo, hi - lo);
}

}  // namespace

void attention(const AttentionParams& p, const float* q, std::size_t ldq, const float* k, std::size_t ldk, const float* v,
               std::size_t ldv, std::size_t n, std::size_t m, float* out, std::size_t ldo) {
    if (n == 0) return;
    const std::size_t d = p.head_dim;
    const std::size_t group = p.num_heads / p.num_kv_heads;
    const std::size_t past = m - n;  // query i is at absolute position past + i

    if (n == 1) {
        // One query: the `group` heads sharing key/value head g are contiguous in q and out, so they
        // form one (group, d) matrix against K_g.
        const std::size_t pos = past;
        const std::size_t first = p.window && pos + 1 > p.window ? pos + 1 - p.window : 0;
        const std::size_t width = m - first;
#pragma omp parallel if (parallel_rows(p.num_heads * width * d))
        {
            std::vector<float> scores(group * width);  // (group, width)
#pragma omp for schedule(static)
            for (std::size_t g = 0; g < p.num_kv_heads; ++g) {
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<blasint>(group), static_cast<blasint>(width),
                            static_cast<blasint>(d), p.scale, q + g * group * d, static_cast<blasint>(d),
                            k + first * ldk + g * d, static_cast<blasint>(ldk), 0.0f, scores.data(),
                            static_cast<blasint>(width));
                for (std::size_t r = 0; r < group; ++r)
                    add_position_bias(scores.data() + r * width, 1, width, g * group + r, pos, first, p, n, m);
                soft_cap(scores.data(), group * width, p.softcap);
                softmax_rows(scores.data(), group, width, width);
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<blasint>(group), static_cast<blasint>(d),
                            static_cast<blasint>(width), 1.0f, scores.data(), static_cast<blasint>(width),
                            v + first * ldv + g * d, static_cast<blasint>(ldv), 0.0f, out + g * group * d,
                            static_cast<blasint>(d));
            }
        }
        return;
    }

    if (attention_avx512_applies(p)) {
        attention_avx512(p, q, ldq, k, ldk, v, ldv, n, m, out, ldo);
        return;
    }
    // Causal or windowed queries go by blocks, each multiplying only the keys it can see. Jobs are
    // (head, block) pairs, taken dynamically: a causal block's width grows with its position.
    const std::size_t block = p.causal || p.window ? query_block : n;
    const std::size_t blocks = (n + block - 1) / block;
#pragma omp parallel if (parallel_rows(p.num_heads * n * m))
    {
        std::vector<float> scores(std::min(block, n) * m);  // (block rows, visible keys)
#pragma omp for schedule(dynamic)
        for (std::size_t job = 0; job < p.num_heads * blocks; ++job) {
            const auto [h, g, i0, rows, key_begin, width] = query_block_job(p, n, m, block, job);
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<blasint>(rows), static_cast<blasint>(width),
                        static_cast<blasint>(d), p.scale, q + i0 * ldq + h * d, static_cast<blasint>(ldq),
                        k + key_begin * ldk + g * d, static_cast<blasint>(ldk), 0.0f, scores.data(),
                        static_cast<blasint>(width));
            add_position_bias(scores.data(), rows, width, h, past + i0, key_begin, p, n, m);
            soft_cap(scores.data(), rows * width, p.softcap);
            for (std::size_t r = 0; r < rows; ++r)
                masked_softmax_row(scores.data() + r * width, width, key_begin, past + i0 + r, p);
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<blasint>(rows), static_cast<blasint>(d),
                        static_cast<blasint>(width), 1.0f, scores.data(), static_cast<blasint>(width),
                        v + key_begin * ldv + g * d, static_cast<blasint>(ldv), 0.0f, out + i0 * ldo + h * d,
                        static_cast<blasint>(ldo));
        }
    }
}

}  // namespace hubbench::engine::ops
