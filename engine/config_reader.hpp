// Typed reads of one config.json, for the architectures' config readers (engine/architectures.cpp
// rows): every error names the file and the field. Also the readers that families of
// architectures share (the rotary decoders' common fields, BERT's encoder fields).
#pragma once
#include <cstddef>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "engine/config.hpp"

namespace hubbench::engine {

class ConfigReader {
public:
    ConfigReader(const nlohmann::json& doc, std::string_view source) : doc_(doc), source_(source) {}

    // The first of `keys` present and not null, or nullptr.
    const nlohmann::json* field(std::initializer_list<const char*> keys) const;
    // `key` is in the file, null or not (a null may mean "none" where absence means a default).
    bool present(const char* key) const { return doc_.contains(key); }
    // A non-negative integer under the first present key; `fallback` when none is (else an error
    // naming the first key).
    std::size_t size(std::initializer_list<const char*> keys, std::optional<std::size_t> fallback = std::nullopt) const;
    double real(std::initializer_list<const char*> keys, double fallback) const;
    std::string text(const char* key, const char* fallback) const;
    bool flag(const char* key, bool fallback) const;
    // The same reads inside a nested object (rope_parameters, ...), errors still naming the file.
    ConfigReader nested(const nlohmann::json& object) const { return {object, source_}; }

    [[noreturn]] void invalid(const std::string& what) const;      // Error(invalid_input)
    [[noreturn]] void unsupported(const std::string& what) const;  // Error(unsupported): a feature we lack
    std::string_view source() const { return source_; }

private:
    const nlohmann::json& doc_;
    std::string_view source_;
};

// The attention's shape without grouped-query heads: hidden size, layer count, heads, each under
// the configuration class's own name (GPT-2 "n_embd") or the standard one its attribute_map
// gives ("hidden_size"), with the class default where it has one; key/value heads = heads,
// head_dim = hidden / heads. Errors when the heads do not divide the hidden size.
struct AttentionShapeKeys {
    const char* hidden = "hidden_size";
    const char* layers = "num_hidden_layers";
    const char* heads = "num_attention_heads";
    std::optional<std::size_t> hidden_default, layers_default, heads_default;
};
void read_attention_shape(const ConfigReader& r, ModelConfig& c, const AttentionShapeKeys& keys = {});

// RoPE: transformers 5 "rope_parameters" {rope_theta, rope_type, ...} (per layer type under
// "full_attention"); 4.x "rope_theta" + "rope_scaling" {type|rope_type, factor, ...}. A rope type
// we do not implement is Error(unsupported) naming it. `layer_type` picks the entry of a
// per-layer-type rope_parameters (Gemma 3: "full_attention", "sliding_attention").
RopeConfig read_rope(const ConfigReader& r, const char* layer_type = "full_attention");

// Which layers a decoder's "sliding_window" applies to when "layer_types" does not list them.
enum class SlidingWindowLayers {
    all,                     // Mistral: every layer
    from_max_window_layers,  // Qwen2, Qwen3: layers >= max_window_layers, only when use_sliding_window
};

// The LLaMA-like decoders' fields (hidden_size, num_key_value_heads, head_dim, rms_norm_eps,
// hidden_act, rope, attention_bias, mlp_bias, sliding windows).
void read_rotary_decoder_config(const ConfigReader& r, ModelConfig& c, SlidingWindowLayers windows);
// BERT's encoder fields, which RoBERTa and XLM-RoBERTa share (configuration_bert.py).
void read_bert_encoder_config(const ConfigReader& r, ModelConfig& c);

}  // namespace hubbench::engine
