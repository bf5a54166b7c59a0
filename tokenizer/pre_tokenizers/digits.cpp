// Digits: numeric characters apart from the rest, one by one or as runs
// (tokenizers/src/pre_tokenizers/digits.rs).
#include "tokenizer/json_util.hpp"
#include "tokenizer/pre_tokenizers/pre_tokenizer.hpp"

namespace hubbench::tokenizer {

namespace {

class Digits final : public PreTokenizer {
public:
    explicit Digits(bool individual) : behavior_(individual ? SplitBehavior::isolated : SplitBehavior::contiguous) {}
    void pre_tokenize(PreTokenizedString& s) const override {
        s.split([this](NormalizedString&& n, std::vector<NormalizedString>& out) {
            std::move(n).split_into(find_char_matches(n.get(), unicode::is_numeric), behavior_, out);
        });
    }

private:
    SplitBehavior behavior_;
};

}  // namespace

PreTokenizerPtr make_digits_pre_tokenizer(const nlohmann::json& config, const std::string& where) {
    return std::make_unique<Digits>(json_util::get_bool(config, "individual_digits", false, where));
}

}  // namespace hubbench::tokenizer
