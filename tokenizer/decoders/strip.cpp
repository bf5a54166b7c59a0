// Strip decoder: up to `start` leading and `stop` trailing `content` characters off each token
// (tokenizers/src/decoders/strip.rs).
#include "tokenizer/decoders/decoder.hpp"
#include "tokenizer/json_util.hpp"
#include "tokenizer/unicode.hpp"

namespace hubbench::tokenizer {

namespace {

class StripDecoder final : public Decoder {
public:
    StripDecoder(char32_t content, std::size_t start, std::size_t stop) : content_(content), start_(start), stop_(stop) {}
    void decode_chain(std::vector<std::string>& tokens) const override {
        for (auto& t : tokens) {
            std::u32string chars = unicode::to_u32(t);
            std::size_t start_cut = 0;
            for (std::size_t i = 0; i < start_ && i < chars.size(); ++i) {
                if (chars[i] != content_) break;
                start_cut = i + 1;
            }
            std::size_t stop_cut = chars.size();
            for (std::size_t i = 0; i < stop_ && i < chars.size(); ++i) {
                std::size_t index = chars.size() - i - 1;
                if (chars[index] != content_) break;
                stop_cut = index;
            }
            std::string out;
            for (std::size_t i = start_cut; i < stop_cut; ++i) unicode::append(out, chars[i]);
            t = std::move(out);
        }
    }

private:
    char32_t content_;
    std::size_t start_, stop_;
};

}  // namespace

DecoderPtr make_strip_decoder(const nlohmann::json& config, const std::string& where) {
    return std::make_unique<StripDecoder>(json_util::get_char(config, "content", where),
                                          json_util::get_uint(config, "start", 0, where),
                                          json_util::get_uint(config, "stop", 0, where));
}

}  // namespace hubbench::tokenizer
