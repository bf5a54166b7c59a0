// Punctuation: splits on punctuation characters with a delimiter behavior
// (tokenizers/src/pre_tokenizers/punctuation.rs).
#include "tokenizer/json_util.hpp"
#include "tokenizer/pre_tokenizers/pre_tokenizer.hpp"

namespace hubbench::tokenizer {

namespace {

bool is_punctuation(char32_t c) { return unicode::is_ascii_punctuation(c) || unicode::is_punctuation(c); }

class Punctuation final : public PreTokenizer {
public:
    explicit Punctuation(SplitBehavior behavior) : behavior_(behavior) {}
    void pre_tokenize(PreTokenizedString& s) const override {
        s.split([this](NormalizedString&& n, std::vector<NormalizedString>& out) {
            std::move(n).split_into(find_char_matches(n.get(), is_punctuation), behavior_, out);
        });
    }

private:
    SplitBehavior behavior_;
};

}  // namespace

PreTokenizerPtr make_punctuation_pre_tokenizer(const nlohmann::json& config, const std::string& where) {
    auto behavior = parse_split_behavior(json_util::get_string_or(config, "behavior", "Isolated", where), where);
    return std::make_unique<Punctuation>(behavior);
}

}  // namespace hubbench::tokenizer
