// ModernBERT, mirroring transformers' modeling_modernbert.py
// https://github.com/huggingface/transformers/blob/v5.0.0/src/transformers/models/modernbert/modeling_modernbert.py
//
//   ModernBertForMaskedLM
//     model: ModernBertModel
//       embeddings: ModernBertEmbeddings   norm(tok_embeddings(ids)); no position embeddings
//       layers[i]: ModernBertEncoderLayer  pre-LN, x + attn(attn_norm(x)), then x + mlp(mlp_norm(x))
//         attn_norm                        LayerNorm; nn.Identity in layer 0 (the embeddings' norm
//                                          already normalised its input)
//         attn: ModernBertAttention        Wqkv fused (q | k | v, heads * head_dim each), RoPE with
//                                          the theta of the layer's type, bidirectional softmax
//                                          scaled by head_dim^-1/2; "sliding_attention" layers see
//                                          keys at most local_attention / 2 positions away
//                                          (masking_utils sliding_window_bidirectional_overlay); Wo
//         mlp: ModernBertMLP               Wi -> (input, gate) halves, Wo(act(input) * gate): GeGLU
//       final_norm                         LayerNorm
//     head: ModernBertPredictionHead       norm(act(dense(x))), act = classifier_activation
//     decoder                              tied to tok_embeddings, plus a bias (decoder_bias)
//
// Layer types: config.layer_types (transformers 5), else every global_attn_every_n_layers-th layer
// (from 0) is "full_attention" and the others "sliding_attention" (configuration_modernbert.py).
// RoPE: rope_parameters per layer type (5.x), else global_rope_theta / local_rope_theta (4.x).
// By default nothing has a bias (attention_bias, mlp_bias, norm_bias, classifier_bias false).
// Upstream unpads batches for flash attention; packed sequences here compute the same function.
#include <cmath>
#include <vector>

#include "engine/config_reader.hpp"
#include "engine/models/common.hpp"

namespace hubbench::engine {
namespace models {
namespace {

struct ModernBertEncoderLayer {
    LayerNormWeights attn_norm;  // weight nullptr: nn.Identity (layer 0)
    ops::Linear Wqkv, Wo;
    LayerNormWeights mlp_norm;
    ops::Linear Wi_input, Wi_gate, mlp_Wo;  // Wi's two halves, chunk(2, dim=-1) order
    bool sliding = false;
};

class ModernBertForMaskedLM final : public Network {
public:
    ModernBertForMaskedLM(const ModelConfig& config, Weights& weights)
        : config_(config), global_rope_(config.rope, config.head_dim), local_rope_(config.local_rope, config.head_dim) {
        const std::size_t c = config.hidden_size, inter = config.intermediate_size;
        // ModernBertForMaskedLM keeps the encoder under "model."; ModernBertModel checkpoints at the root.
        Loader w{weights, weights.resolve_prefix({"model.", ""}, "embeddings.tok_embeddings.weight")};
        auto layer_norm = [&](const std::string& name) {
            return LayerNormWeights{w.get(name + ".weight", {c}), config.norm_bias ? w.get(name + ".bias", {c}) : nullptr};
        };
        tok_embeddings_ = w.get("embeddings.tok_embeddings.weight", {config.vocab_size, c});
        embeddings_norm_ = layer_norm("embeddings.norm");
        for (std::size_t i = 0; i < config.num_layers; ++i) {
            const std::string p = "layers." + std::to_string(i) + ".";
            ModernBertEncoderLayer layer;
            if (i > 0) layer.attn_norm = layer_norm(p + "attn_norm");
            layer.Wqkv = w.linear(p + "attn.Wqkv", c, 3 * c, config.attention_bias);
            layer.Wo = w.linear(p + "attn.Wo", c, c, config.attention_bias);
            layer.mlp_norm = layer_norm(p + "mlp_norm");
            const ops::Linear wi = w.linear(p + "mlp.Wi", c, 2 * inter, config.mlp_bias);
            layer.Wi_input = {wi.weight, wi.bias, c, inter, false};
            layer.Wi_gate = {wi.weight.offset(inter * c), wi.bias ? wi.bias + inter : nullptr, c, inter, false};
            layer.mlp_Wo = w.linear(p + "mlp.Wo", inter, c, config.mlp_bias);
            layer.sliding = config.sliding_window && config.sliding_layers[i];
            layers_.push_back(layer);
        }
        final_norm_ = layer_norm("final_norm");
        // The MLM head, when the checkpoint has one (ModernBertForMaskedLM, not ModernBertModel).
        if (weights.contains("head.dense.weight")) {
            Loader h{weights, ""};
            head_dense_ = h.linear("head.dense", c, c, config.head_bias);
            head_norm_ = {h.get("head.norm.weight", {c}), config.norm_bias ? h.get("head.norm.bias", {c}) : nullptr};
            const float* decoder =
                config.tie_word_embeddings ? nullptr : h.find("decoder.weight", {config.vocab_size, c});
            decoder_ = {decoder ? decoder : tok_embeddings_, config.decoder_bias ? h.get("decoder.bias", {config.vocab_size}) : nullptr,
                        c, config.vocab_size, false};
        }
    }

