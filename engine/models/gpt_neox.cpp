// GPT-NeoX (Pythia), mirroring transformers' modeling_gpt_neox.py
// https://github.com/huggingface/transformers/blob/v5.0.0/src/transformers/models/gpt_neox/modeling_gpt_neox.py
//
//   GPTNeoXForCausalLM
//     gpt_neox: GPTNeoXModel
//       embed_in                 nn.Embedding(vocab, hidden)
//       layers[i]: GPTNeoXLayer
//         input_layernorm        LayerNorm (weight and bias)
//         attention              query_key_value: Linear(hidden, 3 * hidden), laid out per head as
//                                [q | k | v] (view(..., heads, 3 * head_size).chunk(3)); rotary on
//                                the first int(head_size * partial_rotary_factor) dims; dense
//         post_attention_layernorm
//         mlp                    dense_4h_to_h(act(dense_h_to_4h(x)))
//         use_parallel_residual  x + attn(ln1(x)) + mlp(ln2(x)); else sequential as LLaMA
//       final_layer_norm
//     lm_head                    untied by default ("embed_out" in transformers 4 checkpoints)
#include <fmt/format.h>

#include <cmath>
#include <vector>

#include "engine/config_reader.hpp"
#include "engine/models/common.hpp"

namespace hubbench::engine {

namespace {

struct GPTNeoXLayer {
    models::LayerNormWeights input_layernorm, post_attention_layernorm;
    ops::Linear query_key_value, dense;
    ops::Linear dense_h_to_4h, dense_4h_to_h;
};

class GPTNeoXForCausalLM final : public models::CausalLmNetwork {
public:
    GPTNeoXForCausalLM(const ModelConfig& config, Weights& weights, bool parallel_residual)
        : CausalLmNetwork(config), parallel_residual_(parallel_residual), rotary_emb_(config.rope, config.head_dim) {
        const std::size_t c = config.hidden_size, inter = config.intermediate_size;
        models::Loader w{weights, weights.resolve_prefix({"gpt_neox.", ""}, "embed_in.weight")};
        auto layer_norm = [&](const std::string& name) { return models::LayerNormWeights{w.get(name + ".weight", {c}), w.get(name + ".bias", {c})}; };
        embed_in_ = w.matrix("embed_in.weight", {config.vocab_size, c});
        for (std::size_t i = 0; i < config.num_layers; ++i) {
            const std::string p = "layers." + std::to_string(i) + ".";
            GPTNeoXLayer layer;
            layer.input_layernorm = layer_norm(p + "input_layernorm");
            layer.post_attention_layernorm = layer_norm(p + "post_attention_layernorm");
            layer.query_key_value = w.linear(p + "attention.query_key_value", c, 3 * c, config.attention_bias);
            layer.dense = w.linear(p + "attention.dense", c, c, config.attention_bias);
            layer.dense_h_to_4h = w.linear(p + "mlp.dense_h_to_4h", c, inter, true);
            layer.dense_4h_to_h = w.linear(p + "mlp.dense_4h_to_h", inter, c, true);
            layers_.push_back(layer);
        }
        final_layer_norm_ = layer_norm("final_layer_norm");
        lm_head_ = models::causal_lm_head(config, weights, embed_in_, config.architecture.ends_with("Model"),
                                          {"lm_head.weight", "embed_out.weight"});
    }

