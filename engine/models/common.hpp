// Pieces the architectures share: per-sequence attention over a packed batch or a KV cache, and
// position ids.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/network.hpp"
#include "engine/ops/ops.hpp"
#include "engine/weights.hpp"

namespace hubbench::engine::models {

// Attention of every sequence over its own rows. q (N, heads*d), k and v (N, kv_heads*d) hold the
// projections of the batch's new tokens (row strides ldq, ldk, ldv); out (N, heads*d) stride ldo.
// With a cache (a batch of one sequence), k and v are appended to layer `layer` of the cache
// first and the queries attend to every cached position. With a shared-prefix cache, each
// sequence attends to the cached positions and its own rows; the cache is left as it was.
void attend(const ops::AttentionParams& params, const PackedBatch& batch, KvCache* cache, std::size_t layer,
            const float* q, std::size_t ldq, const float* k, std::size_t ldk, const float* v, std::size_t ldv, float* out,
            std::size_t ldo);

// 0, 1, ... per sequence, continuing after the cached positions: (N).
std::vector<std::int32_t> sequential_positions(const PackedBatch& batch, const KvCache* cache);

// Throws Error(invalid_input) when a position reaches max_positions (learned position embeddings).
void check_positions(const std::vector<std::int32_t>& positions, std::size_t max_positions, const std::string& model);

// Weight lookups under a prefix ("model.", "bert.", ...).
struct Loader {
    Weights& weights;
    std::string prefix;

    const float* get(const std::string& name, std::vector<std::size_t> shape) const {
        return weights.get(prefix + name, std::move(shape));
    }
    const float* find(const std::string& name, std::vector<std::size_t> shape) const {
        return weights.find(prefix + name, std::move(shape));
    }
    // nn.Linear(in, out): weight (out, in), bias (out) when `bias`.
    ops::Linear linear(const std::string& name, std::size_t in, std::size_t out, bool bias) const {
        return {get(name + ".weight", {out, in}), bias ? get(name + ".bias", {out}) : nullptr, in, out, false};
    }
};

}  // namespace hubbench::engine::models
