// BPEDecoder: the end-of-word suffix becomes a space, except on the last token
// (tokenizers/src/decoders/bpe.rs).
#include "tokenizer/decoders/decoder.hpp"
#include "tokenizer/json_util.hpp"

namespace hubbench::tokenizer {

namespace {

class BpeDecoder final : public Decoder {
public:
    explicit BpeDecoder(std::string suffix) : suffix_(std::move(suffix)) {}
    void decode_chain(std::vector<std::string>& tokens) const override {
        if (suffix_.empty()) return;
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            std::string_view replacement = i + 1 == tokens.size() ? "" : " ";
            auto& t = tokens[i];
            for (std::size_t pos = t.find(suffix_); pos != std::string::npos; pos = t.find(suffix_, pos + replacement.size())) {
                t.replace(pos, suffix_.size(), replacement);
            }
        }
    }

private:
    std::string suffix_;
};

}  // namespace

DecoderPtr make_bpe_decoder(const nlohmann::json& config, const std::string& where) {
    return std::make_unique<BpeDecoder>(json_util::get_string_or(config, "suffix", "</w>", where));
}

}  // namespace hubbench::tokenizer
