#include "core/error.hpp"
#include "tokenizer/decoders/decoder.hpp"
#include "tokenizer/json_util.hpp"

namespace hubbench::tokenizer {

DecoderPtr make_decoder(const nlohmann::json& config, const std::string& where) {
    std::string type = json_util::type_of(config);
    std::string at = where + " (" + (type.empty() ? "no type" : type) + ")";
    if (type == "ByteLevel") return make_byte_level_decoder(config, at);
    if (type == "WordPiece") return make_word_piece_decoder(config, at);
    if (type == "Metaspace") return make_metaspace_decoder(config, at);
    if (type == "Replace") return make_replace_decoder(config, at);
    if (type == "ByteFallback") return make_byte_fallback_decoder(config, at);
    if (type == "Fuse") return make_fuse_decoder(config, at);
    if (type == "Strip") return make_strip_decoder(config, at);
    if (type == "Sequence") return make_sequence_decoder(config, at);
    if (type == "BPEDecoder") return make_bpe_decoder(config, at);
    if (type == "CTC") return make_ctc_decoder(config, at);
    if (type.empty()) json_util::fail(where, "decoder without a \"type\"");
    throw Error(ErrorKind::unsupported, where + ": unknown decoder type '" + type + "'");
}

}  // namespace hubbench::tokenizer
