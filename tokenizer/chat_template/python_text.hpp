// Python's view of text, for the chat-template interpreter: strings are sequences of code points,
// and str.isspace(), the case mappings, repr(), float() and int() of a string behave as CPython's.
// Templates compare what they print byte for byte with what transformers printed, so each function
// follows the CPython routine its comment names.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hubbench::tokenizer::jinja {

// [0-9] (jinja2's lexer and Python's numeric literals accept only ASCII digits).
inline bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

// str.isspace() and the \s of Python's re on str: bidirectional class WS, B or S, or category Zs.
bool py_isspace(char32_t c);
// str.isalpha() / str.isdigit() of one code point (categories L* / Nd).
bool is_alpha(char32_t c);
bool is_digit(char32_t c);
// utf8proc's simple (one code point) case mappings.
char32_t to_upper(char32_t c);
char32_t to_lower(char32_t c);

std::u32string u32(std::string_view s);
std::string utf8(std::u32string_view s);
// `value` as `digits` lower-case hex digits ("\x0a", "\u00e9" escapes).
std::string hex(std::uint32_t value, int digits);

// repr(str) and repr(float).
std::string py_repr_str(std::string_view s);
std::string py_repr_float(double x);

// str.upper(), str.lower(), str.title(), str.capitalize().
std::string py_upper(std::string_view s);
std::string py_lower(std::string_view s);
std::string py_title(std::string_view s);
std::string py_capitalize(std::string_view s);
// str.islower() / str.isupper().
bool py_islower(std::string_view s);
bool py_isupper(std::string_view s);

// str.strip(chars) / lstrip / rstrip: `chars` null strips whitespace.
std::string py_strip(std::string_view s, const std::u32string* chars, bool left, bool right);
// str.replace(old, new, count); a negative count replaces all.
std::string py_replace(std::string_view s, std::string_view old, std::string_view replacement, std::int64_t count);
// str.splitlines(keepends).
std::vector<std::string> py_splitlines(std::string_view s, bool keepends);

// float(text) and int(text, base) of a str; nullopt where Python raises ValueError.
std::optional<double> parse_py_float(std::string_view text);
std::optional<std::int64_t> parse_py_int(std::string_view text, int base);

}  // namespace hubbench::tokenizer::jinja
