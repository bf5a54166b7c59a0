// UTF-8 and Unicode helpers shared by the tokenizer components. Character classes follow the Rust
// definitions that Hugging Face `tokenizers` uses (char::is_whitespace, unicode_categories), backed
// by utf8proc's tables.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hubbench::tokenizer::unicode {

// Byte length of the UTF-8 sequence that starts with `lead` (1 for continuation bytes, so that a
// loop over valid text always advances).
inline int sequence_length(unsigned char lead) {
    if (lead < 0x80) return 1;
    if (lead >= 0xF0) return 4;
    if (lead >= 0xE0) return 3;
    if (lead >= 0xC0) return 2;
    return 1;
}

inline int encoded_length(char32_t c) {
    if (c < 0x80) return 1;
    if (c < 0x800) return 2;
    if (c < 0x10000) return 3;
    return 4;
}

// Decodes the code point at text[pos]; the text must be valid UTF-8. Sets `length` to its size.
inline char32_t decode(std::string_view text, std::size_t pos, int& length) {
    auto b0 = static_cast<unsigned char>(text[pos]);
    length = sequence_length(b0);
    switch (length) {
        case 1: return b0;
        case 2: return (char32_t(b0 & 0x1F) << 6) | (static_cast<unsigned char>(text[pos + 1]) & 0x3F);
        case 3:
            return (char32_t(b0 & 0x0F) << 12) | (char32_t(static_cast<unsigned char>(text[pos + 1]) & 0x3F) << 6) |
                   (static_cast<unsigned char>(text[pos + 2]) & 0x3F);
        default:
            return (char32_t(b0 & 0x07) << 18) | (char32_t(static_cast<unsigned char>(text[pos + 1]) & 0x3F) << 12) |
                   (char32_t(static_cast<unsigned char>(text[pos + 2]) & 0x3F) << 6) |
                   (static_cast<unsigned char>(text[pos + 3]) & 0x3F);
    }
}

void append(std::string& out, char32_t c);
std::string encode(char32_t c);

// Position of the first byte that is not part of well-formed UTF-8 (no surrogates, no overlongs,
// nothing above U+10FFFF), or npos when the whole text is valid.
std::size_t find_invalid(std::string_view text);

// String::from_utf8_lossy: each maximal invalid subpart becomes U+FFFD.
std::string from_utf8_lossy(std::string_view bytes);

// Decodes valid UTF-8 into code points.
std::u32string to_u32(std::string_view text);
std::size_t count_chars(std::string_view text);

// Rust char::is_whitespace (the White_Space property).
bool is_whitespace(char32_t c);
// What `tokenizers` asks the unicode_categories crate (0.1.1): its tables predate Unicode 9.0, and
// its is_other is Cc | Cf | Co only (an unassigned code point is not "other": BertNormalizer keeps
// it and the word becomes [UNK]). Generated from the library itself (tokenizer/unicode_classes.cpp,
// tools/references/tokenizer_char_classes.py), not from utf8proc's newer tables: is_punctuation
// (P*, outside ASCII), is_other, is_mark_nonspacing (Mn, what BertNormalizer's strip_accents removes).
bool is_punctuation(char32_t c);
bool is_other(char32_t c);
bool is_mark_nonspacing(char32_t c);
bool is_ascii_punctuation(char32_t c);
// Rust char::is_numeric (N*, current Unicode): the Digits pre-tokenizer.
bool is_numeric(char32_t c);
// unicode-normalization's is_combining_mark: General_Category M (Mn, Mc, Me).
bool is_combining_mark(char32_t c);

// Rust regex \w: Alphabetic (letters, letter numbers), marks, decimal digits, connector
// punctuation and join controls (ZWNJ, ZWJ).
bool is_word_char(char32_t c);

// Rust char::to_lowercase: the full (possibly multi-character) lowercase mapping.
void to_lowercase(char32_t c, std::u32string& out);

// One output character and its alignment change, as NormalizedString::transform expects: 0 =
// replaces the next input char, 1 = inserted, -N = replaces the next char and removes N more.
using Change = std::pair<char32_t, int>;

// Unicode normalization forms with the change stream of unicode-normalization-alignments (the
// crate `tokenizers` uses): decomposed characters after the first are insertions, compositions
// fold the changes of their parts.
void decompose(std::u32string_view input, bool compatible, std::vector<Change>& out);
void compose(std::u32string_view input, bool compatible, std::vector<Change>& out);

}  // namespace hubbench::tokenizer::unicode
