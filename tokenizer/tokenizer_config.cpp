// tokenizer_config.json and special_tokens_map.json: special token names and add_bos/eos_token.
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/fs.hpp"
#include "tokenizer/tokenizer_impl.hpp"

namespace hubbench::tokenizer {

namespace {

using json = nlohmann::json;

json read_json_file(const std::filesystem::path& path) {
    try {
        return json::parse(read_file(path));
    } catch (const json::exception& e) {
        throw Error(ErrorKind::invalid_input, path.string() + ": not valid JSON: " + e.what());
    }
}

// "<s>", {"content": "<s>", ...} (an AddedToken as transformers saves it) or null.
std::optional<ConfigToken> token_name(const json& doc, const char* key) {
    auto it = doc.find(key);
    if (it == doc.end()) return std::nullopt;
    if (it->is_null()) return ConfigToken{true, std::nullopt};
    if (it->is_string()) return ConfigToken{true, it->get<std::string>()};
    if (it->is_object()) {
        auto c = it->find("content");
        if (c != it->end() && c->is_string()) return ConfigToken{true, c->get<std::string>()};
    }
    return std::nullopt;
}

void fill(TokenizerConfig& config, const json& doc, bool override_existing) {
    if (!doc.is_object()) return;
    auto take = [&](ConfigToken& slot, const char* key) {
        if (slot.set && !override_existing) return;
        if (auto v = token_name(doc, key)) slot = *v;
    };
    take(config.bos, "bos_token");
    take(config.eos, "eos_token");
    take(config.unk, "unk_token");
    take(config.pad, "pad_token");
    take(config.mask, "mask_token");
    take(config.cls, "cls_token");
    take(config.sep, "sep_token");
    auto flag = [&](std::optional<bool>& slot, const char* key) {
        auto it = doc.find(key);
        if (it != doc.end() && it->is_boolean()) slot = it->get<bool>();
    };
    flag(config.add_bos_token, "add_bos_token");
    flag(config.add_eos_token, "add_eos_token");
}

}  // namespace

TokenizerConfig read_tokenizer_config(const std::filesystem::path& directory) {
    TokenizerConfig config;
    std::error_code ec;
    auto config_path = directory / "tokenizer_config.json";
    if (std::filesystem::exists(config_path, ec)) fill(config, read_json_file(config_path), true);
    // special_tokens_map.json only fills what tokenizer_config.json leaves out.
    auto map_path = directory / "special_tokens_map.json";
    if (std::filesystem::exists(map_path, ec)) fill(config, read_json_file(map_path), false);
    return config;
}

}  // namespace hubbench::tokenizer
