// The Gemma 2 decoder (scaled embeddings, (1 + weight) RMSNorm sandwiches around attention and
// MLP, soft-capped scores and logits, alternating sliding windows), which Gemma 3's text model
// reuses with q/k norms and a separate RoPE for its sliding layers.
#pragma once
#include <memory>

#include "engine/network.hpp"

namespace hubbench::engine {
class ConfigReader;
}

namespace hubbench::engine::models {

struct GemmaVariant {
    bool qk_norm = false;     // self_attn.q_norm / k_norm (Gemma 3)
    bool local_rope = false;  // sliding layers use config.local_rope (Gemma 3)
};

// Class defaults of the configuration (configuration_gemma2.py, configuration_gemma3.py).
struct GemmaDefaults {
    double attn_softcap = 0;             // 0: none
    double final_softcap = 0;
    std::size_t sliding_window_pattern = 2;
};

void read_gemma_config(const ConfigReader& r, ModelConfig& c, const GemmaDefaults& defaults);
std::unique_ptr<Network> make_gemma_family(const ModelConfig& config, Weights& weights, const GemmaVariant& variant);

}  // namespace hubbench::engine::models
