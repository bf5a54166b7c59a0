#include "adapters/pooling.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/fs.hpp"

namespace hubbench::adapters {
namespace {

nlohmann::json read_json_file(const std::filesystem::path& path) {
    try {
        return nlohmann::json::parse(read_file(path));
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorKind::invalid_input, path.string() + ": not valid JSON: " + e.what());
    }
}

bool flag(const nlohmann::json& j, const char* key, bool fallback) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return fallback;
    if (!it->is_boolean()) throw Error(ErrorKind::invalid_input, std::string("'") + key + "' must be true or false");
    return it->get<bool>();
}

// 1_Pooling/config.json. Missing keys take Pooling.__init__'s defaults (mean on, the rest off);
// "pooling_mode" as a string overrides the flags, as in sentence-transformers.
std::vector<PoolingMode> read_modes(const std::filesystem::path& file) {
    auto j = read_json_file(file);
    try {
        if (auto it = j.find("pooling_mode"); it != j.end() && it->is_string()) {
            std::string m = it->get<std::string>();
            std::transform(m.begin(), m.end(), m.begin(), [](unsigned char c) { return std::tolower(c); });
            if (m == "mean") return {PoolingMode::mean};
            if (m == "max") return {PoolingMode::max};
            if (m == "cls") return {PoolingMode::cls};
            if (m == "weightedmean") return {PoolingMode::weighted_mean};
            if (m == "lasttoken") return {PoolingMode::last_token};
            throw Error(ErrorKind::invalid_input, "pooling_mode '" + m + "' is not mean, max, cls, weightedmean or lasttoken");
        }
        std::vector<PoolingMode> modes;
        if (flag(j, "pooling_mode_cls_token", false)) modes.push_back(PoolingMode::cls);
        if (flag(j, "pooling_mode_max_tokens", false)) modes.push_back(PoolingMode::max);
        if (flag(j, "pooling_mode_mean_tokens", true)) modes.push_back(PoolingMode::mean);
        if (flag(j, "pooling_mode_mean_sqrt_len_tokens", false)) modes.push_back(PoolingMode::mean_sqrt_len);
        if (flag(j, "pooling_mode_weightedmean_tokens", false)) modes.push_back(PoolingMode::weighted_mean);
        if (flag(j, "pooling_mode_lasttoken", false)) modes.push_back(PoolingMode::last_token);
        if (modes.empty()) throw Error(ErrorKind::invalid_input, "no pooling mode is enabled");
        return modes;
    } catch (const Error& e) {
        throw Error(ErrorKind::invalid_input, file.string() + ": " + e.what());
    }
}

}  // namespace

const char* pooling_mode_name(PoolingMode mode) {
    switch (mode) {
        case PoolingMode::cls: return "cls";
        case PoolingMode::max: return "max";
        case PoolingMode::mean: return "mean";
        case PoolingMode::mean_sqrt_len: return "mean_sqrt_len";
        case PoolingMode::weighted_mean: return "weightedmean";
        case PoolingMode::last_token: return "lasttoken";
    }
    return "?";
}

std::string PoolingConfig::describe() const {
    std::string s;
    for (auto m : modes) s += (s.empty() ? "" : "+") + std::string(pooling_mode_name(m));
    for (const auto& d : dense) s += "+" + d.describe();
    return s;
}

std::size_t PoolingConfig::embedding_dimension(std::size_t hidden_size) const {
    std::size_t dim = modes.size() * hidden_size;
    for (const auto& d : dense) {
        if (d.in != dim)
            throw Error(ErrorKind::invalid_input, (d.folder / "config.json").string() + ": in_features is " + std::to_string(d.in) +
                                                      " but the sentence embedding entering it has " + std::to_string(dim) +
                                                      " values");
        dim = d.out;
    }
    return dim;
}

