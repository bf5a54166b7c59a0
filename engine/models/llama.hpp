// The LLaMA decoder (RMSNorm, rotary embeddings, grouped-query attention, SwiGLU MLP), shared by
// the models transformers derives from it in its modular files: Mistral (same module tree, plus a
// sliding window), Qwen2 (biases on q/k/v), Qwen3 (RMSNorm of each head's queries and keys) and
// Phi-3 (the same functions with fused projections).
#pragma once
#include <memory>

#include "engine/network.hpp"

namespace hubbench::engine::models {

struct LlamaVariant {
    bool qkv_bias = false;  // q_proj, k_proj, v_proj have biases
    bool o_bias = false;    // o_proj has a bias
    bool qk_norm = false;   // self_attn.q_norm / k_norm: RMSNorm over head_dim before RoPE (Qwen3)
    bool fused = false;     // self_attn.qkv_proj (q | k | v) and mlp.gate_up_proj (gate | up) (Phi-3)
};

std::unique_ptr<Network> make_llama_family(const ModelConfig& config, Weights& weights, const LlamaVariant& variant);

}  // namespace hubbench::engine::models
