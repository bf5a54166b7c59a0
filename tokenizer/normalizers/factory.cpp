#include "core/error.hpp"
#include "tokenizer/json_util.hpp"
#include "tokenizer/normalizers/normalizer.hpp"

namespace hubbench::tokenizer {

NormalizerPtr make_normalizer(const nlohmann::json& config, const std::string& where) {
    std::string type = json_util::type_of(config);
    std::string at = where + " (" + (type.empty() ? "no type" : type) + ")";
    if (type == "Sequence") return make_sequence_normalizer(config, at);
    if (type == "NFC" || type == "NFD" || type == "NFKC" || type == "NFKD") return make_unicode_normalizer(config, at);
    if (type == "Lowercase") return make_lowercase_normalizer(config, at);
    if (type == "Strip") return make_strip_normalizer(config, at);
    if (type == "StripAccents") return make_strip_accents_normalizer(config, at);
    if (type == "Replace") return make_replace_normalizer(config, at);
    if (type == "Prepend") return make_prepend_normalizer(config, at);
    if (type == "BertNormalizer") return make_bert_normalizer(config, at);
    if (type == "Precompiled") return make_precompiled_normalizer(config, at);
    if (type == "ByteLevel") return make_byte_level_normalizer(config, at);
    if (type == "Nmt") return make_nmt_normalizer(config, at);
    if (type.empty()) json_util::fail(where, "normalizer without a \"type\"");
    throw Error(ErrorKind::unsupported, where + ": unknown normalizer type '" + type + "'");
}

}  // namespace hubbench::tokenizer
