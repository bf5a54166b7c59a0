// BertPreTokenizer: split on whitespace (removed), then isolate every punctuation character
// (tokenizers/src/pre_tokenizers/bert.rs).
#include "tokenizer/pre_tokenizers/pre_tokenizer.hpp"

namespace hubbench::tokenizer {

namespace {

bool is_bert_punctuation(char32_t c) { return unicode::is_ascii_punctuation(c) || unicode::is_punctuation(c); }

class BertPreTokenizer final : public PreTokenizer {
public:
    void pre_tokenize(PreTokenizedString& s) const override {
        s.split([](NormalizedString&& n, std::vector<NormalizedString>& out) {
            std::move(n).split_into(find_char_matches(n.get(), unicode::is_whitespace), SplitBehavior::removed, out);
        });
        s.split([](NormalizedString&& n, std::vector<NormalizedString>& out) {
            std::move(n).split_into(find_char_matches(n.get(), is_bert_punctuation), SplitBehavior::isolated, out);
        });
    }
};

}  // namespace

PreTokenizerPtr make_bert_pre_tokenizer(const nlohmann::json& /*config*/, const std::string& /*where*/) {
    return std::make_unique<BertPreTokenizer>();
}

}  // namespace hubbench::tokenizer
