#include "engine/models/common.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "core/error.hpp"

namespace hubbench::engine::models {

void attend(const ops::AttentionParams& params, const PackedBatch& batch, KvCache* cache, std::size_t layer,
            const float* q, std::size_t ldq, const float* k, std::size_t ldk, const float* v, std::size_t ldv, float* out,
            std::size_t ldo) {
    if (cache && cache->shared_prefix) {
        // Each sequence attends to the cached prefix and to itself: keys and values are the
        // prefix's rows followed by the sequence's own, in a scratch copy per sequence.
        const std::size_t kv = cache->kv_dim, past = cache->length;
        std::vector<float> ks, vs;
        for (std::size_t b = 0; b < batch.size(); ++b) {
            const std::size_t r = batch.begin(b), n = batch.length(b);
            ks.assign(cache->k[layer].begin(), cache->k[layer].begin() + static_cast<std::ptrdiff_t>(past * kv));
            vs.assign(cache->v[layer].begin(), cache->v[layer].begin() + static_cast<std::ptrdiff_t>(past * kv));
            ks.resize((past + n) * kv);
            vs.resize((past + n) * kv);
            for (std::size_t i = 0; i < n; ++i) {
                std::memcpy(ks.data() + (past + i) * kv, k + (r + i) * ldk, kv * sizeof(float));
                std::memcpy(vs.data() + (past + i) * kv, v + (r + i) * ldv, kv * sizeof(float));
            }
            ops::attention(params, q + r * ldq, ldq, ks.data(), kv, vs.data(), kv, n, past + n, out + r * ldo, ldo);
        }
        return;
    }
    if (cache) {
        const std::size_t n = batch.rows();
        const std::size_t kv = cache->kv_dim;
        float* kc = cache->k[layer].data();
        float* vc = cache->v[layer].data();
        for (std::size_t i = 0; i < n; ++i) {
            std::memcpy(kc + (cache->length + i) * kv, k + i * ldk, kv * sizeof(float));
            std::memcpy(vc + (cache->length + i) * kv, v + i * ldv, kv * sizeof(float));
        }
        ops::attention(params, q, ldq, kc, kv, vc, kv, n, cache->length + n, out, ldo);
        return;
    }
    for (std::size_t b = 0; b < batch.size(); ++b) {
        const std::size_t r = batch.begin(b), n = batch.length(b);
        ops::attention(params, q + r * ldq, ldq, k + r * ldk, ldk, v + r * ldv, ldv, n, n, out + r * ldo, ldo);
    }
}

std::vector<std::int32_t> sequential_positions(const PackedBatch& batch, const KvCache* cache) {
    std::vector<std::int32_t> positions(batch.rows());
    const std::size_t past = cache ? cache->length : 0;
    for (std::size_t b = 0; b < batch.size(); ++b)
        for (std::size_t i = 0; i < batch.length(b); ++i)
            positions[batch.begin(b) + i] = static_cast<std::int32_t>(past + i);
    return positions;
}

void check_positions(const std::vector<std::int32_t>& positions, std::size_t max_positions, const std::string& model) {
    for (auto p : positions)
        if (p < 0 || static_cast<std::size_t>(p) >= max_positions)
            throw Error(ErrorKind::invalid_input,
                        fmt::format("{}: position {} is past max_position_embeddings {} (sequence too long)", model, p,
                                    max_positions));
}

std::unique_ptr<KvCache> make_kv_cache(std::size_t layers, std::size_t kv_dim) {
    auto cache = std::make_unique<KvCache>();
    cache->kv_dim = kv_dim;
    cache->k.resize(layers);
    cache->v.resize(layers);
    return cache;
}

ops::Matrix causal_lm_head(const ModelConfig& config, Weights& weights, const ops::Matrix& input_embeddings, bool base_model,
                           std::initializer_list<const char*> names) {
    if (config.tie_word_embeddings) return input_embeddings;
    for (const char* name : names)
        if (auto w = weights.find_matrix(name, {config.vocab_size, config.hidden_size})) return w;
    if (base_model) return {};
    return weights.matrix(*names.begin(), {config.vocab_size, config.hidden_size});  // throws: names the missing tensor
}

void lm_head_logits(const ops::Matrix& head, const ModelConfig& config, const float* hidden, std::size_t n, float* logits) {
    ops::linear(ops::Linear{head, nullptr, config.hidden_size, config.vocab_size, false}, hidden, n, logits);
}

void normalise(const float* x, float* out, std::size_t n, std::size_t c, const LayerNormWeights& ln, double eps) {
    std::copy_n(x, n * c, out);
    ops::layer_norm(out, n, c, ln.weight, ln.bias, eps);
}

}  // namespace hubbench::engine::models
