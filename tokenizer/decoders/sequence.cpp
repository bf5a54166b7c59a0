// Sequence decoder: the decoders in order (tokenizers/src/decoders/sequence.rs).
#include "tokenizer/decoders/decoder.hpp"
#include "tokenizer/json_util.hpp"

namespace hubbench::tokenizer {

namespace {

class SequenceDecoder final : public Decoder {
public:
    explicit SequenceDecoder(std::vector<DecoderPtr> parts) : parts_(std::move(parts)) {}
    void decode_chain(std::vector<std::string>& tokens) const override {
        for (const auto& p : parts_) p->decode_chain(tokens);
    }

private:
    std::vector<DecoderPtr> parts_;
};

}  // namespace

DecoderPtr make_sequence_decoder(const nlohmann::json& config, const std::string& where) {
    const auto& list = json_util::require(config, "decoders", where);
    if (!list.is_array()) json_util::fail(where, "field 'decoders' must be an array");
    std::vector<DecoderPtr> parts;
    for (std::size_t i = 0; i < list.size(); ++i) {
        parts.push_back(make_decoder(list[i], where + ".decoders[" + std::to_string(i) + "]"));
    }
    return std::make_unique<SequenceDecoder>(std::move(parts));
}

}  // namespace hubbench::tokenizer
