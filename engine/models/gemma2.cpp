// Gemma 2, mirroring transformers' modeling_gemma2.py, and the Gemma 3 text model built from it
// (engine/models/gemma3.cpp)
// https://github.com/huggingface/transformers/blob/v5.0.0/src/transformers/models/gemma2/modeling_gemma2.py
//
//   Gemma2ForCausalLM
//     model: Gemma2Model
//       embed_tokens              nn.Embedding, output * sqrt(hidden_size) (the normalizer)
//       layers[i]: Gemma2DecoderLayer
//         input_layernorm         Gemma2RMSNorm: x * rsqrt(mean(x^2) + eps) * (1 + weight)
//         self_attn               q/k/v/o_proj, RoPE, scale query_pre_attn_scalar^-1/2, scores
//                                 soft-capped (attn_logit_softcapping), a sliding window on
//                                 "sliding_attention" layers (every other one)
//         post_attention_layernorm   applied to the attention output before the residual add
//         pre_feedforward_layernorm
//         mlp                     down_proj(gelu_tanh(gate_proj(x)) * up_proj(x))
//         post_feedforward_layernorm applied to the MLP output before the residual add
//       norm
//     lm_head                     tied to embed_tokens; logits soft-capped (final_logit_softcapping)
//
// Gemma 3 adds q_norm/k_norm (Gemma3RMSNorm over head_dim, before RoPE) and a second RoPE for its
// sliding-window layers; it drops both soft-caps (its config leaves them null).
#include "engine/models/gemma2.hpp"

#include <cmath>
#include <optional>
#include <vector>

#include "engine/config_reader.hpp"
#include "engine/models/common.hpp"

namespace hubbench::engine {
namespace models {

namespace {

// Gemma's RMSNorm multiplies by (1 + weight): the sum, computed once at load.
std::vector<float> one_plus(const float* weight, std::size_t n) {
    std::vector<float> w(weight, weight + n);
    for (auto& x : w) x += 1.0f;
    return w;
}

struct GemmaDecoderLayer {
    std::vector<float> input_layernorm, post_attention_layernorm, pre_feedforward_layernorm, post_feedforward_layernorm;
    std::vector<float> q_norm, k_norm;  // (head_dim), Gemma 3
    ops::Linear q_proj, k_proj, v_proj, o_proj;
    ops::Linear gate_proj, up_proj, down_proj;
    bool sliding = false;
};

class Gemma2ForCausalLM final : public models::CausalLmNetwork {
public:
    Gemma2ForCausalLM(const ModelConfig& config, Weights& weights, const GemmaVariant& variant)
        : CausalLmNetwork(config), rotary_emb_(config.rope, config.head_dim) {
        if (variant.local_rope) local_rotary_emb_.emplace(config.local_rope, config.head_dim);
        const std::size_t c = config.hidden_size, d = config.head_dim, inter = config.intermediate_size;
        const std::size_t q_dim = config.num_heads * d, kv_dim = config.num_kv_heads * d;
        Loader w{weights, weights.resolve_prefix({"model.", ""}, "embed_tokens.weight")};
        auto norm = [&](const std::string& name, std::size_t n) { return one_plus(w.get(name + ".weight", {n}), n); };
        embed_tokens_ = w.matrix("embed_tokens.weight", {config.vocab_size, c});
        for (std::size_t i = 0; i < config.num_layers; ++i) {
            const std::string p = "layers." + std::to_string(i) + ".";
            GemmaDecoderLayer layer;
            layer.input_layernorm = norm(p + "input_layernorm", c);
            layer.post_attention_layernorm = norm(p + "post_attention_layernorm", c);
            layer.pre_feedforward_layernorm = norm(p + "pre_feedforward_layernorm", c);
            layer.post_feedforward_layernorm = norm(p + "post_feedforward_layernorm", c);
            layer.q_proj = w.linear(p + "self_attn.q_proj", c, q_dim, config.attention_bias);
            layer.k_proj = w.linear(p + "self_attn.k_proj", c, kv_dim, config.attention_bias);
            layer.v_proj = w.linear(p + "self_attn.v_proj", c, kv_dim, config.attention_bias);
            layer.o_proj = w.linear(p + "self_attn.o_proj", q_dim, c, config.attention_bias);
            if (variant.qk_norm) {
                layer.q_norm = norm(p + "self_attn.q_norm", d);
                layer.k_norm = norm(p + "self_attn.k_norm", d);
            }
            layer.gate_proj = w.linear(p + "mlp.gate_proj", c, inter, false);
            layer.up_proj = w.linear(p + "mlp.up_proj", c, inter, false);
            layer.down_proj = w.linear(p + "mlp.down_proj", inter, c, false);
            layer.sliding = config.sliding_window && config.sliding_layers[i];
            layers_.push_back(std::move(layer));
        }
        norm_ = norm("norm", c);
        lm_head_ = causal_lm_head(config, weights, embed_tokens_, config.architecture.ends_with("Model"));
    }

