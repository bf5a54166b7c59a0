// Values from JSON (the variables and messages a render gets) and to JSON (the tojson filter,
// written as Python's json.dumps writes it).
#pragma once
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "tokenizer/chat_template/value.hpp"

namespace hubbench::tokenizer::jinja {

// A JSON value as the Python object json.loads gives. Text that is not valid UTF-8, or binary
// data, throws Error(invalid_input) naming `where`.
Value from_json(const nlohmann::ordered_json& j, const std::string& where);

// json.dumps' indent, separators, ensure_ascii and sort_keys.
struct JsonStyle {
    std::optional<std::string> indent;  // None: one line
    std::string item_separator, key_separator;
    bool ensure_ascii = false;
    bool sort_keys = false;
};

// Appends json.dumps(v) to `out`; `depth` is the nesting of v (0 at the top).
void to_json(const Value& v, const JsonStyle& style, int depth, std::string& out);

}  // namespace hubbench::tokenizer::jinja
