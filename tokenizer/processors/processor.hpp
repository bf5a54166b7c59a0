// Post-processors: add the model's special tokens around an encoded sequence and adjust offsets
// (tokenizers/src/processors). One file per tokenizer.json "type". Only single sequences are
// encoded by hubbench, so only the single-sequence path is implemented.
#pragma once
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "tokenizer/tokenizer.hpp"

namespace hubbench::tokenizer {

class PostProcessor {
public:
    virtual ~PostProcessor() = default;
    // Tokens added to one sequence (is_pair=false) or a pair.
    virtual std::size_t added_tokens(bool is_pair) const = 0;
    // `text` is the encoded input: offsets are byte offsets into it.
    virtual void process(Encoding& encoding, bool add_special_tokens, std::string_view text) const = 0;
    // Fills the special tokens this processor implies (cls/sep of Bert/RobertaProcessing).
    virtual void describe(SpecialTokens& /*tokens*/) const {}
};

using PostProcessorPtr = std::unique_ptr<const PostProcessor>;

PostProcessorPtr make_post_processor(const nlohmann::json& config, const std::string& where);

PostProcessorPtr make_template_processing(const nlohmann::json& config, const std::string& where);
PostProcessorPtr make_bert_processing(const nlohmann::json& config, const std::string& where);
PostProcessorPtr make_roberta_processing(const nlohmann::json& config, const std::string& where);
PostProcessorPtr make_byte_level_processor(const nlohmann::json& config, const std::string& where);
PostProcessorPtr make_sequence_processor(const nlohmann::json& config, const std::string& where);

// Shared by BertProcessing and RobertaProcessing: [cls] + encoding + [sep].
void wrap_with_special_tokens(Encoding& encoding, const std::pair<std::string, std::int32_t>& cls,
                              const std::pair<std::string, std::int32_t>& sep);
// ByteLevel's process_offsets: leading/trailing spaces (Ġ or whitespace) trimmed from offsets.
// tokenizers trims character offsets, so the counts are applied in characters of `text`.
void trim_byte_level_offsets(Encoding& encoding, bool add_prefix_space, std::string_view text);
// A ["token", id] pair of BertProcessing/RobertaProcessing.
std::pair<std::string, std::int32_t> parse_token_pair(const nlohmann::json& config, const char* key, const std::string& where);

}  // namespace hubbench::tokenizer