    void forward(const PackedBatch& batch, KvCache* cache, float* hidden) override {
        const ModelConfig& cfg = config_;
        const std::size_t n = batch.rows(), c = cfg.hidden_size, d = cfg.head_dim, inter = cfg.intermediate_size;
        const std::size_t q_dim = cfg.num_heads * d, kv_dim = cfg.num_kv_heads * d;
        const auto positions = sequential_positions(batch, cache);
        if (cache) cache->prepare_append(n);

        std::vector<float> x(n * c), h(n * c);   // (N, C) residual stream, a sub-layer's input/output
        std::vector<float> q(n * q_dim), attn(n * q_dim);
        std::vector<float> k(n * kv_dim), v(n * kv_dim);
        std::vector<float> gate(n * inter), up(n * inter);

        // Gemma2Model: hidden_states * normalizer, normalizer = sqrt(hidden_size) in the weights' dtype.
        ops::embedding(embed_tokens_, cfg.vocab_size, c, batch.ids, x.data());
        const auto normalizer = static_cast<float>(std::sqrt(static_cast<double>(c)));
        for (auto& e : x) e *= normalizer;
        // Gemma2Attention.scaling = query_pre_attn_scalar ** -0.5
        const auto scale = static_cast<float>(1.0 / std::sqrt(cfg.query_pre_attn_scalar));
        for (std::size_t l = 0; l < layers_.size(); ++l) {
            const GemmaDecoderLayer& layer = layers_[l];
            ops::rms_norm(x.data(), h.data(), n, c, layer.input_layernorm.data(), cfg.norm_eps);
            ops::linear(layer.q_proj, h.data(), n, q.data());
            ops::linear(layer.k_proj, h.data(), n, k.data());
            ops::linear(layer.v_proj, h.data(), n, v.data());
            if (!layer.q_norm.empty()) {
                ops::rms_norm(q.data(), q.data(), n * cfg.num_heads, d, layer.q_norm.data(), cfg.norm_eps);
                ops::rms_norm(k.data(), k.data(), n * cfg.num_kv_heads, d, layer.k_norm.data(), cfg.norm_eps);
            }
            ops::Rope& rope = layer.sliding && local_rotary_emb_ ? *local_rotary_emb_ : rotary_emb_;
            rope.apply(q.data(), n, q_dim, cfg.num_heads, positions);
            rope.apply(k.data(), n, kv_dim, cfg.num_kv_heads, positions);
            const ops::AttentionParams params{cfg.num_heads, cfg.num_kv_heads, d, scale, true,
                                              layer.sliding ? *cfg.sliding_window : 0,
                                              static_cast<float>(cfg.attn_logit_softcapping)};
            attend(params, batch, cache, l, q.data(), q_dim, k.data(), kv_dim, v.data(), kv_dim, attn.data(), q_dim);
            ops::linear(layer.o_proj, attn.data(), n, h.data());
            ops::rms_norm(h.data(), h.data(), n, c, layer.post_attention_layernorm.data(), cfg.norm_eps);
            ops::add_in_place(x.data(), h.data(), n * c);

            ops::rms_norm(x.data(), h.data(), n, c, layer.pre_feedforward_layernorm.data(), cfg.norm_eps);
            ops::linear(layer.gate_proj, h.data(), n, gate.data());
            ops::linear(layer.up_proj, h.data(), n, up.data());
            ops::activate_and_multiply(cfg.activation, gate.data(), up.data(), n * inter);
            ops::linear(layer.down_proj, gate.data(), n, h.data());
            ops::rms_norm(h.data(), h.data(), n, c, layer.post_feedforward_layernorm.data(), cfg.norm_eps);
            ops::add_in_place(x.data(), h.data(), n * c);
        }
        ops::rms_norm(x.data(), hidden, n, c, norm_.data(), cfg.norm_eps);
        if (cache) cache->commit_append(n);
    }

