// Sequence: the pre-tokenizers in order (tokenizers/src/pre_tokenizers/sequence.rs).
#include <vector>

#include "tokenizer/json_util.hpp"
#include "tokenizer/pre_tokenizers/pre_tokenizer.hpp"

namespace hubbench::tokenizer {

namespace {

class SequencePreTokenizer final : public PreTokenizer {
public:
    explicit SequencePreTokenizer(std::vector<PreTokenizerPtr> parts) : parts_(std::move(parts)) {}
    void pre_tokenize(PreTokenizedString& s) const override {
        for (const auto& p : parts_) p->pre_tokenize(s);
    }

private:
    std::vector<PreTokenizerPtr> parts_;
};

}  // namespace

PreTokenizerPtr make_sequence_pre_tokenizer(const nlohmann::json& config, const std::string& where) {
    const auto& list = json_util::require(config, "pretokenizers", where);
    if (!list.is_array()) json_util::fail(where, "field 'pretokenizers' must be an array");
    std::vector<PreTokenizerPtr> parts;
    for (std::size_t i = 0; i < list.size(); ++i) {
        parts.push_back(make_pre_tokenizer(list[i], where + ".pretokenizers[" + std::to_string(i) + "]"));
    }
    return std::make_unique<SequencePreTokenizer>(std::move(parts));
}

}  // namespace hubbench::tokenizer
