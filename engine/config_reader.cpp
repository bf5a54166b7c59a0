#include "engine/config_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "core/error.hpp"

namespace hubbench::engine {

using json = nlohmann::json;

const json* ConfigReader::field(std::initializer_list<const char*> keys) const {
    for (const char* k : keys) {
        auto it = doc_.find(k);
        if (it != doc_.end() && !it->is_null()) return &*it;
    }
    return nullptr;
}

void ConfigReader::invalid(const std::string& what) const {
    throw Error(ErrorKind::invalid_input, one_line(fmt::format("{}: {}", source_, what)));
}

void ConfigReader::unsupported(const std::string& what) const {
    throw Error(ErrorKind::unsupported, one_line(fmt::format("{}: {}", source_, what)));
}

std::size_t ConfigReader::size(std::initializer_list<const char*> keys, std::optional<std::size_t> fallback) const {
    const json* v = field(keys);
    if (!v) {
        if (fallback) return *fallback;
        invalid(fmt::format("missing \"{}\"", *keys.begin()));
    }
    if (!v->is_number_unsigned() || v->get<std::uint64_t>() > (std::uint64_t{1} << 40))
        invalid(fmt::format("\"{}\" must be a non-negative integer", *keys.begin()));
    return static_cast<std::size_t>(v->get<std::uint64_t>());
}

double ConfigReader::real(std::initializer_list<const char*> keys, double fallback) const {
    const json* v = field(keys);
    if (!v) return fallback;
    if (!v->is_number()) invalid(fmt::format("\"{}\" must be a number", *keys.begin()));
    return v->get<double>();
}

std::string ConfigReader::text(const char* key, const char* fallback) const {
    const json* v = field({key});
    if (!v) return fallback;
    if (!v->is_string()) invalid(fmt::format("\"{}\" must be a string", key));
    return v->get<std::string>();
}

bool ConfigReader::flag(const char* key, bool fallback) const {
    const json* v = field({key});
    if (!v) return fallback;
    if (!v->is_boolean()) invalid(fmt::format("\"{}\" must be true or false", key));
    return v->get<bool>();
}

namespace {

std::vector<double> factor_list(const ConfigReader& s, const char* key) {
    const json* v = s.field({key});
    if (!v || !v->is_array() || v->empty()) s.invalid(fmt::format("longrope needs \"{}\", a list of numbers", key));
    std::vector<double> out;
    for (const auto& x : *v) {
        if (!x.is_number() || !(x.get<double>() > 0)) s.invalid(fmt::format("\"{}\" must hold positive numbers", key));
        out.push_back(x.get<double>());
    }
    return out;
}

// modeling_rope_utils.py _compute_longrope_parameters: factor defaults to max_position_embeddings /
// original_max_position_embeddings; attention_factor to sqrt(1 + ln(factor) / ln(original)) (1 when
// factor <= 1).
void read_longrope(const ConfigReader& r, const ConfigReader& s, RopeConfig& rope) {
    rope.short_factor = factor_list(s, "short_factor");
    rope.long_factor = factor_list(s, "long_factor");
    rope.original_max_positions = s.size({"original_max_position_embeddings"}, r.size({"original_max_position_embeddings"}, 0));
    if (rope.original_max_positions < 2) r.invalid("longrope needs original_max_position_embeddings");
    const double original = static_cast<double>(rope.original_max_positions);
    const double factor = s.real({"factor"}, static_cast<double>(r.size({"max_position_embeddings"}, 2048)) / original);
    rope.attention_factor =
        s.real({"attention_factor"}, factor <= 1.0 ? 1.0 : std::sqrt(1.0 + std::log(factor) / std::log(original)));
}

}  // namespace

void read_attention_shape(const ConfigReader& r, ModelConfig& c, const AttentionShapeKeys& keys) {
    c.hidden_size = r.size({keys.hidden, "hidden_size"}, keys.hidden_default);
    c.num_layers = r.size({keys.layers, "num_hidden_layers"}, keys.layers_default);
    c.num_heads = r.size({keys.heads, "num_attention_heads"}, keys.heads_default);
    if (c.num_heads == 0 || c.hidden_size % c.num_heads != 0)
        r.invalid(fmt::format("{} {} is not a multiple of {} {}", keys.hidden, c.hidden_size, keys.heads, c.num_heads));
    c.num_kv_heads = c.num_heads;
    c.head_dim = c.hidden_size / c.num_heads;
}

RopeConfig read_rope(const ConfigReader& r, const char* layer_type) {
    RopeConfig rope;
    rope.theta = r.real({"rope_theta"}, 10000.0);
    const json* params = r.field({"rope_parameters"});
    if (params && params->is_object() && params->contains(layer_type)) params = &(*params)[layer_type];
    const json* scaling = params ? params : r.field({"rope_scaling"});
    if (scaling) {
        if (!scaling->is_object()) r.invalid("\"rope_parameters\" / \"rope_scaling\" must be an object");
        const ConfigReader s = r.nested(*scaling);
        rope.theta = s.real({"rope_theta"}, rope.theta);
        if (const json* t = s.field({"rope_type", "type"}); t && t->is_string()) rope.type = t->get<std::string>();
        rope.factor = s.real({"factor"}, 1.0);
        rope.low_freq_factor = s.real({"low_freq_factor"}, 1.0);
        rope.high_freq_factor = s.real({"high_freq_factor"}, 4.0);
        rope.original_max_positions = s.size({"original_max_position_embeddings"}, 0);
        rope.partial_rotary_factor = s.real({"partial_rotary_factor"}, rope.partial_rotary_factor);
        if (rope.type == "su" || (rope.type == "yarn" && s.field({"short_factor"}))) rope.type = "longrope";  // Phi-3's old names
        if (rope.type == "longrope") read_longrope(r, s, rope);
    }
    if (!scaling || !scaling->contains("partial_rotary_factor"))
        rope.partial_rotary_factor = r.real({"partial_rotary_factor"}, rope.partial_rotary_factor);
    if (!(rope.partial_rotary_factor > 0.0 && rope.partial_rotary_factor <= 1.0))
        r.invalid("partial_rotary_factor must be in (0, 1]");
    if (rope.type != "default" && rope.type != "linear" && rope.type != "llama3" && rope.type != "longrope")
        r.unsupported(fmt::format("rope type '{}' is not supported (supported: default, linear, llama3, longrope)", rope.type));
    if (!(rope.theta > 0.0)) r.invalid("rope_theta must be positive");
    if (rope.type != "default" && rope.type != "longrope" && !(rope.factor > 0.0)) r.invalid("rope factor must be positive");
    if (rope.type == "llama3" && (rope.original_max_positions == 0 || !(rope.high_freq_factor > rope.low_freq_factor)))
        r.invalid("llama3 rope needs original_max_position_embeddings and high_freq_factor > low_freq_factor");
    return rope;
}

void read_rotary_decoder_config(const ConfigReader& r, ModelConfig& c, SlidingWindowLayers windows) {
    c.hidden_size = r.size({"hidden_size"});
    c.num_layers = r.size({"num_hidden_layers"});
    c.num_heads = r.size({"num_attention_heads"});
    c.num_kv_heads = r.size({"num_key_value_heads"}, c.num_heads);
    if (c.num_heads == 0) r.invalid("num_attention_heads must be positive");
    c.head_dim = r.size({"head_dim"}, c.hidden_size / c.num_heads);
    c.intermediate_size = r.size({"intermediate_size"});
    c.max_positions = r.size({"max_position_embeddings"}, 2048);
    c.norm_eps = r.real({"rms_norm_eps"}, 1e-6);
    c.activation_name = r.text("hidden_act", "silu");
    c.rope = read_rope(r);
    c.rotary = true;
    c.tie_word_embeddings = r.flag("tie_word_embeddings", false);
    c.attention_bias = r.flag("attention_bias", false);
    c.mlp_bias = r.flag("mlp_bias", false);
    if (c.num_kv_heads == 0 || c.num_heads % c.num_kv_heads != 0)
        r.invalid(fmt::format("num_attention_heads {} is not a multiple of num_key_value_heads {}", c.num_heads, c.num_kv_heads));

    // Local attention: Mistral applies sliding_window to every layer; Qwen2 and Qwen3 to layers
    // from max_window_layers on when use_sliding_window; transformers 5 spells it out in layer_types.
    std::optional<std::size_t> window;
    if (const json* w = r.field({"sliding_window"})) {
        if (!w->is_number_unsigned()) r.invalid("\"sliding_window\" must be a non-negative integer");
        window = static_cast<std::size_t>(w->get<std::uint64_t>());
    }
    const bool qwen_rule = windows == SlidingWindowLayers::from_max_window_layers;
    if (qwen_rule && !r.flag("use_sliding_window", false)) window.reset();
    c.sliding_layers.assign(c.num_layers, false);
    if (const json* types = r.field({"layer_types"})) {
        if (!types->is_array() || types->size() != c.num_layers) r.invalid("\"layer_types\" must list one type per layer");
        for (std::size_t i = 0; i < c.num_layers; ++i) {
            const auto& t = (*types)[i];
            if (!t.is_string()) r.invalid("\"layer_types\" entries must be strings");
            c.sliding_layers[i] = t.get<std::string>() == "sliding_attention";
        }
    } else if (window) {
        const std::size_t first = qwen_rule ? r.size({"max_window_layers"}, 0) : 0;
        for (std::size_t i = first; i < c.num_layers; ++i) c.sliding_layers[i] = true;
    }
    if (window && *window > 0 && std::any_of(c.sliding_layers.begin(), c.sliding_layers.end(), [](bool b) { return b; }))
        c.sliding_window = window;
    else
        c.sliding_layers.assign(c.num_layers, false);
}

void read_bert_encoder_config(const ConfigReader& r, ModelConfig& c) {
    read_attention_shape(r, c);
    c.intermediate_size = r.size({"intermediate_size"});
    c.max_positions = r.size({"max_position_embeddings"}, 512);
    c.norm_eps = r.real({"layer_norm_eps"}, 1e-12);
    c.activation_name = r.text("hidden_act", "gelu");
    c.type_vocab_size = r.size({"type_vocab_size"}, 2);
    c.tie_word_embeddings = r.flag("tie_word_embeddings", true);
    c.attention_bias = true;
    c.mlp_bias = true;
    if (const json* p = r.field({"position_embedding_type"}); p && p->is_string() && p->get<std::string>() != "absolute")
        r.unsupported(fmt::format("position_embedding_type '{}' is not supported (only 'absolute')", p->get<std::string>()));
    if (r.flag("is_decoder", false)) r.unsupported(fmt::format("is_decoder=true {} models are not supported", c.model_type));
}

}  // namespace hubbench::engine
