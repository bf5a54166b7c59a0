#include "engine/config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/fs.hpp"
#include "engine/architectures.hpp"
#include "engine/config_reader.hpp"

namespace hubbench::engine {

namespace {

using json = nlohmann::json;

std::optional<std::int64_t> token_field(const ConfigReader& r, const char* key) {
    const json* v = r.field({key});
    if (v && v->is_number_integer()) return v->get<std::int64_t>();
    if (v && v->is_array() && !v->empty() && (*v)[0].is_number_integer()) return (*v)[0].get<std::int64_t>();
    return std::nullopt;
}

Activation parse_activation(const std::string& name, const ConfigReader& r) {
    static const std::map<std::string, Activation> names{
        {"gelu", Activation::gelu},           {"gelu_new", Activation::gelu_new},
        {"gelu_pytorch_tanh", Activation::gelu_pytorch_tanh}, {"gelu_fast", Activation::gelu_fast},
        {"quick_gelu", Activation::quick_gelu}, {"silu", Activation::silu},
        {"swish", Activation::silu},          {"relu", Activation::relu}};
    auto it = names.find(name);
    if (it == names.end())
        r.unsupported(fmt::format("activation '{}' is not supported (supported: gelu, gelu_new, gelu_pytorch_tanh, "
                                  "gelu_fast, quick_gelu, silu, swish, relu)",
                                  name));
    return it->second;
}

}  // namespace

const std::vector<std::string>& supported_model_types() {
    static const std::vector<std::string> types = [] {
        std::vector<std::string> all;
        for (const auto& a : architectures()) all.insert(all.end(), a.model_types.begin(), a.model_types.end());
        std::sort(all.begin(), all.end());
        return all;
    }();
    return types;
}

ModelConfig parse_model_config(std::string_view json_text, std::string_view source) {
    json doc;
    try {
        doc = json::parse(json_text);
    } catch (const json::exception& e) {
        throw Error(ErrorKind::invalid_input, one_line(fmt::format("{}: invalid JSON: {}", source, e.what())));
    }
    const ConfigReader r(doc, source);
    if (!doc.is_object()) r.invalid("not a JSON object");
    ModelConfig c;
    const json* type = r.field({"model_type"});
    if (!type || !type->is_string()) r.invalid("missing \"model_type\"");
    c.model_type = type->get<std::string>();
    const Architecture* arch = find_architecture(c.model_type);
    if (!arch)
        r.unsupported(fmt::format("model_type '{}' is not supported (supported: {})", c.model_type,
                                  fmt::join(supported_model_types(), ", ")));
    if (const json* a = r.field({"architectures"}); a && a->is_array() && !a->empty() && (*a)[0].is_string())
        c.architecture = (*a)[0].get<std::string>();
    c.kind = arch->kind;
    c.vocab_size = r.size({"vocab_size"});
    c.pad_token_id = token_field(r, "pad_token_id");
    c.bos_token_id = token_field(r, "bos_token_id");
    if (const json* e = r.field({"eos_token_id"})) {
        if (e->is_number_integer()) c.eos_token_ids.push_back(e->get<std::int64_t>());
        if (e->is_array())
            for (const auto& x : *e)
                if (x.is_number_integer()) c.eos_token_ids.push_back(x.get<std::int64_t>());
    }
    if (const json* d = r.field({"dtype", "torch_dtype"}); d && d->is_string()) c.dtype = d->get<std::string>();

    arch->read_config(r, c);
    c.activation = parse_activation(c.activation_name, r);
    c.head_activation = c.head_activation_name.empty() ? c.activation : parse_activation(c.head_activation_name, r);
    if (c.hidden_size == 0 || c.num_layers == 0 || c.vocab_size == 0 || c.head_dim == 0 || c.intermediate_size == 0)
        r.invalid("hidden size, layer count, vocab size, head_dim and intermediate size must be positive");
    if (!c.rotary && c.head_dim * c.num_heads != c.hidden_size)
        r.invalid(fmt::format("hidden size {} is not a multiple of {} heads", c.hidden_size, c.num_heads));
    if (c.rotary) {
        const auto rotary_dim = static_cast<std::size_t>(static_cast<double>(c.head_dim) * c.rope.partial_rotary_factor);
        if (rotary_dim % 2 != 0 || rotary_dim == 0)
            r.invalid(fmt::format("head_dim {} with partial_rotary_factor {} gives {} rotary dimensions: it must be even and "
                                  "positive", c.head_dim, c.rope.partial_rotary_factor, rotary_dim));
    }
    if (c.position_offset > 0 && c.position_offset >= c.max_positions)
        r.invalid(fmt::format("max_position_embeddings {} leaves no usable position after the offset {}", c.max_positions,
                              c.position_offset));
    return c;
}

ModelConfig load_model_config(const std::filesystem::path& dir) {
    auto path = dir / "config.json";
    return parse_model_config(read_file(path), path.string());
}

std::string_view compute_dtype_name(ComputeDtype dtype) {
    switch (dtype) {
        case ComputeDtype::automatic: return "auto";
        case ComputeDtype::float32: return "float32";
        case ComputeDtype::bfloat16: return "bfloat16";
        case ComputeDtype::int8: return "int8";
    }
    return "auto";
}

std::optional<ComputeDtype> parse_compute_dtype(std::string_view text) {
    if (text == "auto") return ComputeDtype::automatic;
    if (text == "float32" || text == "fp32") return ComputeDtype::float32;
    if (text == "bfloat16" || text == "bf16") return ComputeDtype::bfloat16;
    if (text == "int8" || text == "q8_0") return ComputeDtype::int8;
    return std::nullopt;
}

}  // namespace hubbench::engine
