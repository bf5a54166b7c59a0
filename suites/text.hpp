// Text helpers the data readers and the choice scoring share: UTF-8 checking, lines, and Python's
// notion of whitespace (str.isspace, str.strip, str.rstrip), which the conventions hubbench mirrors
// (lm-evaluation-harness, BEIR) are written in terms of.
#pragma once
#include <cstddef>
#include <string_view>

namespace hubbench::suites {

// Offset of the first byte that does not start a well-formed UTF-8 sequence, or npos. The ranges
// are the Unicode Standard's Table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF.
std::size_t invalid_utf8_at(std::string_view text);
// The 1-based line of byte offset `at`.
std::size_t line_of(std::string_view text, std::size_t at);

// Calls f(line, number) for every physical line, numbered from 1, without its LF and a CR before
// it; the empty piece after a final LF is not a line.
template <typename F>
void for_each_line(std::string_view text, F&& f) {
    std::size_t start = 0, number = 1;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(start, end - start);
        if (line.ends_with('\r')) line.remove_suffix(1);
        f(line, number++);
        start = end + 1;
    }
}
// A line with nothing but spaces and tabs.
inline bool is_blank(std::string_view line) { return line.find_first_not_of(" \t") == std::string_view::npos; }

// Python's str.isspace() for one code point: bidirectional class WS, B or S, or category Zs
// (ASCII \t \n \v \f \r, the separators U+001C..U+001F, space, U+0085, U+00A0, U+1680,
// U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000).
bool is_python_space(char32_t c);
// Python's str.strip() and the length str.rstrip() leaves, on valid UTF-8.
std::string_view python_strip(std::string_view text);
std::size_t rstrip_length(std::string_view text);
// Characters as Python counts them (code points of valid UTF-8).
std::size_t count_code_points(std::string_view text);

}  // namespace hubbench::suites
