// LLaMA / Mistral, mirroring transformers' modeling_llama.py
// https://github.com/huggingface/transformers/blob/v4.46.0/src/transformers/models/llama/modeling_llama.py
// (and modeling_mistral.py, whose module tree is the same with an optional sliding window):
//
//   LlamaForCausalLM
//     model: LlamaModel
//       embed_tokens            nn.Embedding(vocab, hidden)
//       layers[i]: LlamaDecoderLayer
//         input_layernorm       LlamaRMSNorm
//         self_attn             LlamaAttention: q/k/v/o_proj, rotary_emb, repeat_kv (GQA)
//         post_attention_layernorm
//         mlp                   LlamaMLP: down_proj(act_fn(gate_proj(x)) * up_proj(x))
//       norm                    LlamaRMSNorm
//     lm_head                   nn.Linear(hidden, vocab), or tied to embed_tokens
#include "engine/models/llama.hpp"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "engine/config_reader.hpp"
#include "engine/models/common.hpp"

namespace hubbench::engine {
namespace models {

namespace {

struct LlamaAttention {
    ops::Linear q_proj, k_proj, v_proj, o_proj;
    ops::Linear qkv_proj;  // Phi-3: q_proj | k_proj | v_proj in one
    const float* q_norm = nullptr;  // (head_dim), Qwen3
    const float* k_norm = nullptr;  // (head_dim), Qwen3
};

struct LlamaMLP {
    ops::Linear gate_proj, up_proj, down_proj;
    ops::Linear gate_up_proj;  // Phi-3: gate_proj | up_proj in one
};

struct LlamaDecoderLayer {
    const float* input_layernorm = nullptr;           // (hidden)
    LlamaAttention self_attn;
    const float* post_attention_layernorm = nullptr;  // (hidden)
    LlamaMLP mlp;
    std::size_t window = 0;                            // sliding window of this layer, 0: none
};

// Rows of `src` (n, sum of widths) cut into column blocks, each written to its own (n, width).
void split_columns(const float* src, std::size_t n, std::initializer_list<std::pair<float*, std::size_t>> parts) {
    std::size_t total = 0;
    for (const auto& part : parts) total += part.second;
    for (std::size_t i = 0; i < n; ++i) {
        const float* row = src + i * total;
        for (const auto& [dst, width] : parts) {
            std::copy_n(row, width, dst + i * width);
            row += width;
        }
    }
}

class LlamaForCausalLM final : public models::CausalLmNetwork {
public:
    LlamaForCausalLM(const ModelConfig& config, Weights& weights, const LlamaVariant& variant)
        : CausalLmNetwork(config), rotary_emb_(config.rope, config.head_dim) {
        const std::size_t c = config.hidden_size, d = config.head_dim;
        const std::size_t q_dim = config.num_heads * d, kv_dim = config.num_kv_heads * d, inter = config.intermediate_size;
        // LlamaModel checkpoints (embedding models) have no "model." prefix.
        Loader w{weights, weights.resolve_prefix({"model.", ""}, "embed_tokens.weight")};
        embed_tokens_ = w.matrix("embed_tokens.weight", {config.vocab_size, c});
        for (std::size_t i = 0; i < config.num_layers; ++i) {
            const std::string p = "layers." + std::to_string(i) + ".";
            LlamaDecoderLayer layer;
            layer.input_layernorm = w.get(p + "input_layernorm.weight", {c});
            if (variant.fused) {
                layer.self_attn.qkv_proj = w.linear(p + "self_attn.qkv_proj", c, q_dim + 2 * kv_dim, variant.qkv_bias);
            } else {
                layer.self_attn.q_proj = w.linear(p + "self_attn.q_proj", c, q_dim, variant.qkv_bias);
                layer.self_attn.k_proj = w.linear(p + "self_attn.k_proj", c, kv_dim, variant.qkv_bias);
                layer.self_attn.v_proj = w.linear(p + "self_attn.v_proj", c, kv_dim, variant.qkv_bias);
            }
            layer.self_attn.o_proj = w.linear(p + "self_attn.o_proj", q_dim, c, variant.o_bias);
            if (variant.qk_norm) {
                layer.self_attn.q_norm = w.get(p + "self_attn.q_norm.weight", {d});
                layer.self_attn.k_norm = w.get(p + "self_attn.k_norm.weight", {d});
            }
            layer.post_attention_layernorm = w.get(p + "post_attention_layernorm.weight", {c});
            if (variant.fused) {
                layer.mlp.gate_up_proj = w.linear(p + "mlp.gate_up_proj", c, 2 * inter, config.mlp_bias);
            } else {
                layer.mlp.gate_proj = w.linear(p + "mlp.gate_proj", c, inter, config.mlp_bias);
                layer.mlp.up_proj = w.linear(p + "mlp.up_proj", c, inter, config.mlp_bias);
            }
            layer.mlp.down_proj = w.linear(p + "mlp.down_proj", inter, c, config.mlp_bias);
            if (config.sliding_window && config.sliding_layers[i]) layer.window = *config.sliding_window;
            layers_.push_back(layer);
        }
        norm_ = w.get("norm.weight", {c});

        // The causal LM head: lm_head.weight, or the input embeddings when tied (or when the file
        // leaves lm_head out, as tied checkpoints are saved). Base-model checkpoints have none.
        // LlamaModel, Qwen2Model, MistralModel checkpoints have none.
        lm_head_ = causal_lm_head(config, weights, embed_tokens_, config.architecture.ends_with("Model"));
    }

