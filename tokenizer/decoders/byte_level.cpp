// ByteLevel decoder: characters back to bytes, all tokens at once, invalid UTF-8 replaced
// (tokenizers/src/pre_tokenizers/byte_level.rs, Decoder impl).
#include "tokenizer/byte_level_alphabet.hpp"
#include "tokenizer/decoders/decoder.hpp"

namespace hubbench::tokenizer {

namespace {

class ByteLevelDecoder final : public Decoder {
public:
    void decode_chain(std::vector<std::string>& tokens) const override {
        std::string bytes;
        std::string token_bytes;
        for (const auto& t : tokens) {
            // A token whose characters are all in the alphabet becomes its bytes; any other token
            // (an added token, say) is kept as it is.
            token_bytes.clear();
            bool all = true;
            for (std::size_t i = 0; i < t.size() && all;) {
                int len = 0;
                char32_t c = unicode::decode(t, i, len);
                int b = byte_level::char_to_byte(c);
                if (b < 0) all = false;
                else token_bytes.push_back(static_cast<char>(b));
                i += static_cast<std::size_t>(len);
            }
            bytes.append(all ? token_bytes : t);
        }
        tokens.assign(1, unicode::from_utf8_lossy(bytes));
    }
};

}  // namespace

DecoderPtr make_byte_level_decoder(const nlohmann::json& /*config*/, const std::string& /*where*/) {
    return std::make_unique<ByteLevelDecoder>();
}

}  // namespace hubbench::tokenizer
