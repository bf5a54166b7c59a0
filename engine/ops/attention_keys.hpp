// Which keys a block of queries may see, for the attention paths that take queries in blocks
// (attention.cpp on OpenBLAS, attention_avx512.cpp). Internal to engine/ops.
#pragma once
#include <algorithm>
#include <cstddef>

#include "engine/ops/ops.hpp"

namespace hubbench::engine::ops {

// Keys [begin, end) for the queries i0 .. i0 + rows - 1 of a call with n queries at the end of m
// positions (query i at absolute position m - n + i): up to the block's last query (causal) or its
// last query's window (bidirectional windows), from its first query's window.
struct KeyRange {
    std::size_t begin, end;
};
inline KeyRange visible_keys(const AttentionParams& p, std::size_t n, std::size_t m, std::size_t i0, std::size_t rows) {
    const std::size_t past = m - n;
    const std::size_t end = p.causal ? past + i0 + rows : p.window ? std::min(m, past + i0 + rows - 1 + p.window) : m;
    const std::size_t begin = p.window && past + i0 + 1 > p.window ? past + i0 + 1 - p.window : 0;
    return {begin, end};
}

}  // namespace hubbench::engine::ops
