// Whitespace: words (\w+) and runs of other non-space characters (tokenizers/src/pre_tokenizers/whitespace.rs).
#include "tokenizer/pre_tokenizers/pre_tokenizer.hpp"
#include "tokenizer/regex.hpp"

namespace hubbench::tokenizer {

namespace {

class Whitespace final : public PreTokenizer {
public:
    void pre_tokenize(PreTokenizedString& s) const override {
        static const Regex re(R"(\w+|[^\w\s]+)", "Whitespace pre-tokenizer");
        s.split([](NormalizedString&& n, std::vector<NormalizedString>& out) {
            std::move(n).split_into(invert(re.find_matches(n.get())), SplitBehavior::removed, out);
        });
    }
};

}  // namespace

PreTokenizerPtr make_whitespace_pre_tokenizer(const nlohmann::json& /*config*/, const std::string& /*where*/) {
    return std::make_unique<Whitespace>();
}

}  // namespace hubbench::tokenizer