    void forward(const PackedBatch& batch, KvCache* /*cache*/, float* hidden) override {
        const ModelConfig& cfg = config_;
        const std::size_t n = batch.rows(), c = cfg.hidden_size, inter = cfg.intermediate_size;
        const auto positions = sequential_positions(batch, nullptr);

        float* x = hidden;  // (N, C) residual stream, in place
        std::vector<float> h(n * c), qkv(n * 3 * c), context(n * c);
        std::vector<float> input(n * inter), gate(n * inter);

        ops::embedding(tok_embeddings_, cfg.vocab_size, c, batch.ids, x);
        ops::layer_norm(x, n, c, embeddings_norm_.weight, embeddings_norm_.bias, cfg.norm_eps);

        const auto scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(cfg.head_dim)));
        for (const ModernBertEncoderLayer& layer : layers_) {
            const float* attn_in = x;
            if (layer.attn_norm.weight) {
                normalise(x, h.data(), n, c, layer.attn_norm, cfg.norm_eps);
                attn_in = h.data();
            }
            ops::linear(layer.Wqkv, attn_in, n, qkv.data());
            float* q = qkv.data();
            float* k = qkv.data() + c;
            const float* v = qkv.data() + 2 * c;
            ops::Rope& rope = layer.sliding ? local_rope_ : global_rope_;
            rope.apply(q, n, 3 * c, cfg.num_heads, positions);
            rope.apply(k, n, 3 * c, cfg.num_heads, positions);
            // |key - query| <= local_attention / 2 is |key - query| < window.
            const ops::AttentionParams params{cfg.num_heads, cfg.num_heads, cfg.head_dim, scale, false,
                                              layer.sliding ? *cfg.sliding_window + 1 : 0};
            attend(params, batch, nullptr, 0, q, 3 * c, k, 3 * c, v, 3 * c, context.data(), c);
            ops::linear(layer.Wo, context.data(), n, h.data());
            ops::add_in_place(x, h.data(), n * c);

            normalise(x, h.data(), n, c, layer.mlp_norm, cfg.norm_eps);
            ops::linear(layer.Wi_input, h.data(), n, input.data());
            ops::linear(layer.Wi_gate, h.data(), n, gate.data());
            ops::activate_and_multiply(cfg.activation, input.data(), gate.data(), n * inter);
            ops::linear(layer.mlp_Wo, input.data(), n, h.data());
            ops::add_in_place(x, h.data(), n * c);
        }
        ops::layer_norm(x, n, c, final_norm_.weight, final_norm_.bias, cfg.norm_eps);
    }

    bool has_head() const override { return static_cast<bool>(decoder_.weight); }

