// ByteLevel post-processor: trims the spaces a byte-level token starts or ends with from its offsets
// (process_offsets in tokenizers/src/pre_tokenizers/byte_level.rs).
#include "tokenizer/json_util.hpp"
#include "tokenizer/processors/processor.hpp"
#include "tokenizer/unicode.hpp"

#include <optional>

namespace hubbench::tokenizer {

namespace {

constexpr char32_t kSpaceChar = 0x120;  // 'Ġ', the byte-level form of ' '

bool is_space_char(char32_t c) { return c == kSpaceChar || unicode::is_whitespace(c); }

// Moves `offset` (a character boundary of text, or its end) `n` characters forward.
std::size_t advance_chars(std::string_view text, std::size_t offset, std::size_t n) {
    for (; n > 0 && offset < text.size(); --n) {
        offset += static_cast<std::size_t>(unicode::sequence_length(static_cast<unsigned char>(text[offset])));
    }
    return std::min(offset, text.size());
}

// Moves `offset` `n` characters back; nullopt when fewer than n characters precede it.
std::optional<std::size_t> retreat_chars(std::string_view text, std::size_t offset, std::size_t n) {
    offset = std::min(offset, text.size());
    for (; n > 0; --n) {
        if (offset == 0) return std::nullopt;
        --offset;
        while (offset > 0 && (static_cast<unsigned char>(text[offset]) & 0xC0) == 0x80) --offset;
    }
    return offset;
}

class ByteLevelProcessor final : public PostProcessor {
public:
    ByteLevelProcessor(bool add_prefix_space, bool trim_offsets)
        : add_prefix_space_(add_prefix_space), trim_offsets_(trim_offsets) {}
    std::size_t added_tokens(bool /*is_pair*/) const override { return 0; }
    void process(Encoding& encoding, bool /*add_special_tokens*/, std::string_view text) const override {
        if (trim_offsets_) trim_byte_level_offsets(encoding, add_prefix_space_, text);
    }

private:
    bool add_prefix_space_, trim_offsets_;
};

}  // namespace

void trim_byte_level_offsets(Encoding& encoding, bool add_prefix_space, std::string_view text) {
    for (std::size_t i = 0; i < encoding.size(); ++i) {
        auto chars = unicode::to_u32(encoding.tokens[i]);
        std::size_t leading = 0;
        while (leading < chars.size() && is_space_char(chars[leading])) ++leading;
        std::size_t trailing = 0;
        while (trailing < chars.size() && is_space_char(chars[chars.size() - 1 - trailing])) ++trailing;
        if (leading == 0 && trailing == 0) continue;
        auto& offsets = encoding.offsets[i];
        if (leading > 0) {
            bool is_first = i == 0 || offsets.first == 0;
            // Keep a single prefix space that add_prefix_space put there itself.
            if (is_first && add_prefix_space && leading == 1) leading = 0;
            offsets.first = std::min(advance_chars(text, offsets.first, leading), offsets.second);
        }
        if (trailing > 0) {
            if (auto end = retreat_chars(text, offsets.second, trailing)) offsets.second = std::max(*end, offsets.first);
        }
    }
}

PostProcessorPtr make_byte_level_processor(const nlohmann::json& config, const std::string& where) {
    return std::make_unique<ByteLevelProcessor>(json_util::get_bool(config, "add_prefix_space", true, where),
                                                json_util::get_bool(config, "trim_offsets", true, where));
}

}  // namespace hubbench::tokenizer
