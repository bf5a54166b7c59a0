#include "core/error.hpp"
#include "tokenizer/json_util.hpp"
#include "tokenizer/pre_tokenizers/pre_tokenizer.hpp"

namespace hubbench::tokenizer {

PreTokenizerPtr make_pre_tokenizer(const nlohmann::json& config, const std::string& where) {
    std::string type = json_util::type_of(config);
    std::string at = where + " (" + (type.empty() ? "no type" : type) + ")";
    if (type == "Sequence") return make_sequence_pre_tokenizer(config, at);
    if (type == "ByteLevel") return make_byte_level_pre_tokenizer(config, at);
    if (type == "Whitespace") return make_whitespace_pre_tokenizer(config, at);
    if (type == "WhitespaceSplit") return make_whitespace_split_pre_tokenizer(config, at);
    if (type == "BertPreTokenizer") return make_bert_pre_tokenizer(config, at);
    if (type == "Metaspace") return make_metaspace_pre_tokenizer(config, at);
    if (type == "Split") return make_split_pre_tokenizer(config, at);
    if (type == "Punctuation") return make_punctuation_pre_tokenizer(config, at);
    if (type == "Digits") return make_digits_pre_tokenizer(config, at);
    if (type == "CharDelimiterSplit" || type == "Delimiter") return make_char_delimiter_pre_tokenizer(config, at);
    if (type.empty()) json_util::fail(where, "pre-tokenizer without a \"type\"");
    throw Error(ErrorKind::unsupported, where + ": unknown pre-tokenizer type '" + type + "'");
}

}  // namespace hubbench::tokenizer
