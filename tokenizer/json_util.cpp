#include "tokenizer/json_util.hpp"

#include "core/error.hpp"
#include "tokenizer/regex.hpp"
#include "tokenizer/unicode.hpp"

namespace hubbench::tokenizer::json_util {

void fail(const std::string& where, const std::string& what) {
    throw Error(ErrorKind::invalid_input, where + ": " + what);
}

const json& require(const json& object, std::string_view key, const std::string& where) {
    if (!object.is_object()) fail(where, "expected a JSON object");
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) fail(where, "missing field '" + std::string(key) + "'");
    return *it;
}

static const json* find(const json& object, std::string_view key, const std::string& where) {
    if (!object.is_object()) fail(where, "expected a JSON object");
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) return nullptr;
    return &*it;
}

bool get_bool(const json& object, std::string_view key, bool fallback, const std::string& where) {
    const json* v = find(object, key, where);
    if (v == nullptr) return fallback;
    if (!v->is_boolean()) fail(where, "field '" + std::string(key) + "' must be a boolean");
    return v->get<bool>();
}

std::string get_string(const json& object, std::string_view key, const std::string& where) {
    const json& v = require(object, key, where);
    if (!v.is_string()) fail(where, "field '" + std::string(key) + "' must be a string");
    return v.get<std::string>();
}

std::optional<std::string> get_optional_string(const json& object, std::string_view key, const std::string& where) {
    const json* v = find(object, key, where);
    if (v == nullptr) return std::nullopt;
    if (!v->is_string()) fail(where, "field '" + std::string(key) + "' must be a string");
    return v->get<std::string>();
}

std::string get_string_or(const json& object, std::string_view key, std::string fallback, const std::string& where) {
    auto v = get_optional_string(object, key, where);
    return v ? *v : std::move(fallback);
}

std::uint64_t get_uint(const json& object, std::string_view key, std::uint64_t fallback, const std::string& where) {
    const json* v = find(object, key, where);
    if (v == nullptr) return fallback;
    if (!v->is_number_unsigned()) fail(where, "field '" + std::string(key) + "' must be a non-negative integer");
    return v->get<std::uint64_t>();
}

char32_t get_char(const json& object, std::string_view key, const std::string& where) {
    std::string s = get_string(object, key, where);
    if (unicode::find_invalid(s) != std::string::npos || unicode::count_chars(s) != 1) {
        fail(where, "field '" + std::string(key) + "' must be a single character");
    }
    int len = 0;
    return unicode::decode(s, 0, len);
}

std::string pattern_source(const json& pattern, const std::string& where) {
    if (!pattern.is_object()) fail(where, "field 'pattern' must be {\"String\": ...} or {\"Regex\": ...}");
    if (auto it = pattern.find("String"); it != pattern.end() && it->is_string()) {
        return escape_regex(it->get<std::string>());
    }
    if (auto it = pattern.find("Regex"); it != pattern.end() && it->is_string()) {
        return it->get<std::string>();
    }
    fail(where, "field 'pattern' must be {\"String\": ...} or {\"Regex\": ...}");
}

std::string type_of(const json& component) {
    if (!component.is_object()) return "";
    auto it = component.find("type");
    if (it == component.end() || !it->is_string()) return "";
    return it->get<std::string>();
}

}  // namespace hubbench::tokenizer::json_util
