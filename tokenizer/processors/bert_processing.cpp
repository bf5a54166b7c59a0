// BertProcessing: [CLS] sequence [SEP] (tokenizers/src/processors/bert.rs).
#include "tokenizer/processors/processor.hpp"

namespace hubbench::tokenizer {

namespace {

class BertProcessing final : public PostProcessor {
public:
    BertProcessing(std::pair<std::string, std::int32_t> sep, std::pair<std::string, std::int32_t> cls)
        : sep_(std::move(sep)), cls_(std::move(cls)) {}
    std::size_t added_tokens(bool is_pair) const override { return is_pair ? 3 : 2; }
    void process(Encoding& encoding, bool add_special_tokens, std::string_view /*text*/) const override {
        if (add_special_tokens) wrap_with_special_tokens(encoding, cls_, sep_);
    }
    void describe(SpecialTokens& tokens) const override {
        tokens.cls = cls_.second;
        tokens.sep = sep_.second;
    }

private:
    std::pair<std::string, std::int32_t> sep_, cls_;
};

}  // namespace

PostProcessorPtr make_bert_processing(const nlohmann::json& config, const std::string& where) {
    return std::make_unique<BertProcessing>(parse_token_pair(config, "sep", where), parse_token_pair(config, "cls", where));
}

}  // namespace hubbench::tokenizer
