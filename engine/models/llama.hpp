// The LLaMA decoder (RMSNorm, rotary embeddings, grouped-query attention, SwiGLU MLP), shared by
// the models transformers derives from it in its modular files: Mistral (same module tree, plus a
// sliding window) and Qwen2 (biases on q/k/v).
#pragma once
#include <memory>

#include "engine/network.hpp"

namespace hubbench::engine::models {

struct LlamaVariant {
    bool qkv_bias = false;  // q_proj, k_proj, v_proj have biases
    bool o_bias = false;    // o_proj has a bias
};

std::unique_ptr<Network> make_llama_family(const ModelConfig& config, Weights& weights, const LlamaVariant& variant);

}  // namespace hubbench::engine::models
