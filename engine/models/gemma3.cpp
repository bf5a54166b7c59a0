// Gemma 3 (text), mirroring transformers' modeling_gemma3.py Gemma3ForCausalLM
// https://github.com/huggingface/transformers/blob/v5.0.0/src/transformers/models/gemma3/modeling_gemma3.py
// Its module tree is Gemma 2's (engine/models/gemma2.cpp: Gemma3TextScaledWordEmbedding, the four
// Gemma3RMSNorm per layer, Gemma3MLP). What differs:
//   Gemma3Attention    q_norm, k_norm: Gemma3RMSNorm(head_dim) of each head's query and key before
//                      RoPE; no soft-capping by default (attn_logit_softcapping null)
//   Gemma3RotaryEmbedding   one RoPE per layer type: "full_attention" layers use rope_theta (and
//                      its scaling, e.g. linear 8), "sliding_attention" layers rope_local_base_freq
//                      (10000) without scaling (transformers 5: rope_parameters per layer type)
//   layer_types        every sliding_window_pattern-th (6th) layer global, the others slide
// model_type "gemma3_text"; the multimodal "gemma3" (Gemma3ForConditionalGeneration) is not this.
#include "engine/config_reader.hpp"
#include "engine/models/gemma2.hpp"

namespace hubbench::engine {

void read_gemma3_config(const ConfigReader& r, ModelConfig& c) {
    models::read_gemma_config(r, c, {.attn_softcap = 0, .final_softcap = 0, .sliding_window_pattern = 6});
    const nlohmann::json* params = r.field({"rope_parameters"});
    if (params && params->is_object() && params->contains("sliding_attention")) {
        c.local_rope = read_rope(r, "sliding_attention");
    } else {
        c.local_rope = RopeConfig{};
        c.local_rope.theta = r.real({"rope_local_base_freq"}, 10000.0);
    }
}

std::unique_ptr<Network> make_gemma3(const ModelConfig& config, Weights& weights) {
    return models::make_gemma_family(config, weights, {.qk_norm = true, .local_rope = true});
}

}  // namespace hubbench::engine