    void head(const float* hidden, std::size_t n, float* logits) override {
        const std::size_t c = config_.hidden_size;
        std::vector<float> t(n * c);  // (n, C)
        ops::linear(head_dense_, hidden, n, t.data());
        ops::activate(config_.head_activation, t.data(), n * c);
        ops::layer_norm(t.data(), n, c, head_norm_.weight, head_norm_.bias, config_.norm_eps);
        ops::linear(decoder_, t.data(), n, logits);
    }

    std::unique_ptr<KvCache> make_cache() const override { return nullptr; }

private:
    ModelConfig config_;
    ops::Rope global_rope_, local_rope_;
    const float* tok_embeddings_ = nullptr;  // (vocab, C)
    LayerNormWeights embeddings_norm_;
    std::vector<ModernBertEncoderLayer> layers_;
    LayerNormWeights final_norm_;
    ops::Linear head_dense_;
    LayerNormWeights head_norm_;
    ops::Linear decoder_;  // (vocab, C) + bias; weight nullptr without a head
};

}  // namespace
}  // namespace models

// configuration_modernbert.py ModernBertConfig.
void read_modernbert_config(const ConfigReader& r, ModelConfig& c) {
    read_attention_shape(r, c);
    c.intermediate_size = r.size({"intermediate_size"});
    c.max_positions = r.size({"max_position_embeddings"}, 8192);
    c.norm_eps = r.real({"norm_eps"}, 1e-5);
    c.activation_name = r.text("hidden_activation", "gelu");
    c.head_activation_name = r.text("classifier_activation", "gelu");
    c.attention_bias = r.flag("attention_bias", false);
    c.mlp_bias = r.flag("mlp_bias", false);
    c.norm_bias = r.flag("norm_bias", false);
    c.head_bias = r.flag("classifier_bias", false);
    c.decoder_bias = r.flag("decoder_bias", true);
    c.tie_word_embeddings = r.flag("tie_word_embeddings", true);
    c.type_vocab_size = 0;
    c.rotary = true;

    c.sliding_layers.assign(c.num_layers, false);
    if (const nlohmann::json* types = r.field({"layer_types"})) {
        if (!types->is_array() || types->size() != c.num_layers) r.invalid("\"layer_types\" must list one type per layer");
        for (std::size_t i = 0; i < c.num_layers; ++i) {
            const auto& t = (*types)[i];
            if (!t.is_string() || (t != "sliding_attention" && t != "full_attention"))
                r.invalid("\"layer_types\" entries must be \"full_attention\" or \"sliding_attention\"");
            c.sliding_layers[i] = t == "sliding_attention";
        }
    } else {
        const std::size_t every = r.size({"global_attn_every_n_layers"}, 3);
        if (every == 0) r.invalid("global_attn_every_n_layers must be positive");
        for (std::size_t i = 0; i < c.num_layers; ++i) c.sliding_layers[i] = i % every != 0;
    }
    // ModernBertConfig.sliding_window = local_attention // 2, the reach either side.
    c.sliding_window = r.size({"local_attention"}, 128) / 2;

    const nlohmann::json* params = r.field({"rope_parameters"});
    if (params && params->is_object() && params->contains("full_attention")) {
        c.rope = read_rope(r, "full_attention");
        c.local_rope = params->contains("sliding_attention") ? read_rope(r, "sliding_attention") : c.rope;
    } else {
        // 4.x: rope_scaling (if any) applies to both types, each with its own theta.
        c.rope = read_rope(r);
        c.local_rope = c.rope;
        c.rope.theta = r.real({"global_rope_theta"}, 160000.0);
        c.local_rope.theta = r.real({"local_rope_theta"}, 10000.0);
    }
    if (r.flag("is_decoder", false)) r.unsupported("is_decoder=true modernbert models are not supported");
}

std::unique_ptr<Network> make_modernbert(const ModelConfig& config, Weights& weights) {
    return std::make_unique<models::ModernBertForMaskedLM>(config, weights);
}

}  // namespace hubbench::engine
