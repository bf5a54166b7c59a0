#include "core/error.hpp"
#include "tokenizer/json_util.hpp"
#include "tokenizer/processors/processor.hpp"

namespace hubbench::tokenizer {

PostProcessorPtr make_post_processor(const nlohmann::json& config, const std::string& where) {
    std::string type = json_util::type_of(config);
    std::string at = where + " (" + (type.empty() ? "no type" : type) + ")";
    if (type == "TemplateProcessing") return make_template_processing(config, at);
    if (type == "BertProcessing") return make_bert_processing(config, at);
    if (type == "RobertaProcessing") return make_roberta_processing(config, at);
    if (type == "ByteLevel") return make_byte_level_processor(config, at);
    if (type == "Sequence") return make_sequence_processor(config, at);
    if (type.empty()) json_util::fail(where, "post-processor without a \"type\"");
    throw Error(ErrorKind::unsupported, where + ": unknown post-processor type '" + type + "'");
}

void wrap_with_special_tokens(Encoding& encoding, const std::pair<std::string, std::int32_t>& cls,
                              const std::pair<std::string, std::int32_t>& sep) {
    encoding.ids.insert(encoding.ids.begin(), cls.second);
    encoding.ids.push_back(sep.second);
    encoding.tokens.insert(encoding.tokens.begin(), cls.first);
    encoding.tokens.push_back(sep.first);
    encoding.offsets.insert(encoding.offsets.begin(), {0, 0});
    encoding.offsets.emplace_back(0, 0);
    encoding.special_tokens_mask.insert(encoding.special_tokens_mask.begin(), 1);
    encoding.special_tokens_mask.push_back(1);
    encoding.attention_mask.insert(encoding.attention_mask.begin(), 1);
    encoding.attention_mask.push_back(1);
}

std::pair<std::string, std::int32_t> parse_token_pair(const nlohmann::json& config, const char* key, const std::string& where) {
    const auto& v = json_util::require(config, key, where);
    if (!v.is_array() || v.size() != 2 || !v[0].is_string() || !v[1].is_number_integer()) {
        json_util::fail(where, std::string("field '") + key + "' must be [\"token\", id]");
    }
    return {v[0].get<std::string>(), v[1].get<std::int32_t>()};
}

}  // namespace hubbench::tokenizer
