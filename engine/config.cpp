#include "engine/config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/fs.hpp"

namespace hubbench::engine {

namespace {

using json = nlohmann::json;

[[noreturn]] void invalid(std::string_view source, const std::string& what) {
    throw Error(ErrorKind::invalid_input, one_line(fmt::format("{}: {}", source, what)));
}

// The first of `keys` present and not null.
const json* field(const json& doc, std::initializer_list<const char*> keys) {
    for (const char* k : keys) {
        auto it = doc.find(k);
        if (it != doc.end() && !it->is_null()) return &*it;
    }
    return nullptr;
}

std::size_t size_field(const json& doc, std::initializer_list<const char*> keys, std::string_view source,
                       std::optional<std::size_t> fallback = std::nullopt) {
    const json* v = field(doc, keys);
    if (!v) {
        if (fallback) return *fallback;
        invalid(source, fmt::format("missing \"{}\"", *keys.begin()));
    }
    if (!v->is_number_unsigned() || v->get<std::uint64_t>() > (std::uint64_t{1} << 40))
        invalid(source, fmt::format("\"{}\" must be a non-negative integer", *keys.begin()));
    return static_cast<std::size_t>(v->get<std::uint64_t>());
}

double double_field(const json& doc, std::initializer_list<const char*> keys, std::string_view source, double fallback) {
    const json* v = field(doc, keys);
    if (!v) return fallback;
    if (!v->is_number()) invalid(source, fmt::format("\"{}\" must be a number", *keys.begin()));
    return v->get<double>();
}

std::string string_field(const json& doc, const char* key, std::string_view source, const char* fallback) {
    const json* v = field(doc, {key});
    if (!v) return fallback;
    if (!v->is_string()) invalid(source, fmt::format("\"{}\" must be a string", key));
    return v->get<std::string>();
}

bool bool_field(const json& doc, const char* key, std::string_view source, bool fallback) {
    const json* v = field(doc, {key});
    if (!v) return fallback;
    if (!v->is_boolean()) invalid(source, fmt::format("\"{}\" must be true or false", key));
    return v->get<bool>();
}

std::optional<std::int64_t> token_field(const json& doc, const char* key) {
    const json* v = field(doc, {key});
    if (v && v->is_number_integer()) return v->get<std::int64_t>();
    if (v && v->is_array() && !v->empty() && (*v)[0].is_number_integer()) return (*v)[0].get<std::int64_t>();
    return std::nullopt;
}

Activation parse_activation(const std::string& name, std::string_view source) {
    static const std::map<std::string, Activation> names{
        {"gelu", Activation::gelu},           {"gelu_new", Activation::gelu_new},
        {"gelu_pytorch_tanh", Activation::gelu_pytorch_tanh}, {"gelu_fast", Activation::gelu_fast},
        {"quick_gelu", Activation::quick_gelu}, {"silu", Activation::silu},
        {"swish", Activation::silu},          {"relu", Activation::relu}};
    auto it = names.find(name);
    if (it == names.end())
        throw Error(ErrorKind::unsupported,
                    one_line(fmt::format("{}: activation '{}' is not supported (supported: gelu, gelu_new, "
                                         "gelu_pytorch_tanh, gelu_fast, quick_gelu, silu, swish, relu)",
                                         source, name)));
    return it->second;
}

// transformers 5 "rope_parameters" {rope_theta, rope_type, ...}; 4.x "rope_theta" plus an optional
// "rope_scaling" {type|rope_type, factor, ...}.
RopeConfig parse_rope(const json& doc, std::string_view source) {
    RopeConfig rope;
    rope.theta = double_field(doc, {"rope_theta"}, source, 10000.0);
    const json* params = field(doc, {"rope_parameters"});
    if (params && params->is_object() && params->contains("full_attention")) params = &(*params)["full_attention"];
    const json* scaling = params ? params : field(doc, {"rope_scaling"});
    if (scaling) {
        if (!scaling->is_object()) invalid(source, "\"rope_parameters\" / \"rope_scaling\" must be an object");
        rope.theta = double_field(*scaling, {"rope_theta"}, source, rope.theta);
        if (const json* t = field(*scaling, {"rope_type", "type"}); t && t->is_string()) rope.type = t->get<std::string>();
        rope.factor = double_field(*scaling, {"factor"}, source, 1.0);
        rope.low_freq_factor = double_field(*scaling, {"low_freq_factor"}, source, 1.0);
        rope.high_freq_factor = double_field(*scaling, {"high_freq_factor"}, source, 4.0);
        rope.original_max_positions = size_field(*scaling, {"original_max_position_embeddings"}, source, 0);
    }
    if (rope.type != "default" && rope.type != "linear" && rope.type != "llama3")
        throw Error(ErrorKind::unsupported,
                    fmt::format("{}: rope type '{}' is not supported (supported: default, linear, llama3)", source, rope.type));
    if (!(rope.theta > 0.0)) invalid(source, "rope_theta must be positive");
    if (rope.type != "default" && !(rope.factor > 0.0)) invalid(source, "rope factor must be positive");
    if (rope.type == "llama3" && (rope.original_max_positions == 0 || !(rope.high_freq_factor > rope.low_freq_factor)))
        invalid(source, "llama3 rope needs original_max_position_embeddings and high_freq_factor > low_freq_factor");
    return rope;
}

void parse_decoder_common(const json& doc, std::string_view source, ModelConfig& c) {
    c.hidden_size = size_field(doc, {"hidden_size"}, source);
    c.num_layers = size_field(doc, {"num_hidden_layers"}, source);
    c.num_heads = size_field(doc, {"num_attention_heads"}, source);
    c.num_kv_heads = size_field(doc, {"num_key_value_heads"}, source, c.num_heads);
    if (c.num_heads == 0) invalid(source, "num_attention_heads must be positive");
    c.head_dim = size_field(doc, {"head_dim"}, source, c.hidden_size / c.num_heads);
    c.intermediate_size = size_field(doc, {"intermediate_size"}, source);
    c.max_positions = size_field(doc, {"max_position_embeddings"}, source, 2048);
    c.norm_eps = double_field(doc, {"rms_norm_eps"}, source, 1e-6);
    c.activation_name = string_field(doc, "hidden_act", source, "silu");
    c.rope = parse_rope(doc, source);
    c.tie_word_embeddings = bool_field(doc, "tie_word_embeddings", source, false);
    c.attention_bias = bool_field(doc, "attention_bias", source, false);
    c.mlp_bias = bool_field(doc, "mlp_bias", source, false);
    if (c.num_kv_heads == 0 || c.num_heads % c.num_kv_heads != 0)
        invalid(source, fmt::format("num_attention_heads {} is not a multiple of num_key_value_heads {}", c.num_heads,
                                    c.num_kv_heads));

    // Local attention: Mistral applies sliding_window to every layer; Qwen2 to layers from
    // max_window_layers on when use_sliding_window; transformers 5 spells it out in layer_types.
    std::optional<std::size_t> window;
    if (const json* w = field(doc, {"sliding_window"})) {
        if (!w->is_number_unsigned()) invalid(source, "\"sliding_window\" must be a non-negative integer");
        window = static_cast<std::size_t>(w->get<std::uint64_t>());
    }
    if (c.model_type == "qwen2" && !bool_field(doc, "use_sliding_window", source, false)) window.reset();
    c.sliding_layers.assign(c.num_layers, false);
    if (const json* types = field(doc, {"layer_types"})) {
        if (!types->is_array() || types->size() != c.num_layers)
            invalid(source, "\"layer_types\" must list one type per layer");
        for (std::size_t i = 0; i < c.num_layers; ++i) {
            const auto& t = (*types)[i];
            if (!t.is_string()) invalid(source, "\"layer_types\" entries must be strings");
            c.sliding_layers[i] = t.get<std::string>() == "sliding_attention";
        }
    } else if (window) {
        std::size_t first = c.model_type == "qwen2" ? size_field(doc, {"max_window_layers"}, source, 0) : 0;
        for (std::size_t i = first; i < c.num_layers; ++i) c.sliding_layers[i] = true;
    }
    if (window && *window > 0 && std::any_of(c.sliding_layers.begin(), c.sliding_layers.end(), [](bool b) { return b; }))
        c.sliding_window = window;
    else
        c.sliding_layers.assign(c.num_layers, false);
}

void parse_gpt2(const json& doc, std::string_view source, ModelConfig& c) {
    c.hidden_size = size_field(doc, {"n_embd", "hidden_size"}, source);
    c.num_layers = size_field(doc, {"n_layer", "num_hidden_layers"}, source);
    c.num_heads = size_field(doc, {"n_head", "num_attention_heads"}, source);
    if (c.num_heads == 0) invalid(source, "n_head must be positive");
    c.num_kv_heads = c.num_heads;
    c.head_dim = c.hidden_size / c.num_heads;
    c.intermediate_size = size_field(doc, {"n_inner"}, source, 4 * c.hidden_size);
    c.max_positions = size_field(doc, {"n_positions", "max_position_embeddings"}, source);
    c.norm_eps = double_field(doc, {"layer_norm_epsilon"}, source, 1e-5);
    c.activation_name = string_field(doc, "activation_function", source, "gelu_new");
    c.tie_word_embeddings = bool_field(doc, "tie_word_embeddings", source, true);
    c.scale_attn_by_inverse_layer_idx = bool_field(doc, "scale_attn_by_inverse_layer_idx", source, false);
    c.attention_bias = true;
    c.mlp_bias = true;
}

void parse_bert(const json& doc, std::string_view source, ModelConfig& c) {
    c.hidden_size = size_field(doc, {"hidden_size"}, source);
    c.num_layers = size_field(doc, {"num_hidden_layers"}, source);
    c.num_heads = size_field(doc, {"num_attention_heads"}, source);
    if (c.num_heads == 0) invalid(source, "num_attention_heads must be positive");
    c.num_kv_heads = c.num_heads;
    c.head_dim = c.hidden_size / c.num_heads;
    c.intermediate_size = size_field(doc, {"intermediate_size"}, source);
    c.max_positions = size_field(doc, {"max_position_embeddings"}, source, 512);
    c.norm_eps = double_field(doc, {"layer_norm_eps"}, source, 1e-12);
    c.activation_name = string_field(doc, "hidden_act", source, "gelu");
    c.type_vocab_size = size_field(doc, {"type_vocab_size"}, source, 2);
    c.tie_word_embeddings = bool_field(doc, "tie_word_embeddings", source, true);
    c.attention_bias = true;
    c.mlp_bias = true;
    if (const json* p = field(doc, {"position_embedding_type"}); p && p->is_string() && p->get<std::string>() != "absolute")
        throw Error(ErrorKind::unsupported,
                    fmt::format("{}: position_embedding_type '{}' is not supported (only 'absolute')", source,
                                p->get<std::string>()));
    if (bool_field(doc, "is_decoder", source, false))
        throw Error(ErrorKind::unsupported, fmt::format("{}: is_decoder=true {} models are not supported", source, c.model_type));
}

}  // namespace

const char* model_kind_name(ModelKind kind) noexcept { return kind == ModelKind::decoder ? "decoder" : "encoder"; }

const std::vector<std::string>& supported_model_types() {
    static const std::vector<std::string> types{"bert", "gpt2", "llama", "mistral", "qwen2", "roberta"};
    return types;
}

ModelConfig parse_model_config(std::string_view json_text, std::string_view source) {
    json doc;
    try {
        doc = json::parse(json_text);
    } catch (const json::exception& e) {
        invalid(source, std::string("invalid JSON: ") + e.what());
    }
    if (!doc.is_object()) invalid(source, "not a JSON object");
    ModelConfig c;
    const json* type = field(doc, {"model_type"});
    if (!type || !type->is_string()) invalid(source, "missing \"model_type\"");
    c.model_type = type->get<std::string>();
    const auto& supported = supported_model_types();
    if (std::find(supported.begin(), supported.end(), c.model_type) == supported.end())
        throw Error(ErrorKind::unsupported, one_line(fmt::format("{}: model_type '{}' is not supported (supported: {})", source,
                                                                 c.model_type, fmt::join(supported, ", "))));
    if (const json* a = field(doc, {"architectures"}); a && a->is_array() && !a->empty() && (*a)[0].is_string())
        c.architecture = (*a)[0].get<std::string>();
    c.vocab_size = size_field(doc, {"vocab_size"}, source);
    c.pad_token_id = token_field(doc, "pad_token_id");
    c.bos_token_id = token_field(doc, "bos_token_id");
    if (const json* e = field(doc, {"eos_token_id"})) {
        if (e->is_number_integer()) c.eos_token_ids.push_back(e->get<std::int64_t>());
        if (e->is_array())
            for (const auto& x : *e)
                if (x.is_number_integer()) c.eos_token_ids.push_back(x.get<std::int64_t>());
    }
    if (const json* d = field(doc, {"dtype", "torch_dtype"}); d && d->is_string()) c.dtype = d->get<std::string>();

    if (c.model_type == "gpt2") {
        c.kind = ModelKind::decoder;
        parse_gpt2(doc, source, c);
    } else if (c.model_type == "bert" || c.model_type == "roberta") {
        c.kind = ModelKind::encoder;
        parse_bert(doc, source, c);
    } else {
        c.kind = ModelKind::decoder;
        parse_decoder_common(doc, source, c);
    }
    c.activation = parse_activation(c.activation_name, source);
    if (c.hidden_size == 0 || c.num_layers == 0 || c.vocab_size == 0 || c.head_dim == 0 || c.intermediate_size == 0)
        invalid(source, "hidden size, layer count, vocab size, head_dim and intermediate size must be positive");
    if (c.kind == ModelKind::encoder || c.model_type == "gpt2") {
        if (c.head_dim * c.num_heads != c.hidden_size)
            invalid(source, fmt::format("hidden size {} is not a multiple of {} heads", c.hidden_size, c.num_heads));
    }
    if (c.head_dim % 2 != 0 && c.kind == ModelKind::decoder && c.model_type != "gpt2")
        invalid(source, "head_dim must be even for rotary embeddings");
    return c;
}

ModelConfig load_model_config(const std::filesystem::path& dir) {
    auto path = dir / "config.json";
    return parse_model_config(read_file(path), path.string());
}

}  // namespace hubbench::engine
