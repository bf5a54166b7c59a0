// Truncation, padding and offset conversion helpers on Encoding.
#include <algorithm>

#include "tokenizer/tokenizer.hpp"
#include "tokenizer/unicode.hpp"

namespace hubbench::tokenizer {

namespace {

template <typename T>
void keep(std::vector<T>& v, std::size_t first, std::size_t count) {
    if (v.empty()) return;
    v.erase(v.begin() + static_cast<std::ptrdiff_t>(first + count), v.end());
    v.erase(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(first));
}

template <typename T>
void insert_n(std::vector<T>& v, Direction direction, std::size_t n, const T& value) {
    if (direction == Direction::left) v.insert(v.begin(), n, value);
    else v.insert(v.end(), n, value);
}

}  // namespace

void truncate(Encoding& encoding, std::size_t max_length, Direction direction) {
    std::size_t n = encoding.size();
    if (n <= max_length) return;
    std::size_t first = direction == Direction::right ? 0 : n - max_length;
    keep(encoding.ids, first, max_length);
    keep(encoding.tokens, first, max_length);
    keep(encoding.offsets, first, max_length);
    keep(encoding.special_tokens_mask, first, max_length);
    keep(encoding.attention_mask, first, max_length);
}

void pad(Encoding& encoding, std::size_t length, std::int32_t pad_id, const std::string& pad_token, Direction direction) {
    std::size_t n = encoding.size();
    if (n >= length) return;
    std::size_t missing = length - n;
    if (encoding.attention_mask.size() != n) encoding.attention_mask.assign(n, 1);
    if (encoding.special_tokens_mask.size() != n) encoding.special_tokens_mask.assign(n, 0);
    insert_n(encoding.ids, direction, missing, pad_id);
    insert_n(encoding.tokens, direction, missing, pad_token);
    insert_n(encoding.offsets, direction, missing, std::pair<std::size_t, std::size_t>{0, 0});
    insert_n(encoding.special_tokens_mask, direction, missing, std::uint8_t{1});
    insert_n(encoding.attention_mask, direction, missing, std::uint8_t{0});
}

void pad_batch(std::vector<Encoding>& batch, const PaddingParams& params) {
    std::size_t length = 0;
    if (params.fixed_length) {
        length = *params.fixed_length;
    } else {
        for (const auto& e : batch) length = std::max(length, e.size());
    }
    if (params.pad_to_multiple_of && *params.pad_to_multiple_of > 0 && length % *params.pad_to_multiple_of != 0) {
        length += *params.pad_to_multiple_of - length % *params.pad_to_multiple_of;
    }
    for (auto& e : batch) pad(e, length, params.pad_id, params.pad_token, params.direction);
}

std::vector<std::pair<std::size_t, std::size_t>> char_offsets(std::string_view text,
                                                              const std::vector<std::pair<std::size_t, std::size_t>>& byte_offsets) {
    // Character index of every byte offset 0..size (a byte inside a character maps to that
    // character), as tokenizers' BytesToCharOffsetConverter.
    std::vector<std::size_t> char_at(text.size() + 1, 0);
    std::size_t chars = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && i > 0) ++chars;
        char_at[i] = chars;
    }
    std::size_t total = text.empty() ? 0 : chars + 1;
    char_at[text.size()] = total;
    std::vector<std::pair<std::size_t, std::size_t>> out;
    out.reserve(byte_offsets.size());
    for (const auto& [start, end] : byte_offsets) {
        // The end of the text maps to the number of characters (a trimmed trailing space token ends
        // up at (len, len): tokenizers trims after converting, so it reports (chars, chars)).
        if (start > text.size() || end > text.size()) {
            out.emplace_back(start, end);  // not in the text: left as they are
            continue;
        }
        out.emplace_back(char_at[start], char_at[end]);
    }
    return out;
}

}  // namespace hubbench::tokenizer
