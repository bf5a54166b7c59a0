#include "tokenizer/byte_level_alphabet.hpp"

#include <vector>

namespace hubbench::tokenizer::byte_level {

namespace {

struct Tables {
    std::array<char32_t, 256> chars{};
    std::array<std::string, 256> utf8;
    Tables() {
        std::array<bool, 256> printable{};
        for (int b = '!'; b <= '~'; ++b) printable[b] = true;
        for (int b = 0xA1; b <= 0xAC; ++b) printable[b] = true;
        for (int b = 0xAE; b <= 0xFF; ++b) printable[b] = true;
        char32_t n = 0;
        for (int b = 0; b < 256; ++b) {
            chars[b] = printable[b] ? static_cast<char32_t>(b) : 256 + n++;
            utf8[b] = unicode::encode(chars[b]);
        }
    }
};

const Tables& tables() {
    static const Tables t;
    return t;
}

}  // namespace

const std::array<std::string, 256>& byte_to_chars() { return tables().utf8; }

int char_to_byte(char32_t c) {
    // The alphabet is the identity on printable Latin-1 and 256..323 for the rest.
    if (c < 256) {
        bool printable = (c >= '!' && c <= '~') || (c >= 0xA1 && c <= 0xAC) || (c >= 0xAE);
        return printable ? static_cast<int>(c) : -1;
    }
    if (c >= 256 + 68) return -1;
    static const std::array<int, 68> reverse = [] {
        std::array<int, 68> r{};
        const auto& t = tables();
        for (int b = 0; b < 256; ++b) {
            if (t.chars[b] >= 256) r[t.chars[b] - 256] = b;
        }
        return r;
    }();
    return reverse[c - 256];
}

void map_bytes(NormalizedString& s) {
    if (s.empty()) return;
    // Same alignments as ByteLevel's transform: each character's bytes become characters aligned
    // like the character they came from (alignments are constant within a character).
    s.replace_content(s.slice_bytes_mapped(0, s.len(), byte_to_chars()));
}

}  // namespace hubbench::tokenizer::byte_level
