// OPT, mirroring transformers' modeling_opt.py
// https://github.com/huggingface/transformers/blob/v5.0.0/src/transformers/models/opt/modeling_opt.py
//
//   OPTForCausalLM
//     model: OPTModel
//       decoder: OPTDecoder
//         embed_tokens             nn.Embedding(vocab, hidden)
//         embed_positions          OPTLearnedPositionalEmbedding: max_position_embeddings + 2 rows,
//                                  position p looked up at p + 2 (the offset)
//         layers[i]: OPTDecoderLayer (do_layer_norm_before: pre-LN)
//           self_attn_layer_norm   LayerNorm
//           self_attn              q_proj(x) * head_dim^-1/2, k_proj, v_proj, out_proj (biases)
//           final_layer_norm       LayerNorm
//           fc1 -> relu -> fc2
//         final_layer_norm
//     lm_head                      tied to embed_tokens
// Not implemented, refused by name: word_embed_proj_dim != hidden_size (project_in/project_out)
// and do_layer_norm_before = false (post-LN), which only facebook/opt-350m uses.
#include <fmt/format.h>

#include <cmath>
#include <vector>

#include "engine/config_reader.hpp"
#include "engine/models/common.hpp"

namespace hubbench::engine {

namespace {

constexpr std::int32_t position_offset = 2;  // OPTLearnedPositionalEmbedding.offset

struct OPTDecoderLayer {
    models::LayerNormWeights self_attn_layer_norm, final_layer_norm;
    ops::Linear q_proj, k_proj, v_proj, out_proj, fc1, fc2;
};

class OPTForCausalLM final : public models::CausalLmNetwork {
public:
    OPTForCausalLM(const ModelConfig& config, Weights& weights) : CausalLmNetwork(config) {
        const std::size_t c = config.hidden_size, inter = config.intermediate_size;
        const bool bias = config.attention_bias;
        models::Loader w{weights, weights.resolve_prefix({"model.decoder.", "decoder.", ""}, "embed_tokens.weight")};
        auto layer_norm = [&](const std::string& name) { return models::LayerNormWeights{w.get(name + ".weight", {c}), w.get(name + ".bias", {c})}; };
        embed_tokens_ = w.matrix("embed_tokens.weight", {config.vocab_size, c});
        embed_positions_ = w.get("embed_positions.weight", {config.max_positions + position_offset, c});
        for (std::size_t i = 0; i < config.num_layers; ++i) {
            const std::string p = "layers." + std::to_string(i) + ".";
            OPTDecoderLayer layer;
            layer.self_attn_layer_norm = layer_norm(p + "self_attn_layer_norm");
            layer.q_proj = w.linear(p + "self_attn.q_proj", c, c, bias);
            layer.k_proj = w.linear(p + "self_attn.k_proj", c, c, bias);
            layer.v_proj = w.linear(p + "self_attn.v_proj", c, c, bias);
            layer.out_proj = w.linear(p + "self_attn.out_proj", c, c, bias);
            layer.final_layer_norm = layer_norm(p + "final_layer_norm");
            layer.fc1 = w.linear(p + "fc1", c, inter, bias);
            layer.fc2 = w.linear(p + "fc2", inter, c, bias);
            layers_.push_back(layer);
        }
        final_layer_norm_ = layer_norm("final_layer_norm");
        lm_head_ = models::causal_lm_head(config, weights, embed_tokens_, config.architecture.ends_with("Model"));
    }

