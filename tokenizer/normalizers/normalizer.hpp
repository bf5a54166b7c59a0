// Normalizers: rewrite a NormalizedString in place, keeping alignments (tokenizers/src/normalizers).
// One file per tokenizer.json "type"; make_normalizer dispatches on it.
#pragma once
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "tokenizer/normalized_string.hpp"

namespace hubbench::tokenizer {

class Normalizer {
public:
    virtual ~Normalizer() = default;
    virtual void normalize(NormalizedString& s) const = 0;
};

using NormalizerPtr = std::unique_ptr<const Normalizer>;

// `where` names the file and the position in it; errors name it plus the component's type.
NormalizerPtr make_normalizer(const nlohmann::json& config, const std::string& where);

NormalizerPtr make_sequence_normalizer(const nlohmann::json& config, const std::string& where);
NormalizerPtr make_unicode_normalizer(const nlohmann::json& config, const std::string& where);  // NFC NFD NFKC NFKD
NormalizerPtr make_lowercase_normalizer(const nlohmann::json& config, const std::string& where);
NormalizerPtr make_strip_normalizer(const nlohmann::json& config, const std::string& where);
NormalizerPtr make_strip_accents_normalizer(const nlohmann::json& config, const std::string& where);
NormalizerPtr make_replace_normalizer(const nlohmann::json& config, const std::string& where);
NormalizerPtr make_prepend_normalizer(const nlohmann::json& config, const std::string& where);
NormalizerPtr make_bert_normalizer(const nlohmann::json& config, const std::string& where);
NormalizerPtr make_precompiled_normalizer(const nlohmann::json& config, const std::string& where);
NormalizerPtr make_byte_level_normalizer(const nlohmann::json& config, const std::string& where);
NormalizerPtr make_nmt_normalizer(const nlohmann::json& config, const std::string& where);

}  // namespace hubbench::tokenizer
