// Decoders: turn token strings back into text (tokenizers/src/decoders). Each works on the whole
// list of token strings (decode_chain); the tokenizer joins what is left. One file per type.
#pragma once
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace hubbench::tokenizer {

class Decoder {
public:
    virtual ~Decoder() = default;
    virtual void decode_chain(std::vector<std::string>& tokens) const = 0;
};

using DecoderPtr = std::unique_ptr<const Decoder>;

DecoderPtr make_decoder(const nlohmann::json& config, const std::string& where);

DecoderPtr make_byte_level_decoder(const nlohmann::json& config, const std::string& where);
DecoderPtr make_word_piece_decoder(const nlohmann::json& config, const std::string& where);
DecoderPtr make_metaspace_decoder(const nlohmann::json& config, const std::string& where);
DecoderPtr make_replace_decoder(const nlohmann::json& config, const std::string& where);
DecoderPtr make_byte_fallback_decoder(const nlohmann::json& config, const std::string& where);
DecoderPtr make_fuse_decoder(const nlohmann::json& config, const std::string& where);
DecoderPtr make_strip_decoder(const nlohmann::json& config, const std::string& where);
DecoderPtr make_sequence_decoder(const nlohmann::json& config, const std::string& where);
DecoderPtr make_bpe_decoder(const nlohmann::json& config, const std::string& where);
DecoderPtr make_ctc_decoder(const nlohmann::json& config, const std::string& where);

// The WordPiece decoder's cleanup (also used by CTC).
std::string cleanup_tokenization(std::string text);

}  // namespace hubbench::tokenizer
