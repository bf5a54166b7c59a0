// Sequence: the post-processors in order (tokenizers/src/processors/sequence.rs).
#include <vector>

#include "tokenizer/json_util.hpp"
#include "tokenizer/processors/processor.hpp"

namespace hubbench::tokenizer {

namespace {

class SequenceProcessor final : public PostProcessor {
public:
    explicit SequenceProcessor(std::vector<PostProcessorPtr> parts) : parts_(std::move(parts)) {}
    std::size_t added_tokens(bool is_pair) const override {
        std::size_t n = 0;
        for (const auto& p : parts_) n += p->added_tokens(is_pair);
        return n;
    }
    void process(Encoding& encoding, bool add_special_tokens, std::string_view text) const override {
        for (const auto& p : parts_) p->process(encoding, add_special_tokens, text);
    }
    void describe(SpecialTokens& tokens) const override {
        for (const auto& p : parts_) p->describe(tokens);
    }

private:
    std::vector<PostProcessorPtr> parts_;
};

}  // namespace

PostProcessorPtr make_sequence_processor(const nlohmann::json& config, const std::string& where) {
    const auto& list = json_util::require(config, "processors", where);
    if (!list.is_array()) json_util::fail(where, "field 'processors' must be an array");
    std::vector<PostProcessorPtr> parts;
    for (std::size_t i = 0; i < list.size(); ++i) {
        parts.push_back(make_post_processor(list[i], where + ".processors[" + std::to_string(i) + "]"));
    }
    return std::make_unique<SequenceProcessor>(std::move(parts));
}

}  // namespace hubbench::tokenizer
