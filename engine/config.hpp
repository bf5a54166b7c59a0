// config.json of the supported architectures, normalised to one struct. Each architecture's row
// (engine/architectures.cpp) reads its fields as its transformers configuration class names and
// defaults them (configuration_gpt2.py: n_embd -> hidden_size etc.), including both RoPE forms:
// "rope_theta" + "rope_scaling" (transformers 4.x) and "rope_parameters" (5.x).
#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model_kind.hpp"

namespace hubbench::engine {

// The dtype the engine multiplies weight matrices in (--dtype): float32 (every weight converted
// to float32 at load), or bfloat16 (weight matrices kept as bfloat16, half the memory; norms,
// biases and embeddings stay float32 and activations and sums are float32 either way), or int8
// (weight matrices quantized at load to 8-bit integers in blocks of 32 with a float32 scale each,
// llama.cpp's Q8_0 layout: about a quarter of float32's memory and bytes read per decoded token).
// `automatic` is resolved at load (Model::load): float32 when its weights take under half the
// machine's memory, else bfloat16; int8 is only ever asked for.
enum class ComputeDtype { automatic, float32, bfloat16, int8 };
std::string_view compute_dtype_name(ComputeDtype dtype);  // "auto", "float32", "bfloat16", "int8"
// Parses "auto", "float32", "bfloat16", "int8" (also "fp32", "bf16", "q8_0"); nullopt for anything
// else.
std::optional<ComputeDtype> parse_compute_dtype(std::string_view text);

// transformers activations.py ACT2FN names we implement.
enum class Activation { gelu, gelu_new, gelu_pytorch_tanh, gelu_fast, quick_gelu, silu, relu };

// Rotary position embedding parameters (modeling_rope_utils.py ROPE_INIT_FUNCTIONS: "default",
// "linear", "llama3", "longrope").
struct RopeConfig {
    double theta = 10000.0;
    std::string type = "default";
    double factor = 1.0;                     // linear, llama3
    double low_freq_factor = 1.0;            // llama3
    double high_freq_factor = 4.0;           // llama3
    std::size_t original_max_positions = 0;  // llama3, longrope
    // longrope (Phi-3): per-frequency divisors, short up to original_max_positions tokens, long
    // beyond; cos and sin are multiplied by attention_factor (1 for the other types).
    std::vector<double> short_factor, long_factor;
    double attention_factor = 1.0;
    // Rotary dimensions = int(head_dim * factor), the first ones of each head; the rest pass
    // through (GPT-NeoX "rotary_pct" 0.25, Phi "partial_rotary_factor").
    double partial_rotary_factor = 1.0;
};

// DeBERTa-v2's disentangled attention (configuration_deberta_v2.py).
struct DebertaConfig {
    bool relative_attention = false;
    bool position_biased_input = true;     // absolute position embeddings added to the input
    bool share_att_key = false;            // Kr, Qr through key_proj / query_proj
    bool c2p = false, p2c = false;         // pos_att_type
    bool norm_rel_embeddings = false;      // norm_rel_ebd has "layer_norm"
    bool legacy_head = true;               // legacy: cls.predictions, else lm_predictions.lm_head
    std::int64_t position_buckets = -1;    // > 0: log buckets
    std::int64_t max_relative_positions = -1;
    std::size_t span = 0;                  // rel_embeddings rows / 2
    std::size_t scale_factor = 1;          // 1 + the number of position attention types
};

struct ModelConfig {
    std::string model_type;       // config.json "model_type": a row of engine/architectures.cpp
    std::string architecture;     // "architectures"[0], e.g. "LlamaForCausalLM"; may be empty
    ModelKind kind = ModelKind::decoder;
    std::size_t vocab_size = 0;
    std::size_t hidden_size = 0;
    std::size_t num_layers = 0;
    std::size_t max_positions = 0;        // max_position_embeddings / n_positions
    std::size_t num_heads = 0;
    std::size_t num_kv_heads = 0;         // num_key_value_heads (== num_heads without GQA)
    std::size_t head_dim = 0;             // "head_dim" or hidden_size / num_heads
    std::size_t intermediate_size = 0;    // GPT-2 n_inner (null: 4 * n_embd)
    double norm_eps = 1e-5;               // layer_norm_eps / rms_norm_eps / layer_norm_epsilon
    Activation activation = Activation::gelu;
    std::string activation_name;          // as written in config.json
    RopeConfig rope;                      // decoders with rotary embeddings
    RopeConfig local_rope;                // Gemma 3's sliding-window layers (rope_local_base_freq)
    bool rotary = false;                  // positions by RoPE (head_dim may differ from hidden / heads)
    // Learned positions the model numbers from an offset (RoBERTa: padding_idx + 1), so a sequence
    // may hold max_positions - position_offset tokens.
    std::size_t position_offset = 0;
    bool tie_word_embeddings = false;
    bool attention_bias = false;          // LLaMA attention_bias (q, k, v, o); Qwen2 q/k/v always
    bool mlp_bias = false;                // LLaMA mlp_bias
    std::size_t type_vocab_size = 0;      // BERT / RoBERTa token type embeddings
    std::optional<std::int64_t> pad_token_id;
    std::optional<std::int64_t> bos_token_id;
    std::vector<std::int64_t> eos_token_ids;      // "eos_token_id", an int or a list
    std::optional<std::size_t> sliding_window;    // Mistral / Qwen2 local attention window
    std::vector<bool> sliding_layers;             // per layer: uses sliding_window (layer_types)
    bool scale_attn_by_inverse_layer_idx = false; // GPT-2
    bool parallel_residual = false;               // GPT-NeoX use_parallel_residual
    double query_pre_attn_scalar = 0;             // Gemma: attention scale is its -1/2 power
    double attn_logit_softcapping = 0;            // Gemma 2 (0: none)
    double final_logit_softcapping = 0;           // Gemma 2 (0: none)
    std::size_t relative_buckets = 0;             // MPNet relative_attention_num_buckets
    // ModernBERT: LayerNorms with a bias (norm_bias), the MLM head's dense with a bias
    // (classifier_bias) and its activation (classifier_activation), the decoder's bias (decoder_bias).
    bool norm_bias = true;
    bool head_bias = true;
    bool decoder_bias = true;
    std::string head_activation_name;             // empty: the head uses `activation`
    Activation head_activation = Activation::gelu;
    DebertaConfig deberta;
    std::string dtype;                            // "torch_dtype" / "dtype", informational
};

// The model_type values this engine runs (every row of engine/architectures.cpp), sorted.
const std::vector<std::string>& supported_model_types();

// Parses config.json text; `source` names the file in errors. Throws Error(unsupported) for an
// unknown model_type (listing the supported ones), a rope type, activation or position embedding
// type we do not implement; Error(invalid_input) for missing or inconsistent fields.
ModelConfig parse_model_config(std::string_view json_text, std::string_view source);
// <dir>/config.json.
ModelConfig load_model_config(const std::filesystem::path& dir);

}  // namespace hubbench::engine
