// Split: a string or regex pattern with one of the five delimiter behaviors, optionally inverted
// (tokenizers/src/pre_tokenizers/split.rs).
#include "tokenizer/json_util.hpp"
#include "tokenizer/pre_tokenizers/pre_tokenizer.hpp"
#include "tokenizer/regex.hpp"

namespace hubbench::tokenizer {

namespace {

class SplitPreTokenizer final : public PreTokenizer {
public:
    SplitPreTokenizer(const std::string& source, SplitBehavior behavior, bool invert, const std::string& where)
        : regex_(source, where), behavior_(behavior), invert_(invert) {}

    void pre_tokenize(PreTokenizedString& s) const override {
        s.split([this](NormalizedString&& n, std::vector<NormalizedString>& out) {
            auto matches = regex_.find_matches(n.get());
            if (invert_) matches = invert(std::move(matches));
            std::move(n).split_into(matches, behavior_, out);
        });
    }

private:
    Regex regex_;
    SplitBehavior behavior_;
    bool invert_;
};

}  // namespace

PreTokenizerPtr make_split_pre_tokenizer(const nlohmann::json& config, const std::string& where) {
    std::string source = json_util::pattern_source(json_util::require(config, "pattern", where), where);
    SplitBehavior behavior = parse_split_behavior(json_util::get_string(config, "behavior", where), where);
    return std::make_unique<SplitPreTokenizer>(source, behavior, json_util::get_bool(config, "invert", false, where),
                                               where);
}

}  // namespace hubbench::tokenizer