    void forward(const PackedBatch& batch, KvCache* cache, float* hidden) override {
        const ModelConfig& cfg = config_;
        const std::size_t n = batch.rows(), c = cfg.hidden_size, d = cfg.head_dim, heads = cfg.num_heads;
        const std::size_t inter = cfg.intermediate_size;
        const auto positions = models::sequential_positions(batch, cache);
        if (cache) cache->prepare_append(n);

        std::vector<float> x(n * c);          // (N, C) residual stream
        std::vector<float> h(n * c);          // (N, C) normalised input of a sub-layer
        std::vector<float> qkv(n * 3 * c);    // (N, heads, 3, d) as query_key_value lays it out
        std::vector<float> q(n * c), k(n * c), v(n * c);  // (N, heads * d) each
        std::vector<float> attn(n * c);       // (N, C)
        std::vector<float> mid(n * inter);    // (N, I)
        std::vector<float> out(n * c);        // (N, C) a sub-layer's output

        ops::embedding(embed_in_, cfg.vocab_size, c, batch.ids, x.data());
        const ops::AttentionParams params{heads, heads, d, static_cast<float>(1.0 / std::sqrt(static_cast<double>(d))), true, 0};
        for (std::size_t l = 0; l < layers_.size(); ++l) {
            const GPTNeoXLayer& layer = layers_[l];
            // Attention on input_layernorm(x).
            normalise(x.data(), h.data(), n, layer.input_layernorm);
            ops::linear(layer.query_key_value, h.data(), n, qkv.data());
            for (std::size_t i = 0; i < n; ++i)
                for (std::size_t hd = 0; hd < heads; ++hd) {
                    const float* src = qkv.data() + (i * heads + hd) * 3 * d;
                    std::copy_n(src, d, q.data() + i * c + hd * d);
                    std::copy_n(src + d, d, k.data() + i * c + hd * d);
                    std::copy_n(src + 2 * d, d, v.data() + i * c + hd * d);
                }
            rotary_emb_.apply(q.data(), n, c, heads, positions);
            rotary_emb_.apply(k.data(), n, c, heads, positions);
            models::attend(params, batch, cache, l, q.data(), c, k.data(), c, v.data(), c, attn.data(), c);
            ops::linear(layer.dense, attn.data(), n, out.data());
            // MLP on post_attention_layernorm of x (parallel) or of x + attention (sequential).
            if (!parallel_residual_) ops::add_in_place(x.data(), out.data(), n * c);
            normalise(x.data(), h.data(), n, layer.post_attention_layernorm);
            ops::linear(layer.dense_h_to_4h, h.data(), n, mid.data());
            ops::activate(cfg.activation, mid.data(), n * inter);
            if (parallel_residual_) ops::add_in_place(x.data(), out.data(), n * c);
            ops::linear(layer.dense_4h_to_h, mid.data(), n, out.data());
            ops::add_in_place(x.data(), out.data(), n * c);
        }
        normalise(x.data(), hidden, n, final_layer_norm_);
        if (cache) cache->commit_append(n);
    }

private:
    void normalise(const float* x, float* out, std::size_t n, const models::LayerNormWeights& ln) const {
        models::normalise(x, out, n, config_.hidden_size, ln, config_.norm_eps);
    }

    bool parallel_residual_;
    ops::Rope rotary_emb_;
    ops::Matrix embed_in_;  // (vocab, C)
    std::vector<GPTNeoXLayer> layers_;
    models::LayerNormWeights final_layer_norm_;
};

}  // namespace

// configuration_gpt_neox.py; transformers 4 configs name the rope fields "rotary_emb_base" and
// "rotary_pct" (0.25 by default), transformers 5 puts them in rope_parameters.
void read_gpt_neox_config(const ConfigReader& r, ModelConfig& c) {
    read_attention_shape(r, c);
    c.intermediate_size = r.size({"intermediate_size"});
    c.max_positions = r.size({"max_position_embeddings"}, 2048);
    c.norm_eps = r.real({"layer_norm_eps"}, 1e-5);
    c.activation_name = r.text("hidden_act", "gelu");
    c.rope = read_rope(r);
    c.rope.theta = r.real({"rotary_emb_base"}, c.rope.theta);
    const nlohmann::json* params = r.field({"rope_parameters"});
    if (!(params && params->contains("partial_rotary_factor"))) c.rope.partial_rotary_factor = r.real({"rotary_pct"}, 0.25);
    c.rotary = true;
    c.tie_word_embeddings = r.flag("tie_word_embeddings", false);
    c.attention_bias = r.flag("attention_bias", true);
    c.mlp_bias = true;
    c.parallel_residual = r.flag("use_parallel_residual", true);
}

std::unique_ptr<Network> make_gpt_neox(const ModelConfig& config, Weights& weights) {
    return std::make_unique<GPTNeoXForCausalLM>(config, weights, config.parallel_residual);
}

}  // namespace hubbench::engine
