// Pre-tokenizers: cut the splits of a PreTokenizedString into smaller ones (words), possibly
// rewriting them (tokenizers/src/pre_tokenizers). One file per tokenizer.json "type".
#pragma once
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "tokenizer/pre_tokenized_string.hpp"

namespace hubbench::tokenizer {

class PreTokenizer {
public:
    virtual ~PreTokenizer() = default;
    virtual void pre_tokenize(PreTokenizedString& s) const = 0;
};

using PreTokenizerPtr = std::unique_ptr<const PreTokenizer>;

PreTokenizerPtr make_pre_tokenizer(const nlohmann::json& config, const std::string& where);

PreTokenizerPtr make_sequence_pre_tokenizer(const nlohmann::json& config, const std::string& where);
PreTokenizerPtr make_byte_level_pre_tokenizer(const nlohmann::json& config, const std::string& where);
PreTokenizerPtr make_whitespace_pre_tokenizer(const nlohmann::json& config, const std::string& where);
PreTokenizerPtr make_whitespace_split_pre_tokenizer(const nlohmann::json& config, const std::string& where);
PreTokenizerPtr make_bert_pre_tokenizer(const nlohmann::json& config, const std::string& where);
PreTokenizerPtr make_metaspace_pre_tokenizer(const nlohmann::json& config, const std::string& where);
PreTokenizerPtr make_split_pre_tokenizer(const nlohmann::json& config, const std::string& where);
PreTokenizerPtr make_punctuation_pre_tokenizer(const nlohmann::json& config, const std::string& where);
PreTokenizerPtr make_digits_pre_tokenizer(const nlohmann::json& config, const std::string& where);
PreTokenizerPtr make_char_delimiter_pre_tokenizer(const nlohmann::json& config, const std::string& where);

}  // namespace hubbench::tokenizer
