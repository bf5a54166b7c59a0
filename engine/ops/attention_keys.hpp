// The jobs of the attention paths that take queries in blocks (attention.cpp on OpenBLAS,
// attention_avx512.cpp): a job is one head and one block of queries, with the keys the block may
// see. Internal to engine/ops.
#pragma once
#include <algorithm>
#include <cstddef>

#include "engine/ops/ops.hpp"

namespace hubbench::engine::ops {

struct QueryBlockJob {
    std::size_t head, kv_head;        // the query head and the key/value head it reads
    std::size_t first_query, rows;    // queries first_query .. first_query + rows - 1 of the call
    std::size_t key_begin, width;     // keys [key_begin, key_begin + width)
};

// Job `job` of num_heads * ceil(n / block) for a call with n queries at the end of m positions
// (query i at absolute position m - n + i). Its keys run up to its last query (causal) or its last
// query's window (bidirectional windows), from its first query's window.
inline QueryBlockJob query_block_job(const AttentionParams& p, std::size_t n, std::size_t m, std::size_t block,
                                     std::size_t job) {
    const std::size_t blocks = (n + block - 1) / block, past = m - n;
    const std::size_t h = job / blocks, i0 = job % blocks * block, rows = std::min(block, n - i0);
    const std::size_t end = p.causal ? past + i0 + rows : p.window ? std::min(m, past + i0 + rows - 1 + p.window) : m;
    const std::size_t begin = p.window && past + i0 + 1 > p.window ? past + i0 + 1 - p.window : 0;
    return {h, h / (p.num_heads / p.num_kv_heads), i0, rows, begin, end - begin};
}

}  // namespace hubbench::engine::ops
