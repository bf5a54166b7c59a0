// Truncation of an encoding that already carries its special tokens, the way Hugging Face
// truncates `tokenizer(text, truncation=True, max_length=L)`: the content is cut from the right
// *before* the post-processor adds [CLS]/[SEP] (<s>/</s>, BOS...), so the leading and trailing
// special tokens survive. tokenizers/src/tokenizer/mod.rs truncates, then post-processes; for a
// single sequence that equals keeping the special runs at both ends and the first content tokens.
#pragma once
#include <cstddef>
#include <vector>

namespace hubbench::adapters {

// Indices of the tokens to keep, in order. `special_mask[i]` is non-zero for a special token
// added by the post-processor. At most max_length indices; all of them when the encoding fits.
template <class Mask>
std::vector<std::size_t> truncation_indices(const Mask& special_mask, std::size_t max_length) {
    const std::size_t n = special_mask.size();
    std::vector<std::size_t> keep;
    if (n <= max_length) {
        for (std::size_t i = 0; i < n; ++i) keep.push_back(i);
        return keep;
    }
    std::size_t leading = 0;
    while (leading < n && special_mask[leading]) ++leading;
    std::size_t trailing = 0;
    while (trailing < n - leading && special_mask[n - 1 - trailing]) ++trailing;
    if (leading + trailing >= max_length) {  // no room for content: keep the first max_length
        for (std::size_t i = 0; i < max_length; ++i) keep.push_back(i);
        return keep;
    }
    const std::size_t content = max_length - leading - trailing;
    for (std::size_t i = 0; i < leading + content; ++i) keep.push_back(i);
    for (std::size_t i = n - trailing; i < n; ++i) keep.push_back(i);
    return keep;
}

}  // namespace hubbench::adapters
