// GPT-2, mirroring transformers' modeling_gpt2.py
// https://github.com/huggingface/transformers/blob/v4.46.0/src/transformers/models/gpt2/modeling_gpt2.py
//
//   GPT2LMHeadModel
//     transformer: GPT2Model
//       wte, wpe                token and learned absolute position embeddings
//       h[i]: GPT2Block
//         ln_1                  LayerNorm
//         attn: GPT2Attention   c_attn (Conv1D hidden -> 3*hidden: q|k|v), c_proj (Conv1D)
//         ln_2                  LayerNorm
//         mlp: GPT2MLP          c_proj(act(c_fc(x))), Conv1D both
//       ln_f                    LayerNorm
//     lm_head                   tied to wte
//
// Conv1D stores its weight as (in, out), hence Linear::in_major.
#include <cmath>
#include <vector>

#include "engine/config_reader.hpp"
#include "engine/models/common.hpp"

namespace hubbench::engine {

namespace {

struct GPT2Block {
    const float* ln_1_weight = nullptr;  // (C)
    const float* ln_1_bias = nullptr;    // (C)
    ops::Linear c_attn, attn_c_proj;
    const float* ln_2_weight = nullptr;
    const float* ln_2_bias = nullptr;
    ops::Linear c_fc, mlp_c_proj;
};

class GPT2LMHeadModel final : public models::CausalLmNetwork {
public:
    GPT2LMHeadModel(const ModelConfig& config, Weights& weights) : CausalLmNetwork(config) {
        const std::size_t c = config.hidden_size, inter = config.intermediate_size;
        // GPT2LMHeadModel saves "transformer."-prefixed names; GPT2Model checkpoints (the original
        // "gpt2" repo) have none.
        models::Loader w{weights, weights.resolve_prefix({"transformer.", ""}, "wte.weight")};
        auto conv1d = [&](const std::string& name, std::size_t in, std::size_t out) {
            return ops::Linear{w.matrix(name + ".weight", {in, out}), w.get(name + ".bias", {out}), in, out, true};
        };
        wte_ = w.matrix("wte.weight", {config.vocab_size, c});
        wpe_ = w.get("wpe.weight", {config.max_positions, c});
        for (std::size_t i = 0; i < config.num_layers; ++i) {
            const std::string p = "h." + std::to_string(i) + ".";
            GPT2Block block;
            block.ln_1_weight = w.get(p + "ln_1.weight", {c});
            block.ln_1_bias = w.get(p + "ln_1.bias", {c});
            block.c_attn = conv1d(p + "attn.c_attn", c, 3 * c);
            block.attn_c_proj = conv1d(p + "attn.c_proj", c, c);
            block.ln_2_weight = w.get(p + "ln_2.weight", {c});
            block.ln_2_bias = w.get(p + "ln_2.bias", {c});
            block.c_fc = conv1d(p + "mlp.c_fc", c, inter);
            block.mlp_c_proj = conv1d(p + "mlp.c_proj", inter, c);
            h_.push_back(block);
        }
        ln_f_weight_ = w.get("ln_f.weight", {c});
        ln_f_bias_ = w.get("ln_f.bias", {c});
        lm_head_ = models::causal_lm_head(config, weights, wte_, config.architecture == "GPT2Model");
    }

    void forward(const PackedBatch& batch, KvCache* cache, float* hidden) override {
        const ModelConfig& cfg = config_;
        const std::size_t n = batch.rows(), c = cfg.hidden_size, inter = cfg.intermediate_size;
        const auto positions = models::sequential_positions(batch, cache);
        models::check_positions(positions, cfg.max_positions, "gpt2");
        if (cache) cache->prepare_append(n);

        std::vector<float> x(n * c);        // (N, C) residual stream
        std::vector<float> h(n * c);        // (N, C)
        std::vector<float> qkv(n * 3 * c);  // (N, 3C): q | k | v
        std::vector<float> attn(n * c);     // (N, C)
        std::vector<float> mlp(n * inter);  // (N, I)

        ops::embedding(wte_, cfg.vocab_size, c, batch.ids, x.data());
        ops::add_embedding(wpe_, cfg.max_positions, c, positions, x.data(), "position");
        for (std::size_t l = 0; l < h_.size(); ++l) {
            const GPT2Block& block = h_[l];
            std::copy(x.begin(), x.end(), h.begin());
            ops::layer_norm(h.data(), n, c, block.ln_1_weight, block.ln_1_bias, cfg.norm_eps);
            ops::linear(block.c_attn, h.data(), n, qkv.data());
            // GPT2Attention._attn: scale by 1/sqrt(head_dim), and by 1/(layer_idx + 1) when
            // scale_attn_by_inverse_layer_idx.
            double scale = 1.0 / std::sqrt(static_cast<double>(cfg.head_dim));
            if (cfg.scale_attn_by_inverse_layer_idx) scale /= static_cast<double>(l + 1);
            ops::AttentionParams params{cfg.num_heads, cfg.num_heads, cfg.head_dim, static_cast<float>(scale), true, 0};
            models::attend(params, batch, cache, l, qkv.data(), 3 * c, qkv.data() + c, 3 * c, qkv.data() + 2 * c, 3 * c,
                           attn.data(), c);
            ops::linear(block.attn_c_proj, attn.data(), n, h.data());
            ops::add_in_place(x.data(), h.data(), n * c);

            std::copy(x.begin(), x.end(), h.begin());
            ops::layer_norm(h.data(), n, c, block.ln_2_weight, block.ln_2_bias, cfg.norm_eps);
            ops::linear(block.c_fc, h.data(), n, mlp.data());
            ops::activate(cfg.activation, mlp.data(), n * inter);
            ops::linear(block.mlp_c_proj, mlp.data(), n, h.data());
            ops::add_in_place(x.data(), h.data(), n * c);
        }
        std::copy(x.begin(), x.end(), hidden);
        ops::layer_norm(hidden, n, c, ln_f_weight_, ln_f_bias_, cfg.norm_eps);
        if (cache) cache->commit_append(n);
    }

private:
    ops::Matrix wte_;  // (vocab, C)
    const float* wpe_ = nullptr;  // (n_positions, C)
    std::vector<GPT2Block> h_;
    const float* ln_f_weight_ = nullptr;
    const float* ln_f_bias_ = nullptr;
};

}  // namespace

// configuration_gpt2.py: n_embd, n_layer, n_head, n_positions, n_inner (None: 4 * n_embd).
void read_gpt2_config(const ConfigReader& r, ModelConfig& c) {
    AttentionShapeKeys keys;
    keys.hidden = "n_embd";
    keys.layers = "n_layer";
    keys.heads = "n_head";
    read_attention_shape(r, c, keys);
    c.intermediate_size = r.size({"n_inner"}, 4 * c.hidden_size);
    c.max_positions = r.size({"n_positions", "max_position_embeddings"});
    c.norm_eps = r.real({"layer_norm_epsilon"}, 1e-5);
    c.activation_name = r.text("activation_function", "gelu_new");
    c.tie_word_embeddings = r.flag("tie_word_embeddings", true);
    c.scale_attn_by_inverse_layer_idx = r.flag("scale_attn_by_inverse_layer_idx", false);
    c.attention_bias = true;
    c.mlp_bias = true;
}

std::unique_ptr<Network> make_gpt2(const ModelConfig& config, Weights& weights) {
    return std::make_unique<GPT2LMHeadModel>(config, weights);
}

}  // namespace hubbench::engine