    void head(const float* hidden, std::size_t n, float* logits) override {
        lm_head_logits(lm_head_, config_, hidden, n, logits);
        // Gemma2ForCausalLM: logits = tanh(logits / cap) * cap
        if (const double cap = config_.final_logit_softcapping; cap > 0)
            for (std::size_t i = 0; i < n * config_.vocab_size; ++i)
                logits[i] = static_cast<float>(cap * std::tanh(logits[i] / cap));
    }

private:
    ops::Rope rotary_emb_;
    std::optional<ops::Rope> local_rotary_emb_;  // Gemma 3's sliding-window layers
    ops::Matrix embed_tokens_;  // (vocab, C)
    std::vector<GemmaDecoderLayer> layers_;
    std::vector<float> norm_;              // (C), 1 + weight
};

}  // namespace

std::unique_ptr<Network> make_gemma_family(const ModelConfig& config, Weights& weights, const GemmaVariant& variant) {
    return std::make_unique<Gemma2ForCausalLM>(config, weights, variant);
}

void read_gemma_config(const ConfigReader& r, ModelConfig& c, const GemmaDefaults& defaults) {
    read_rotary_decoder_config(r, c, SlidingWindowLayers::all);
    c.head_dim = r.size({"head_dim"}, 256);
    c.activation_name = r.text("hidden_activation", r.text("hidden_act", "gelu_pytorch_tanh").c_str());
    c.tie_word_embeddings = r.flag("tie_word_embeddings", true);
    c.query_pre_attn_scalar = r.real({"query_pre_attn_scalar"}, 256);
    if (!(c.query_pre_attn_scalar > 0)) r.invalid("query_pre_attn_scalar must be positive");
    // An absent soft-cap takes the class default; a null one means none.
    c.attn_logit_softcapping = r.present("attn_logit_softcapping") ? r.real({"attn_logit_softcapping"}, 0) : defaults.attn_softcap;
    c.final_logit_softcapping =
        r.present("final_logit_softcapping") ? r.real({"final_logit_softcapping"}, 0) : defaults.final_softcap;
    if (r.flag("use_bidirectional_attention", false)) r.unsupported("use_bidirectional_attention is not supported");
    // Without layer_types, every `pattern`-th layer attends globally, the others slide
    // ("sliding_attention" if bool((i + 1) % pattern)); sliding_window defaults to 4096 when absent.
    if (!r.field({"layer_types"})) {
        const std::optional<std::size_t> window =
            r.present("sliding_window") ? (r.field({"sliding_window"}) ? std::optional(r.size({"sliding_window"})) : std::nullopt)
                                        : std::optional<std::size_t>(4096);
        const std::size_t pattern = r.size({"sliding_window_pattern"}, defaults.sliding_window_pattern);
        if (pattern == 0) r.invalid("sliding_window_pattern must be positive");
        c.sliding_layers.assign(c.num_layers, false);
        c.sliding_window.reset();
        if (window && *window > 0) {
            for (std::size_t i = 0; i < c.num_layers; ++i) c.sliding_layers[i] = (i + 1) % pattern != 0;
            c.sliding_window = window;
        }
    }
}

}  // namespace models

// configuration_gemma2.py: soft-caps 50 (attention) and 30 (logits), every other layer slides.
void read_gemma2_config(const ConfigReader& r, ModelConfig& c) {
    models::read_gemma_config(r, c, {.attn_softcap = 50.0, .final_softcap = 30.0, .sliding_window_pattern = 2});
}

std::unique_ptr<Network> make_gemma2(const ModelConfig& config, Weights& weights) {
    return models::make_gemma_family(config, weights, {.qk_norm = false, .local_rope = false});
}

}  // namespace hubbench::engine
