// GPT-2's byte-to-unicode table: every byte is shown as a printable character (the bytes that are
// printable Latin-1 as themselves, the others from U+0100 on). Mirrors bytes_char() in
// tokenizers/src/pre_tokenizers/byte_level.rs.
#pragma once
#include <array>
#include <string>

#include "tokenizer/normalized_string.hpp"

namespace hubbench::tokenizer::byte_level {

// UTF-8 of the character that stands for each byte.
const std::array<std::string, 256>& byte_to_chars();
// The byte a character stands for, or -1 when it is not in the alphabet.
int char_to_byte(char32_t c);

// Replaces every byte of `s` by its character; all characters made from the bytes of one input
// character share that character's alignment (the ByteLevel transform).
void map_bytes(NormalizedString& s);

}  // namespace hubbench::tokenizer::byte_level
