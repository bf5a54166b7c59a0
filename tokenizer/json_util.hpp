// Reading tokenizer.json fields with errors that name the file and the component at fault.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace hubbench::tokenizer::json_util {

using json = nlohmann::json;

// Throws Error(invalid_input, "<where>: <what>").
[[noreturn]] void fail(const std::string& where, const std::string& what);

// The field, which must exist and not be null.
const json& require(const json& object, std::string_view key, const std::string& where);
// Field absent or null: the default.
bool get_bool(const json& object, std::string_view key, bool fallback, const std::string& where);
std::string get_string(const json& object, std::string_view key, const std::string& where);
std::optional<std::string> get_optional_string(const json& object, std::string_view key, const std::string& where);
std::string get_string_or(const json& object, std::string_view key, std::string fallback, const std::string& where);
std::uint64_t get_uint(const json& object, std::string_view key, std::uint64_t fallback, const std::string& where);
// A JSON string holding exactly one character (serde's `char`).
char32_t get_char(const json& object, std::string_view key, const std::string& where);

// "String"/"Regex" pattern objects of Split and Replace: the regex source to compile.
std::string pattern_source(const json& pattern, const std::string& where);

// The "type" of a component, or "" when absent.
std::string type_of(const json& component);

}  // namespace hubbench::tokenizer::json_util