    void forward(const PackedBatch& batch, KvCache* cache, float* hidden) override {
        const ModelConfig& cfg = config_;
        const std::size_t n = batch.rows(), c = cfg.hidden_size, d = cfg.head_dim, inter = cfg.intermediate_size;
        auto positions = models::sequential_positions(batch, cache);
        models::check_positions(positions, cfg.max_positions, cfg.model_type);
        for (auto& p : positions) p += position_offset;
        if (cache) cache->prepare_append(n);

        std::vector<float> x(n * c), h(n * c);            // (N, C) residual stream, sub-layer in/out
        std::vector<float> q(n * c), k(n * c), v(n * c);  // (N, C)
        std::vector<float> attn(n * c);                   // (N, C)
        std::vector<float> mid(n * inter);                // (N, I)

        ops::embedding(embed_tokens_, cfg.vocab_size, c, batch.ids, x.data());
        ops::add_embedding(embed_positions_, cfg.max_positions + position_offset, c, positions, x.data(), "position");
        // OPTAttention scales the queries (q_proj(x) * scaling) and attends with scale 1.
        const ops::AttentionParams params{cfg.num_heads, cfg.num_heads, d, 1.0f, true, 0};
        const auto scaling = static_cast<float>(1.0 / std::sqrt(static_cast<double>(d)));
        for (std::size_t l = 0; l < layers_.size(); ++l) {
            const OPTDecoderLayer& layer = layers_[l];
            normalise(x.data(), h.data(), n, layer.self_attn_layer_norm);
            ops::linear(layer.q_proj, h.data(), n, q.data());
            for (auto& e : q) e *= scaling;
            ops::linear(layer.k_proj, h.data(), n, k.data());
            ops::linear(layer.v_proj, h.data(), n, v.data());
            models::attend(params, batch, cache, l, q.data(), c, k.data(), c, v.data(), c, attn.data(), c);
            ops::linear(layer.out_proj, attn.data(), n, h.data());
            ops::add_in_place(x.data(), h.data(), n * c);

            normalise(x.data(), h.data(), n, layer.final_layer_norm);
            ops::linear(layer.fc1, h.data(), n, mid.data());
            ops::activate(cfg.activation, mid.data(), n * inter);
            ops::linear(layer.fc2, mid.data(), n, h.data());
            ops::add_in_place(x.data(), h.data(), n * c);
        }
        normalise(x.data(), hidden, n, final_layer_norm_);
        if (cache) cache->commit_append(n);
    }

private:
    void normalise(const float* x, float* out, std::size_t n, const models::LayerNormWeights& ln) const {
        models::normalise(x, out, n, config_.hidden_size, ln, config_.norm_eps);
    }

    ops::Matrix embed_tokens_;  // (vocab, C)
    const float* embed_positions_ = nullptr;  // (max_positions + 2, C)
    std::vector<OPTDecoderLayer> layers_;
    models::LayerNormWeights final_layer_norm_;
};

}  // namespace

// configuration_opt.py: ffn_dim, activation_function "relu", enable_bias, nn.LayerNorm's eps 1e-5.
void read_opt_config(const ConfigReader& r, ModelConfig& c) {
    read_attention_shape(r, c);
    c.intermediate_size = r.size({"ffn_dim"});
    c.max_positions = r.size({"max_position_embeddings"}, 2048);
    c.norm_eps = 1e-5;
    c.activation_name = r.text("activation_function", "relu");
    c.tie_word_embeddings = r.flag("tie_word_embeddings", true);
    c.attention_bias = r.flag("enable_bias", true);
    c.mlp_bias = c.attention_bias;
    if (const std::size_t proj = r.size({"word_embed_proj_dim"}, c.hidden_size); proj != c.hidden_size)
        r.unsupported(fmt::format("word_embed_proj_dim {} != hidden_size {} (project_in/project_out, as in opt-350m) is not "
                                  "supported", proj, c.hidden_size));
    if (!r.flag("do_layer_norm_before", true))
        r.unsupported("do_layer_norm_before=false (post-LN OPT, as opt-350m) is not supported");
    if (r.flag("_remove_final_layer_norm", false)) r.unsupported("_remove_final_layer_norm=true is not supported");
    if (!r.flag("layer_norm_elementwise_affine", true)) r.unsupported("layer_norm_elementwise_affine=false is not supported");
}

std::unique_ptr<Network> make_opt(const ModelConfig& config, Weights& weights) {
    return std::make_unique<OPTForCausalLM>(config, weights);
}

}  // namespace hubbench::engine
