// ByteFallback decoder: runs of <0xXX> tokens become the text of their bytes, or one U+FFFD per
// byte when those bytes are not valid UTF-8 (tokenizers/src/decoders/byte_fallback.rs).
#include "tokenizer/decoders/decoder.hpp"
#include "tokenizer/unicode.hpp"

namespace hubbench::tokenizer {

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

class ByteFallbackDecoder final : public Decoder {
public:
    void decode_chain(std::vector<std::string>& tokens) const override {
        std::vector<std::string> out;
        out.reserve(tokens.size());
        std::string pending;
        auto flush = [&] {
            if (pending.empty()) return;
            if (unicode::find_invalid(pending) == std::string::npos) {
                out.push_back(pending);
            } else {
                for (std::size_t i = 0; i < pending.size(); ++i) out.emplace_back("\xEF\xBF\xBD");
            }
            pending.clear();
        };
        for (auto& t : tokens) {
            if (t.size() == 6 && t.compare(0, 3, "<0x") == 0 && t[5] == '>' && hex_value(t[3]) >= 0 && hex_value(t[4]) >= 0) {
                pending.push_back(static_cast<char>(hex_value(t[3]) * 16 + hex_value(t[4])));
            } else {
                flush();
                out.push_back(std::move(t));
            }
        }
        flush();
        tokens = std::move(out);
    }
};

}  // namespace

DecoderPtr make_byte_fallback_decoder(const nlohmann::json& /*config*/, const std::string& /*where*/) {
    return std::make_unique<ByteFallbackDecoder>();
}

}  // namespace hubbench::tokenizer
