// ByteLevel post-processor: trims the spaces a byte-level token starts or ends with from its offsets
// (process_offsets in tokenizers/src/pre_tokenizers/byte_level.rs).
#include "tokenizer/json_util.hpp"
#include "tokenizer/processors/processor.hpp"
#include "tokenizer/unicode.hpp"

namespace hubbench::tokenizer {

namespace {

constexpr char32_t kSpaceChar = 0x120;  // 'Ġ', the byte-level form of ' '

// Bytes of the original text that one leading/trailing space character of a token stands for:
// Ġ is one byte (a space), a real whitespace character its own UTF-8 length.
std::size_t space_bytes(char32_t c) {
    if (c == kSpaceChar) return 1;
    if (unicode::is_whitespace(c)) return static_cast<std::size_t>(unicode::encoded_length(c));
    return 0;
}

class ByteLevelProcessor final : public PostProcessor {
public:
    ByteLevelProcessor(bool add_prefix_space, bool trim_offsets)
        : add_prefix_space_(add_prefix_space), trim_offsets_(trim_offsets) {}
    std::size_t added_tokens(bool /*is_pair*/) const override { return 0; }
    void process(Encoding& encoding, bool /*add_special_tokens*/) const override {
        if (trim_offsets_) trim_byte_level_offsets(encoding, add_prefix_space_);
    }

private:
    bool add_prefix_space_, trim_offsets_;
};

}  // namespace

void trim_byte_level_offsets(Encoding& encoding, bool add_prefix_space) {
    for (std::size_t i = 0; i < encoding.size(); ++i) {
        const std::string& token = encoding.tokens[i];
        auto& offsets = encoding.offsets[i];
        auto chars = unicode::to_u32(token);
        std::size_t leading_chars = 0, leading = 0;
        for (char32_t c : chars) {
            std::size_t n = space_bytes(c);
            if (n == 0) break;
            ++leading_chars;
            leading += n;
        }
        std::size_t trailing = 0;
        for (auto it = chars.rbegin(); it != chars.rend(); ++it) {
            std::size_t n = space_bytes(*it);
            if (n == 0) break;
            trailing += n;
        }
        if (leading == 0 && trailing == 0) continue;
        if (leading > 0) {
            bool is_first = i == 0 || offsets.first == 0;
            // Keep a single prefix space that add_prefix_space put there itself.
            if (is_first && add_prefix_space && leading_chars == 1) leading = 0;
            offsets.first = std::min(offsets.first + leading, offsets.second);
        }
        if (trailing > 0 && offsets.second >= trailing) offsets.second = std::max(offsets.second - trailing, offsets.first);
    }
}

PostProcessorPtr make_byte_level_processor(const nlohmann::json& config, const std::string& where) {
    return std::make_unique<ByteLevelProcessor>(json_util::get_bool(config, "add_prefix_space", true, where),
                                                json_util::get_bool(config, "trim_offsets", true, where));
}

}  // namespace hubbench::tokenizer