PoolingConfig read_pooling_config(const std::filesystem::path& dir) {
    PoolingConfig config;
    const auto modules_file = dir / "modules.json";
    if (std::filesystem::exists(modules_file)) {
        auto modules = read_json_file(modules_file);
        if (!modules.is_array()) throw Error(ErrorKind::invalid_input, modules_file.string() + ": expected a list of modules");
        config.sentence_transformers = true;
        for (const auto& m : modules) {
            std::string type = m.value("type", "");
            std::string path = m.value("path", "");
            // "sentence_transformers.models.Pooling" and the newer "...models.pooling.Pooling" alike.
            std::string name = type.substr(type.rfind('.') == std::string::npos ? 0 : type.rfind('.') + 1);
            if (name == "Transformer") continue;
            if (name == "Pooling") {
                auto file = dir / path / "config.json";
                if (std::filesystem::exists(file)) config.modes = read_modes(file);
            } else if (name == "Dense") {
                config.dense.push_back(read_dense_module(dir / path));
            } else if (name == "Normalize") {
                config.normalize_module = true;
            } else if (!config.unsupported) {
                config.unsupported = "sentence-transformers module " + type + " (" + path + ") is not supported";
            }
        }
    }
    const auto st_file = dir / "sentence_bert_config.json";
    if (std::filesystem::exists(st_file)) {
        auto j = read_json_file(st_file);
        if (auto it = j.find("max_seq_length"); it != j.end() && it->is_number_integer() && it->get<long long>() > 0) {
            config.max_seq_length = it->get<std::size_t>();
        }
        try {
            config.do_lower_case = flag(j, "do_lower_case", false);
        } catch (const Error& e) {
            throw Error(ErrorKind::invalid_input, st_file.string() + ": " + e.what());
        }
    }
    return config;
}

void l2_normalize(std::vector<float>& v) {
    double sq = 0.0;
    for (float x : v) sq += static_cast<double>(x) * x;
    // sentence-transformers' Normalize is F.normalize(p=2, eps=1e-12).
    const double norm = std::max(std::sqrt(sq), 1e-12);
    for (float& x : v) x = static_cast<float>(x / norm);
}

std::vector<float> pool_and_normalize(const float* hidden, std::size_t len, std::size_t hidden_size,
                                      const PoolingConfig& config) {
    if (len == 0) throw Error(ErrorKind::invalid_input, "cannot pool an empty sequence");
    std::vector<float> out;
    out.reserve(config.modes.size() * hidden_size);
    std::vector<double> acc(hidden_size);
    for (PoolingMode mode : config.modes) {
        switch (mode) {
            case PoolingMode::cls:
                out.insert(out.end(), hidden, hidden + hidden_size);
                break;
            case PoolingMode::last_token:
                out.insert(out.end(), hidden + (len - 1) * hidden_size, hidden + len * hidden_size);
                break;
            case PoolingMode::max:
                for (std::size_t h = 0; h < hidden_size; ++h) {
                    float m = -std::numeric_limits<float>::infinity();
                    for (std::size_t t = 0; t < len; ++t) m = std::max(m, hidden[t * hidden_size + h]);
                    out.push_back(m);
                }
                break;
            case PoolingMode::mean:
            case PoolingMode::mean_sqrt_len:
            case PoolingMode::weighted_mean: {
                // weightedmean weighs position t by t+1 (arXiv 2202.08904, as sentence-transformers).
                std::fill(acc.begin(), acc.end(), 0.0);
                double weight_sum = 0.0;
                for (std::size_t t = 0; t < len; ++t) {
                    const double w = mode == PoolingMode::weighted_mean ? static_cast<double>(t + 1) : 1.0;
                    weight_sum += w;
                    const float* row = hidden + t * hidden_size;
                    for (std::size_t h = 0; h < hidden_size; ++h) acc[h] += w * row[h];
                }
                const double denom = mode == PoolingMode::mean_sqrt_len ? std::sqrt(weight_sum) : weight_sum;
                for (std::size_t h = 0; h < hidden_size; ++h) out.push_back(static_cast<float>(acc[h] / denom));
                break;
            }
        }
    }
    for (const auto& d : config.dense) out = d.apply(out);
    l2_normalize(out);
    return out;
}

}  // namespace hubbench::adapters
