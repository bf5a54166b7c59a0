// Qwen3, mirroring transformers' modeling_qwen3.py
// https://github.com/huggingface/transformers/blob/v5.0.0/src/transformers/models/qwen3/modeling_qwen3.py
// Its module tree is LLaMA's (Qwen3ForCausalLM > Qwen3Model > Qwen3DecoderLayer > Qwen3Attention,
// Qwen3MLP, Qwen3RMSNorm). What differs:
//   Qwen3Attention   q_norm, k_norm: Qwen3RMSNorm(head_dim) of each head's query and key, before
//                    RoPE; biases on q/k/v/o only with attention_bias (default false)
//   Qwen3Config      head_dim defaults to 128 (not hidden_size / num_attention_heads); sliding
//                    windows as Qwen2 (use_sliding_window, max_window_layers, or layer_types)
#include "engine/config_reader.hpp"
#include "engine/models/llama.hpp"

namespace hubbench::engine {

void read_qwen3_config(const ConfigReader& r, ModelConfig& c) {
    read_rotary_decoder_config(r, c, SlidingWindowLayers::from_max_window_layers);
    c.head_dim = r.size({"head_dim"}, 128);  // configuration_qwen3.py: head_dim=128
}

std::unique_ptr<Network> make_qwen3(const ModelConfig& config, Weights& weights) {
    return models::make_llama_family(config, weights,
                                     {.qkv_bias = config.attention_bias, .o_bias = config.attention_bias, .qk_norm = true});
}

}  // namespace hubbench::engine
