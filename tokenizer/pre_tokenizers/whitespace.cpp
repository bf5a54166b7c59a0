// Whitespace: words (\w+) and runs of other non-space characters ([^\w\s]+), whitespace dropped
// (tokenizers/src/pre_tokenizers/whitespace.rs). That file uses the Rust regex crate, whose \w
// differs from Oniguruma's (it includes ZWJ, for one), so the two classes are scanned directly
// with Rust's definitions.
#include "tokenizer/pre_tokenizers/pre_tokenizer.hpp"

namespace hubbench::tokenizer {

namespace {

// Matches of \w+|[^\w\s]+ as a covering list (the text between them unmatched).
std::vector<Match> word_matches(std::string_view text) {
    std::vector<Match> matches;
    if (text.empty()) {
        matches.push_back({0, 0, false});
        return matches;
    }
    enum class Kind { space, word, other };
    auto kind_at = [&](std::size_t i, int& len) {
        char32_t c = unicode::decode(text, i, len);
        if (unicode::is_word_char(c)) return Kind::word;
        if (unicode::is_whitespace(c)) return Kind::space;
        return Kind::other;
    };
    std::size_t prev = 0;
    for (std::size_t i = 0; i < text.size();) {
        int len = 0;
        Kind kind = kind_at(i, len);
        if (kind == Kind::space) {
            i += static_cast<std::size_t>(len);
            continue;
        }
        std::size_t start = i;
        i += static_cast<std::size_t>(len);
        while (i < text.size()) {
            int next_len = 0;
            if (kind_at(i, next_len) != kind) break;
            i += static_cast<std::size_t>(next_len);
        }
        if (prev != start) matches.push_back({prev, start, false});
        matches.push_back({start, i, true});
        prev = i;
    }
    if (prev != text.size()) matches.push_back({prev, text.size(), false});
    return matches;
}

class Whitespace final : public PreTokenizer {
public:
    void pre_tokenize(PreTokenizedString& s) const override {
        s.split([](NormalizedString&& n, std::vector<NormalizedString>& out) {
            std::move(n).split_into(invert(word_matches(n.get())), SplitBehavior::removed, out);
        });
    }
};

}  // namespace

PreTokenizerPtr make_whitespace_pre_tokenizer(const nlohmann::json& /*config*/, const std::string& /*where*/) {
    return std::make_unique<Whitespace>();
}

}  // namespace hubbench::tokenizer
