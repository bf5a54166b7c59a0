#include "bench/tools/base_size_model.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "bench/tools/bench_model.hpp"
#include "core/error.hpp"
#include "core/fs.hpp"
#include "engine/safetensors.hpp"
#include "engine/safetensors_writer.hpp"

namespace hubbench::bench {
namespace {

using json = nlohmann::json;

constexpr std::size_t target_hidden = 768, target_layers = 12, head_factor = 3, head_dim_factor = 2;

// The first of `keys` the config has as a number, or nullptr.
json* field(json& config, std::initializer_list<const char*> keys) {
    for (const char* k : keys)
        if (auto it = config.find(k); it != config.end() && it->is_number()) return &*it;
    return nullptr;
}

void scale(json& config, std::initializer_list<const char*> keys, double factor) {
    if (json* v = field(config, keys)) *v = static_cast<std::uint64_t>(v->get<double>() * factor);
}

// Phi-3's longrope lists hold one factor per rotary frequency: twice the head_dim, twice the entries.
void stretch_rope_factors(json& rope) {
    if (!rope.is_object()) return;
    for (const char* key : {"short_factor", "long_factor"}) {
        if (!rope.contains(key) || !rope[key].is_array()) continue;
        json doubled = json::array();
        for (const auto& f : rope[key]) {
            doubled.push_back(f);
            doubled.push_back(f);
        }
        rope[key] = doubled;
    }
}

}  // namespace

std::uint64_t write_base_size_model(const std::filesystem::path& fixture, const std::filesystem::path& out) {
    json config = json::parse(read_file(fixture / "config.json"));
    const json* hidden_field = field(config, {"hidden_size", "n_embd", "dim"});
    const json* layers_field = field(config, {"num_hidden_layers", "n_layer", "n_layers"});
    if (!hidden_field || !layers_field) throw Error(ErrorKind::invalid_input, fixture.string() + ": no hidden size or layer count");
    const auto hidden = hidden_field->get<std::size_t>(), layers = layers_field->get<std::size_t>();
    if (hidden == 0 || target_hidden % hidden != 0 || layers < 2)
        throw Error(ErrorKind::invalid_input, fmt::format("{}: hidden size {} does not divide {}", fixture.string(), hidden, target_hidden));
    const double factor = static_cast<double>(target_hidden / hidden);
    const std::size_t vocab = config.value("vocab_size", std::size_t{0});
    const std::size_t head_dim = config.contains("head_dim") && config["head_dim"].is_number() ? config["head_dim"].get<std::size_t>() : 0;
    auto template_layer = [&](std::size_t i) { return i == 0 ? 0 : 1 + (i - 1) % (layers - 1); };

    scale(config, {"hidden_size", "n_embd", "dim"}, factor);
    scale(config, {"intermediate_size", "n_inner", "hidden_dim", "ffn_dim"}, factor);
    scale(config, {"word_embed_proj_dim"}, factor);
    scale(config, {"num_attention_heads", "n_head", "n_heads"}, head_factor);
    scale(config, {"num_key_value_heads"}, head_factor);
    scale(config, {"head_dim"}, head_dim_factor);
    scale(config, {"query_pre_attn_scalar"}, head_dim_factor);
    for (const char* key : {"num_hidden_layers", "n_layer", "n_layers"})
        if (config.contains(key)) config[key] = target_layers;
    if (config.contains("layer_types") && config["layer_types"].is_array()) {
        json types = json::array();
        for (std::size_t i = 0; i < target_layers; ++i) types.push_back(config["layer_types"][template_layer(i)]);
        config["layer_types"] = types;
    }
    for (const char* key : {"rope_parameters", "rope_scaling"})
        if (config.contains(key)) stretch_rope_factors(config[key]);
    config["dtype"] = "float32";
    config.erase("torch_dtype");

    const engine::TensorSource source(fixture);
    // "model.layers.3.", "encoder.layer.2.", "transformer.h.1.": the layer index to renumber.
    const std::regex layer_index(R"((^|\.)(layers|layer|h)\.(\d+)\.)");
    struct Spec {
        std::string name;
        std::vector<std::uint64_t> shape;
        bool ones;
    };
    std::vector<Spec> specs;
    for (const auto& name : source.names()) {
        const auto& info = *source.get(name).info;
        std::smatch m;
        std::vector<std::string> names;
        if (std::regex_search(name, m, layer_index)) {
            const std::size_t from = std::stoul(m[3].str());
            for (std::size_t i = 0; i < target_layers; ++i)
                if (template_layer(i) == from)
                    names.push_back(m.prefix().str() + m[1].str() + m[2].str() + "." + std::to_string(i) + "." + m.suffix().str());
        } else {
            names.push_back(name);
        }
        const bool table = name.find("position") != std::string::npos || name.find("token_type") != std::string::npos ||
                           name.find("rel_embeddings") != std::string::npos || name.ends_with("wpe.weight");
        const bool relative_bias = name.find("relative_attention_bias") != std::string::npos;
        std::vector<std::uint64_t> shape = info.shape;
        for (std::size_t k = 0; k < shape.size(); ++k) {
            if (shape[k] == vocab || (k == 0 && (table || relative_bias))) continue;
            if (relative_bias) shape[k] *= head_factor;
            else if (shape.size() == 1 && head_dim && shape[k] == head_dim && name.find("norm") != std::string::npos) shape[k] *= head_dim_factor;
            else shape[k] = static_cast<std::uint64_t>(static_cast<double>(shape[k]) * factor);
        }
        const bool norm_weight = shape.size() == 1 && name.ends_with(".weight") &&
                                 (name.find("norm") != std::string::npos || name.find("LayerNorm") != std::string::npos ||
                                  name.find(".ln_") != std::string::npos);
        for (const auto& n : names) specs.push_back({n, shape, norm_weight});
    }

    NormalStream rng{0x62617365ull};
    std::vector<std::string> storage;
    storage.reserve(specs.size());
    std::vector<engine::TensorToWrite> tensors;
    std::uint64_t parameters = 0;
    for (const auto& spec : specs) {
        std::size_t n = 1;
        for (auto x : spec.shape) n *= x;
        parameters += n;
        std::vector<float> values(n + 1, 1.0f);
        if (!spec.ones)
            for (std::size_t i = 0; i < n; i += 2) {
                rng.normal_pair(values[i], values[i + 1]);
                values[i] *= 0.02f;
                values[i + 1] *= 0.02f;
            }
        storage.emplace_back(reinterpret_cast<const char*>(values.data()), n * sizeof(float));
        tensors.push_back({spec.name, Dtype::f32, spec.shape, storage.back()});
    }
    std::filesystem::create_directories(out);
    engine::write_safetensors(out / "model.safetensors", tensors);
    write_file_atomic(out / "config.json", config.dump(2));
    return parameters;
}

}  // namespace hubbench::bench
