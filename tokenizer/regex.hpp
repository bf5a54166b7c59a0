// Oniguruma regular expressions, compiled the way the `onig` crate does for Hugging Face
// `tokenizers` (default Oniguruma syntax, UTF-8, no options), so \p{L}, look-ahead and (?i:...)
// behave identically. A compiled Regex is immutable and safe to search from several threads.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/normalized_string.hpp"

namespace hubbench::tokenizer {

class Regex {
public:
    // Throws Error(invalid_input) naming `where` when the pattern does not compile.
    Regex(std::string_view pattern, const std::string& where);
    ~Regex();
    Regex(const Regex&) = delete;
    Regex& operator=(const Regex&) = delete;

    const std::string& pattern() const { return pattern_; }

    // Non-overlapping matches in order, as onig's find_iter yields them (an empty match right after
    // the previous match is skipped), then turned into a covering list of pieces
    // (Pattern for &SysRegex in tokenizers/src/utils/onig.rs).
    std::vector<Match> find_matches(std::string_view text) const;

    // Calls f(start, end) for each match of find_iter.
    template <typename F>
    void for_each_match(std::string_view text, F&& f) const {
        std::size_t last_end = 0;
        bool has_last = false;
        std::size_t last_match_end = 0;
        while (last_end <= text.size()) {
            std::size_t s = 0, e = 0;
            if (!search(text, last_end, s, e)) break;
            if (e == s && has_last && last_match_end == e) {
                if (last_end >= text.size()) break;
                last_end += static_cast<std::size_t>(unicode::sequence_length(static_cast<unsigned char>(text[last_end])));
                continue;
            }
            last_end = e;
            last_match_end = e;
            has_last = true;
            f(s, e);
        }
    }

private:
    bool search(std::string_view text, std::size_t from, std::size_t& start, std::size_t& end) const;

    std::string pattern_;
    struct Compiled;
    std::unique_ptr<Compiled> compiled_;
};

// Escapes `literal` so that it matches itself (regex::escape, used for String patterns).
std::string escape_regex(std::string_view literal);

}  // namespace hubbench::tokenizer
