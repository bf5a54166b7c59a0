// Canonical JSON for result parameters, so that {"b":1, "a":0.5} and {"a":0.50,"b":1.0} name the
// same result key. The form follows RFC 8785 (JSON Canonicalization Scheme) in spirit: object keys
// sorted (by UTF-8 bytes), no insignificant whitespace, strings escaped minimally, numbers printed
// as the shortest text that reads back to the same double, and a number with an integral value
// printed as an integer (1.0 -> 1, -0.0 -> 0), as ECMAScript's Number.prototype.toString does.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace hubbench::results {

// Throws Error(invalid_input) for NaN or infinite numbers (not JSON) and invalid UTF-8.
std::string canonical_json(const nlohmann::json& value);

// Parses `text` first; throws Error(invalid_input) quoting the parser's message when it is not JSON.
std::string canonical_json_text(std::string_view text);

}  // namespace hubbench::results
