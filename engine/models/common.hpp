// Pieces the architectures share: per-sequence attention over a packed batch or a KV cache, and
// position ids.
#pragma once
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
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

// A decoder's KV cache: per layer, keys and values of kv_dim each.
std::unique_ptr<KvCache> make_kv_cache(std::size_t layers, std::size_t kv_dim);

// The causal LM head's (vocab, C) weight: the input embeddings when tied; else the first of `names`
// the file has; else nullptr for a base-model checkpoint (`base_model`), and an error naming the
// first name otherwise. An untied head is a matrix in the compute dtype (Weights::matrix).
ops::Matrix causal_lm_head(const ModelConfig& config, Weights& weights, const ops::Matrix& input_embeddings, bool base_model,
                            std::initializer_list<const char*> names = {"lm_head.weight"});
// logits (n, vocab) = hidden (n, C) · head^T, no bias.
void lm_head_logits(const ops::Matrix& head, const ModelConfig& config, const float* hidden, std::size_t n, float* logits);

// What every causal LM network shares: the LM head (logits = hidden · lm_head^T, no bias; nullptr
// for a base-model checkpoint) and a KV cache of num_kv_heads * head_dim per layer. A decoder sets
// lm_head_ with causal_lm_head() and implements forward().
class CausalLmNetwork : public Network {
public:
    explicit CausalLmNetwork(const ModelConfig& config) : config_(config) {}
    bool has_head() const override { return static_cast<bool>(lm_head_); }
    void head(const float* hidden, std::size_t n, float* logits) override { lm_head_logits(lm_head_, config_, hidden, n, logits); }
    std::unique_ptr<KvCache> make_cache() const override {
        return make_kv_cache(config_.num_layers, config_.num_kv_heads * config_.head_dim);
    }

protected:
    ModelConfig config_;
    ops::Matrix lm_head_;  // (vocab, C), or empty
};

// A LayerNorm with weight and bias (C each); `normalise` writes LayerNorm(x) to out, x unchanged.
struct LayerNormWeights {
    const float* weight = nullptr;
    const float* bias = nullptr;
};
void normalise(const float* x, float* out, std::size_t n, std::size_t c, const LayerNormWeights& ln, double eps);

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
    // A weight matrix in the compute dtype (Weights::matrix).
    ops::Matrix matrix(const std::string& name, std::vector<std::size_t> shape) const {
        return weights.matrix(prefix + name, std::move(shape));
    }
    // nn.Linear(in, out): weight (out, in), bias (out) when `bias`.
    ops::Linear linear(const std::string& name, std::size_t in, std::size_t out, bool bias) const {
        return {matrix(name + ".weight", {out, in}), bias ? get(name + ".bias", {out}) : nullptr, in, out, false};
    }
};

}  // namespace hubbench::engine::models
