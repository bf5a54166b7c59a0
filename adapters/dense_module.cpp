#include "adapters/dense_module.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/fs.hpp"
#include "engine/safetensors.hpp"

namespace hubbench::adapters {
namespace {

// Dense.get_config_dict saves fullname(activation): "torch.nn.modules.activation.Tanh", ...
DenseActivation parse_activation(const std::string& name, const std::filesystem::path& file) {
    static const std::map<std::string, DenseActivation> names{
        {"torch.nn.modules.linear.Identity", DenseActivation::identity},
        {"torch.nn.modules.activation.Tanh", DenseActivation::tanh},
        {"torch.nn.modules.activation.ReLU", DenseActivation::relu},
        {"torch.nn.modules.activation.GELU", DenseActivation::gelu},
        {"torch.nn.modules.activation.Sigmoid", DenseActivation::sigmoid},
        {"torch.nn.modules.activation.SiLU", DenseActivation::silu}};
    auto it = names.find(name);
    if (it == names.end())
        throw Error(ErrorKind::unsupported,
                    fmt::format("{}: activation_function '{}' is not supported (supported: Identity, Tanh, ReLU, GELU, "
                                "Sigmoid, SiLU from torch.nn)", file.string(), name));
    return it->second;
}

double activate(DenseActivation a, double x) {
    switch (a) {
        case DenseActivation::identity: return x;
        case DenseActivation::tanh: return std::tanh(x);
        case DenseActivation::relu: return x > 0 ? x : 0.0;
        case DenseActivation::gelu: return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));  // nn.GELU(approximate="none")
        case DenseActivation::sigmoid: return 1.0 / (1.0 + std::exp(-x));
        case DenseActivation::silu: return x / (1.0 + std::exp(-x));
    }
    return x;
}

const char* activation_name(DenseActivation a) {
    switch (a) {
        case DenseActivation::identity: return "identity";
        case DenseActivation::tanh: return "tanh";
        case DenseActivation::relu: return "relu";
        case DenseActivation::gelu: return "gelu";
        case DenseActivation::sigmoid: return "sigmoid";
        case DenseActivation::silu: return "silu";
    }
    return "?";
}

std::size_t positive(const nlohmann::json& config, const char* key, const std::filesystem::path& file) {
    auto it = config.find(key);
    if (it == config.end() || !it->is_number_unsigned() || it->get<std::uint64_t>() == 0)
        throw Error(ErrorKind::invalid_input, fmt::format("{}: \"{}\" must be a positive integer", file.string(), key));
    return it->get<std::size_t>();
}

bool flag(const nlohmann::json& config, const char* key, bool fallback, const std::filesystem::path& file) {
    auto it = config.find(key);
    if (it == config.end() || it->is_null()) return fallback;
    if (!it->is_boolean()) throw Error(ErrorKind::invalid_input, fmt::format("{}: \"{}\" must be true or false", file.string(), key));
    return it->get<bool>();
}

// A float32 copy of `name` (any float dtype the engine reads), checked to hold `shape`.
std::vector<float> tensor(const engine::SafetensorsFile& file, const std::string& name, std::vector<std::uint64_t> shape) {
    const engine::TensorView view = file.find(name);
    if (!view.data) throw Error(ErrorKind::invalid_input, fmt::format("{}: no tensor '{}'", file.path().string(), name));
    if (view.info->shape != shape)
        throw Error(ErrorKind::invalid_input, fmt::format("{}: '{}' has shape [{}], expected [{}]", file.path().string(), name,
                                                          fmt::join(view.info->shape, ", "), fmt::join(shape, ", ")));
    std::vector<float> out(view.info->element_count());
    engine::convert_to_float(view.info->dtype, view.data, out.size(), out.data(), name);
    return out;
}

}  // namespace

DenseModule read_dense_module(const std::filesystem::path& folder) {
    const auto config_file = folder / "config.json";
    nlohmann::json config;
    try {
        config = nlohmann::json::parse(read_file(config_file));
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorKind::invalid_input, config_file.string() + ": not valid JSON: " + e.what());
    }
    if (!config.is_object()) throw Error(ErrorKind::invalid_input, config_file.string() + ": expected an object");
    DenseModule m;
    m.folder = folder;
    m.in = positive(config, "in_features", config_file);
    m.out = positive(config, "out_features", config_file);
    const bool bias = flag(config, "bias", true, config_file);
    m.use_residual = flag(config, "use_residual", false, config_file);
    if (auto it = config.find("activation_function"); it != config.end() && !it->is_null()) {
        if (!it->is_string()) throw Error(ErrorKind::invalid_input, config_file.string() + ": \"activation_function\" must be a string");
        m.activation = parse_activation(it->get<std::string>(), config_file);
    }
    for (const char* key : {"module_input_name", "module_output_name"})
        if (auto it = config.find(key); it != config.end() && it->is_string() && *it != "sentence_embedding")
            throw Error(ErrorKind::unsupported, fmt::format("{}: \"{}\" '{}' is not supported (only sentence_embedding)",
                                                            config_file.string(), key, it->get<std::string>()));

    const auto weights_file = folder / "model.safetensors";
    if (!std::filesystem::exists(weights_file)) {
        if (std::filesystem::exists(folder / "pytorch_model.bin"))
            throw Error(ErrorKind::unsupported, (folder / "pytorch_model.bin").string() +
                                                    ": PyTorch pickle weights are not read (hubbench reads model.safetensors)");
        throw Error(ErrorKind::not_found, weights_file.string() + ": missing");
    }
    const engine::SafetensorsFile file(weights_file);
    m.weight = tensor(file, "linear.weight", {m.out, m.in});
    if (bias) m.bias = tensor(file, "linear.bias", {m.out});
    if (m.use_residual && m.in != m.out) m.residual = tensor(file, "residual.weight", {m.out, m.in});
    return m;
}

std::vector<float> DenseModule::apply(std::span<const float> x) const {
    if (x.size() != in)
        throw Error(ErrorKind::invalid_input,
                    fmt::format("{}: in_features is {} but the sentence embedding has {} values",
                                (folder / "config.json").string(), in, x.size()));
    std::vector<float> y(out);
    for (std::size_t o = 0; o < out; ++o) {
        double sum = bias.empty() ? 0.0 : bias[o];
        const float* row = weight.data() + o * in;
        for (std::size_t i = 0; i < in; ++i) sum += static_cast<double>(row[i]) * x[i];
        double value = activate(activation, sum);
        if (use_residual) {
            if (residual.empty()) {
                value += x[o];
            } else {
                double r = 0.0;
                for (std::size_t i = 0; i < in; ++i) r += static_cast<double>(residual[o * in + i]) * x[i];
                value += r;
            }
        }
        y[o] = static_cast<float>(value);
    }
    return y;
}

std::string DenseModule::describe() const {
    return fmt::format("dense({}->{},{}{})", in, out, activation_name(activation), use_residual ? ",residual" : "");
}

}  // namespace hubbench::adapters
