// CharDelimiterSplit: splits on one character, dropping it (tokenizers/src/pre_tokenizers/delimiter.rs).
#include "tokenizer/json_util.hpp"
#include "tokenizer/pre_tokenizers/pre_tokenizer.hpp"

namespace hubbench::tokenizer {

namespace {

class CharDelimiterSplit final : public PreTokenizer {
public:
    explicit CharDelimiterSplit(char32_t delimiter) : delimiter_(delimiter) {}
    void pre_tokenize(PreTokenizedString& s) const override {
        char32_t d = delimiter_;
        s.split([d](NormalizedString&& n, std::vector<NormalizedString>& out) {
            std::move(n).split_into(find_char_matches(n.get(), [d](char32_t c) { return c == d; }), SplitBehavior::removed, out);
        });
    }

private:
    char32_t delimiter_;
};

}  // namespace

PreTokenizerPtr make_char_delimiter_pre_tokenizer(const nlohmann::json& config, const std::string& where) {
    return std::make_unique<CharDelimiterSplit>(json_util::get_char(config, "delimiter", where));
}

}  // namespace hubbench::tokenizer
