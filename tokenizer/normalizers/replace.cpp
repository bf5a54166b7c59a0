// Replace: every match of a string or regex pattern by `content` (tokenizers/src/normalizers/replace.rs).
#include "tokenizer/json_util.hpp"
#include "tokenizer/normalizers/normalizer.hpp"
#include "tokenizer/regex.hpp"

namespace hubbench::tokenizer {

namespace {

class Replace final : public Normalizer {
public:
    Replace(const std::string& source, std::string content, const std::string& where)
        : regex_(source, where), content_(std::move(content)) {}
    void normalize(NormalizedString& s) const override {
        if (s.empty()) return;
        s.replace(regex_.find_matches(s.get()), content_);
    }

private:
    Regex regex_;
    std::string content_;
};

}  // namespace

NormalizerPtr make_replace_normalizer(const nlohmann::json& config, const std::string& where) {
    std::string source = json_util::pattern_source(json_util::require(config, "pattern", where), where);
    return std::make_unique<Replace>(source, json_util::get_string(config, "content", where), where);
}

}  // namespace hubbench::tokenizer
