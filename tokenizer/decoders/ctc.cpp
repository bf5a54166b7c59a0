// CTC decoder: repeated tokens collapsed, padding removed, word delimiters become spaces
// (tokenizers/src/decoders/ctc.rs).
#include "tokenizer/decoders/decoder.hpp"
#include "tokenizer/json_util.hpp"

namespace hubbench::tokenizer {

namespace {

void replace_all(std::string& s, std::string_view from, std::string_view to) {
    if (from.empty()) return;
    for (std::size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
        s.replace(pos, from.size(), to);
    }
}

class CtcDecoder final : public Decoder {
public:
    CtcDecoder(std::string pad, std::string delimiter, bool cleanup)
        : pad_(std::move(pad)), delimiter_(std::move(delimiter)), cleanup_(cleanup) {}
    void decode_chain(std::vector<std::string>& tokens) const override {
        std::vector<std::string> out;
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            if (i > 0 && tokens[i] == tokens[i - 1]) continue;  // dedup
            std::string t = tokens[i];
            replace_all(t, pad_, "");
            if (cleanup_) {
                t = cleanup_tokenization(std::move(t));
                replace_all(t, delimiter_, " ");
            }
            if (!t.empty()) out.push_back(std::move(t));
        }
        tokens = std::move(out);
    }

private:
    std::string pad_, delimiter_;
    bool cleanup_;
};

}  // namespace

DecoderPtr make_ctc_decoder(const nlohmann::json& config, const std::string& where) {
    return std::make_unique<CtcDecoder>(json_util::get_string_or(config, "pad_token", "<pad>", where),
                                        json_util::get_string_or(config, "word_delimiter_token", "|", where),
                                        json_util::get_bool(config, "cleanup", true, where));
}

}  // namespace hubbench::tokenizer