    void forward(const PackedBatch& batch, KvCache* cache, float* hidden) override {
        const ModelConfig& cfg = config_;
        const std::size_t n = batch.rows(), c = cfg.hidden_size, d = cfg.head_dim;
        const std::size_t q_dim = cfg.num_heads * d, kv_dim = cfg.num_kv_heads * d, inter = cfg.intermediate_size;
        const auto positions = sequential_positions(batch, cache);
        if (cache) cache->prepare_append(n);

        // Activations, reused by every layer.
        std::vector<float> x(n * c);          // (N, C) residual stream
        std::vector<float> h(n * c);          // (N, C) normalised input of a sub-layer
        std::vector<float> q(n * q_dim);      // (N, H*d)
        std::vector<float> k(n * kv_dim);     // (N, KV*d)
        std::vector<float> v(n * kv_dim);     // (N, KV*d)
        std::vector<float> attn(n * q_dim);   // (N, H*d)
        std::vector<float> gate(n * inter);   // (N, I)
        std::vector<float> up(n * inter);     // (N, I)
        std::vector<float> fused;             // (N, q + 2 kv) or (N, 2I): a fused projection's output

        ops::embedding(embed_tokens_, cfg.vocab_size, c, batch.ids, x.data());
        for (std::size_t l = 0; l < layers_.size(); ++l) {
            const LlamaDecoderLayer& layer = layers_[l];
            // Self-attention block: x += o_proj(attention(rope(q), rope(k), v)).
            ops::rms_norm(x.data(), h.data(), n, c, layer.input_layernorm, cfg.norm_eps);
            if (layer.self_attn.qkv_proj.weight) {
                // Phi3Attention: query = qkv[..., :q], key = qkv[..., q : q + kv], value = the rest.
                fused.resize(n * (q_dim + 2 * kv_dim));
                ops::linear(layer.self_attn.qkv_proj, h.data(), n, fused.data());
                split_columns(fused.data(), n, {{q.data(), q_dim}, {k.data(), kv_dim}, {v.data(), kv_dim}});
            } else {
                ops::linear(layer.self_attn.q_proj, h.data(), n, q.data());
                ops::linear(layer.self_attn.k_proj, h.data(), n, k.data());
                ops::linear(layer.self_attn.v_proj, h.data(), n, v.data());
            }
            if (layer.self_attn.q_norm) {
                // Qwen3Attention: q_norm(q_proj(x).view(..., head_dim)), each head's vector alone.
                ops::rms_norm(q.data(), q.data(), n * cfg.num_heads, d, layer.self_attn.q_norm, cfg.norm_eps);
                ops::rms_norm(k.data(), k.data(), n * cfg.num_kv_heads, d, layer.self_attn.k_norm, cfg.norm_eps);
            }
            rotary_emb_.apply(q.data(), n, q_dim, cfg.num_heads, positions);
            rotary_emb_.apply(k.data(), n, kv_dim, cfg.num_kv_heads, positions);
            ops::AttentionParams params{cfg.num_heads, cfg.num_kv_heads, d,
                                        static_cast<float>(1.0 / std::sqrt(static_cast<double>(d))), true, layer.window};
            attend(params, batch, cache, l, q.data(), q_dim, k.data(), kv_dim, v.data(), kv_dim, attn.data(), q_dim);
            ops::linear_add(layer.self_attn.o_proj, attn.data(), n, x.data(), h.data());
            // MLP block: x += down_proj(act(gate_proj(h)) * up_proj(h)).
            ops::rms_norm(x.data(), h.data(), n, c, layer.post_attention_layernorm, cfg.norm_eps);
            if (layer.mlp.gate_up_proj.weight) {
                // Phi3MLP: gate, up_states = gate_up_proj(x).chunk(2, dim=-1)
                fused.resize(n * 2 * inter);
                ops::linear(layer.mlp.gate_up_proj, h.data(), n, fused.data());
                split_columns(fused.data(), n, {{gate.data(), inter}, {up.data(), inter}});
            } else {
                ops::linear(layer.mlp.gate_proj, h.data(), n, gate.data());
                ops::linear(layer.mlp.up_proj, h.data(), n, up.data());
            }
            ops::activate_and_multiply(cfg.activation, gate.data(), up.data(), n * inter);
            ops::linear_add(layer.mlp.down_proj, gate.data(), n, x.data(), h.data());
        }
        ops::rms_norm(x.data(), hidden, n, c, norm_, cfg.norm_eps);
        if (cache) cache->commit_append(n);
    }

private:
    ops::Rope rotary_emb_;
    ops::Matrix embed_tokens_;  // (vocab, hidden)
    std::vector<LlamaDecoderLayer> layers_;
    const float* norm_ = nullptr;          // (hidden)
};

}  // namespace

std::unique_ptr<Network> make_llama_family(const ModelConfig& config, Weights& weights, const LlamaVariant& variant) {
    return std::make_unique<LlamaForCausalLM>(config, weights, variant);
}

}  // namespace models

// Mistral's sliding_window covers every layer (configuration_mistral.py).
void read_llama_config(const ConfigReader& r, ModelConfig& c) { read_rotary_decoder_config(r, c, SlidingWindowLayers::all); }

std::unique_ptr<Network> make_llama(const ModelConfig& config, Weights& weights) {
    // LlamaConfig.attention_bias puts biases on all four projections.
    return models::make_llama_family(config, weights, {config.attention_bias, config.attention_bias});
}

}  // namespace hubbench::engine
