// WhitespaceSplit: splits on whitespace, dropping it (tokenizers/src/pre_tokenizers/whitespace.rs).
#include "tokenizer/pre_tokenizers/pre_tokenizer.hpp"

namespace hubbench::tokenizer {

namespace {

class WhitespaceSplit final : public PreTokenizer {
public:
    void pre_tokenize(PreTokenizedString& s) const override {
        s.split([](NormalizedString&& n, std::vector<NormalizedString>& out) {
            std::move(n).split_into(find_char_matches(n.get(), unicode::is_whitespace), SplitBehavior::removed, out);
        });
    }
};

}  // namespace

PreTokenizerPtr make_whitespace_split_pre_tokenizer(const nlohmann::json& /*config*/, const std::string& /*where*/) {
    return std::make_unique<WhitespaceSplit>();
}

}  // namespace hubbench::tokenizer
