// Phi-3, mirroring transformers' modeling_phi3.py
// https://github.com/huggingface/transformers/blob/v5.0.0/src/transformers/models/phi3/modeling_phi3.py
//
//   Phi3ForCausalLM
//     model: Phi3Model
//       embed_tokens
//       layers[i]: Phi3DecoderLayer
//         input_layernorm      Phi3RMSNorm
//         self_attn            qkv_proj (q | k | v in one Linear, no bias), o_proj; RoPE on the first
//                              int(head_dim * partial_rotary_factor) dims, "longrope" scaling (short
//                              factors up to original_max_position_embeddings, long beyond, cos/sin
//                              times attention_factor); sliding_window on every layer when set
//         post_attention_layernorm
//         mlp                  down_proj(up * act(gate)), gate | up = gate_up_proj(x).chunk(2)
//       norm
//     lm_head                  untied by default
// The functions are LLaMA's (engine/models/llama.cpp) with fused projections.
#include "engine/config_reader.hpp"
#include "engine/models/llama.hpp"

namespace hubbench::engine {

// configuration_phi3.py: rms_norm_eps 1e-5, original_max_position_embeddings (read by longrope),
// partial_rotary_factor 1.0 (Phi-4-mini: 0.75).
void read_phi3_config(const ConfigReader& r, ModelConfig& c) {
    read_rotary_decoder_config(r, c, SlidingWindowLayers::all);
    c.norm_eps = r.real({"rms_norm_eps"}, 1e-5);
}

std::unique_ptr<Network> make_phi3(const ModelConfig& config, Weights& weights) {
    return models::make_llama_family(config, weights,
                                     {.qkv_bias = false, .o_bias = false, .qk_norm = false, .fused = true});
}

}  // namespace hubbench::engine
