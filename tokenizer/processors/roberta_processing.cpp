// RobertaProcessing: byte-level offset trimming, then <s> sequence </s>
// (tokenizers/src/processors/roberta.rs).
#include "tokenizer/json_util.hpp"
#include "tokenizer/processors/processor.hpp"

namespace hubbench::tokenizer {

namespace {

class RobertaProcessing final : public PostProcessor {
public:
    RobertaProcessing(std::pair<std::string, std::int32_t> sep, std::pair<std::string, std::int32_t> cls, bool trim_offsets,
                      bool add_prefix_space)
        : sep_(std::move(sep)), cls_(std::move(cls)), trim_offsets_(trim_offsets), add_prefix_space_(add_prefix_space) {}
    std::size_t added_tokens(bool is_pair) const override { return is_pair ? 4 : 2; }
    void process(Encoding& encoding, bool add_special_tokens, std::string_view text) const override {
        if (trim_offsets_) trim_byte_level_offsets(encoding, add_prefix_space_, text);
        if (add_special_tokens) wrap_with_special_tokens(encoding, cls_, sep_);
    }
    void describe(SpecialTokens& tokens) const override {
        tokens.cls = cls_.second;
        tokens.sep = sep_.second;
    }

private:
    std::pair<std::string, std::int32_t> sep_, cls_;
    bool trim_offsets_, add_prefix_space_;
};

}  // namespace

PostProcessorPtr make_roberta_processing(const nlohmann::json& config, const std::string& where) {
    return std::make_unique<RobertaProcessing>(parse_token_pair(config, "sep", where), parse_token_pair(config, "cls", where),
                                               json_util::get_bool(config, "trim_offsets", true, where),
                                               json_util::get_bool(config, "add_prefix_space", true, where));
}

}  // namespace hubbench::tokenizer
