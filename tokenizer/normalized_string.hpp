// A piece of the input text as the pipeline rewrites it, with the alignment of every normalized
// byte to the original bytes it came from. Mirrors tokenizers/src/tokenizer/normalizer.rs
// (NormalizedString), except that alignments are absolute byte offsets into the whole input, so a
// slice needs no re-basing.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tokenizer/unicode.hpp"

namespace hubbench::tokenizer {

// [start, end) bytes of the original input that one normalized byte comes from. All bytes of one
// normalized character share the same alignment.
struct Alignment {
    std::uint32_t start = 0;
    std::uint32_t end = 0;
};

// One piece of a pattern search: a byte range of the searched text and whether the pattern matched
// it. A list of these covers the text without gaps (tokenizers/src/tokenizer/pattern.rs).
struct Match {
    std::size_t start = 0;
    std::size_t end = 0;
    bool is_match = false;
};

// How `split` treats the matched delimiters (tokenizers' SplitDelimiterBehavior).
enum class SplitBehavior { removed, isolated, merged_with_previous, merged_with_next, contiguous };

class NormalizedString {
public:
    NormalizedString() = default;
    // The whole input: every byte aligned to the character it belongs to.
    explicit NormalizedString(std::string_view original);

    const std::string& get() const { return normalized_; }
    std::size_t len() const { return normalized_.size(); }
    bool empty() const { return normalized_.empty(); }
    const std::vector<Alignment>& alignments() const { return alignments_; }

    // Byte range of the original input this piece covers (offsets_original in tokenizers).
    std::uint32_t original_start() const { return original_start_; }
    std::uint32_t original_end() const { return original_end_; }

    // Original byte offsets of the normalized byte range [start, end) (convert_offsets).
    std::pair<std::size_t, std::size_t> original_offsets(std::size_t start, std::size_t end) const;

    // Rewrites the whole string from a change stream (see unicode::Change), skipping
    // `initial_offset` leading characters first (NormalizedString::transform).
    void transform(const std::vector<unicode::Change>& changes, std::size_t initial_offset);

    // Specialised forms of transform with the same alignment results.
    void prepend(std::string_view s);
    void lowercase();
    void filter(const std::function<bool(char32_t)>& keep);
    void map(const std::function<char32_t(char32_t)>& f);
    void strip(bool left, bool right);
    void nfd();
    void nfkd();
    void nfc();
    void nfkc();
    // Each character replaced by the characters `expand` appends (all aligned to that character).
    void expand(const std::function<void(char32_t, std::u32string&)>& expand);

    // Replaces every matched range by `content` (NormalizedString::replace).
    void replace(const std::vector<Match>& matches, std::string_view content);

    // The normalized byte range [start, end) as its own NormalizedString (slice).
    NormalizedString slice(std::size_t start, std::size_t end) const;

    // slice(start, end) with every byte b replaced by table[b], all sharing b's alignment: the
    // byte-level mapping of a slice without an intermediate copy.
    NormalizedString slice_bytes_mapped(std::size_t start, std::size_t end, const std::array<std::string, 256>& table) const;

    // Splits on the matched delimiters (NormalizedString::split).
    void split(const std::vector<Match>& matches, SplitBehavior behavior, std::vector<NormalizedString>& out) const;

    // Direct access for components with their own fast paths (byte-level mapping); the caller keeps
    // alignments one per normalized byte.
    // Takes other's text and alignments, keeping this piece's original range (a normalization).
    void replace_content(NormalizedString&& other) {
        normalized_ = std::move(other.normalized_);
        alignments_ = std::move(other.alignments_);
    }
    void assign(std::string normalized, std::vector<Alignment> alignments) {
        normalized_ = std::move(normalized);
        alignments_ = std::move(alignments);
    }

private:
    std::string normalized_;
    std::vector<Alignment> alignments_;  // one per byte of normalized_
    std::uint32_t original_start_ = 0;
    std::uint32_t original_end_ = 0;
};

// Pattern searches, covering the whole text (Pattern::find_matches for chars and predicates).
std::vector<Match> find_char_matches(std::string_view text, const std::function<bool(char32_t)>& predicate);
std::vector<Match> invert(std::vector<Match> matches);

SplitBehavior parse_split_behavior(std::string_view name, const std::string& where);

}  // namespace hubbench::tokenizer
