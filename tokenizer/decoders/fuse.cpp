// Fuse decoder: all tokens into one (tokenizers/src/decoders/fuse.rs).
#include "tokenizer/decoders/decoder.hpp"

namespace hubbench::tokenizer {

namespace {

class FuseDecoder final : public Decoder {
public:
    void decode_chain(std::vector<std::string>& tokens) const override {
        std::string joined;
        for (const auto& t : tokens) joined.append(t);
        tokens.assign(1, std::move(joined));
    }
};

}  // namespace

DecoderPtr make_fuse_decoder(const nlohmann::json& /*config*/, const std::string& /*where*/) {
    return std::make_unique<FuseDecoder>();
}

}  // namespace hubbench::tokenizer
