// Qwen2, mirroring transformers' modeling_qwen2.py
// https://github.com/huggingface/transformers/blob/v4.46.0/src/transformers/models/qwen2/modeling_qwen2.py
// Its module tree is LLaMA's (Qwen2ForCausalLM > Qwen2Model > Qwen2DecoderLayer > Qwen2Attention,
// Qwen2MLP, Qwen2RMSNorm); the differences are that q_proj, k_proj and v_proj always carry a bias
// (o_proj never does) and that layers from max_window_layers on may use a sliding window
// (config.sliding_layers, parsed in engine/config.cpp).
#include "engine/config_reader.hpp"
#include "engine/models/llama.hpp"

namespace hubbench::engine {

void read_qwen2_config(const ConfigReader& r, ModelConfig& c) {
    read_rotary_decoder_config(r, c, SlidingWindowLayers::from_max_window_layers);
}

std::unique_ptr<Network> make_qwen2(const ModelConfig& config, Weights& weights) {
    return models::make_llama_family(config, weights, {.qkv_bias = true, .o_bias = false});
}

}  // namespace hubbench::engine
