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
    // A kept character keeps its alignment; removed ones vanish (NormalizedString::filter).
    template <typename Keep>
    void filter(Keep&& keep);
    // Each character replaced by f(c), same alignment (NormalizedString::map).
    template <typename F>
    void map(F&& f);
    void strip(bool left, bool right);
    void nfd();
    void nfkd();
    void nfc();
    void nfkc();
    // Each character replaced by the characters `expand_char(c, out)` appends, all aligned to it.
    template <typename F>
    void expand(F&& expand_char);

    // Replaces every matched range by `content` (NormalizedString::replace).
    void replace(const std::vector<Match>& matches, std::string_view content);

    // The normalized byte range [start, end) as its own NormalizedString (slice).
    NormalizedString slice(std::size_t start, std::size_t end) const;

    // slice(start, end) with every byte b replaced by table[b], all sharing b's alignment: the
    // byte-level mapping of a slice without an intermediate copy.
    NormalizedString slice_bytes_mapped(std::size_t start, std::size_t end, const std::array<std::string, 256>& table) const;

    // Splits on the matched delimiters (NormalizedString::split).
    void split(const std::vector<Match>& matches, SplitBehavior behavior, std::vector<NormalizedString>& out) const;
    // The same, consuming this piece: when the split keeps it whole it is moved, not copied.
    void split_into(const std::vector<Match>& matches, SplitBehavior behavior, std::vector<NormalizedString>& out) &&;

    // slice(0, len()), moving this piece when that changes nothing.
    NormalizedString take_whole() &&;

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
    // True when slice(0, len()) would equal this piece (same original range).
    bool whole_slice_is_identity() const;

    std::string normalized_;
    std::vector<Alignment> alignments_;  // one per byte of normalized_
    std::uint32_t original_start_ = 0;
    std::uint32_t original_end_ = 0;
};

// Pattern searches, covering the whole text (Pattern::find_matches for chars and predicates).
template <typename Predicate>
std::vector<Match> find_char_matches(std::string_view text, Predicate&& predicate);
std::vector<Match> invert(std::vector<Match> matches);

SplitBehavior parse_split_behavior(std::string_view name, const std::string& where);

// ---- template definitions

template <typename Keep>
void NormalizedString::filter(Keep&& keep) {
    std::size_t i = 0;
    // The leading run of kept characters needs no copy.
    while (i < normalized_.size()) {
        int len = 0;
        char32_t c = unicode::decode(normalized_, i, len);
        if (!keep(c)) break;
        i += static_cast<std::size_t>(len);
    }
    if (i == normalized_.size()) return;
    std::size_t w = i;
    while (i < normalized_.size()) {
        int len = 0;
        char32_t c = unicode::decode(normalized_, i, len);
        if (keep(c)) {
            for (int k = 0; k < len; ++k) {
                normalized_[w] = normalized_[i + static_cast<std::size_t>(k)];
                alignments_[w] = alignments_[i + static_cast<std::size_t>(k)];
                ++w;
            }
        }
        i += static_cast<std::size_t>(len);
    }
    normalized_.resize(w);
    alignments_.resize(w);
}

template <typename F>
void NormalizedString::expand(F&& expand_char) {
    std::string normalized;
    normalized.reserve(normalized_.size() + 16);
    std::vector<Alignment> alignments;
    alignments.reserve(alignments_.size() + 16);
    std::u32string parts;
    for (std::size_t i = 0; i < normalized_.size();) {
        int len = 0;
        char32_t c = unicode::decode(normalized_, i, len);
        parts.clear();
        expand_char(c, parts);
        if (parts.size() == 1 && parts[0] == c) {
            normalized.append(normalized_, i, static_cast<std::size_t>(len));
            alignments.insert(alignments.end(), static_cast<std::size_t>(len), alignments_[i]);
        } else {
            std::size_t before = normalized.size();
            for (char32_t p : parts) unicode::append(normalized, p);
            alignments.insert(alignments.end(), normalized.size() - before, alignments_[i]);
        }
        i += static_cast<std::size_t>(len);
    }
    normalized_ = std::move(normalized);
    alignments_ = std::move(alignments);
}

template <typename F>
void NormalizedString::map(F&& f) {
    // In place while every character keeps its UTF-8 length (the usual case); from the first one
    // that does not, the rest is rebuilt.
    for (std::size_t i = 0; i < normalized_.size();) {
        int len = 0;
        char32_t c = unicode::decode(normalized_, i, len);
        char32_t m = f(c);
        if (m != c) {
            if (unicode::encoded_length(m) != len) {
                std::string normalized = normalized_.substr(0, i);
                std::vector<Alignment> alignments(alignments_.begin(), alignments_.begin() + static_cast<std::ptrdiff_t>(i));
                for (std::size_t k = i; k < normalized_.size();) {
                    int n = 0;
                    char32_t x = unicode::decode(normalized_, k, n);
                    std::size_t before = normalized.size();
                    unicode::append(normalized, f(x));
                    alignments.insert(alignments.end(), normalized.size() - before, alignments_[k]);
                    k += static_cast<std::size_t>(n);
                }
                normalized_ = std::move(normalized);
                alignments_ = std::move(alignments);
                return;
            }
            std::string bytes = unicode::encode(m);
            normalized_.replace(i, bytes.size(), bytes);
        }
        i += static_cast<std::size_t>(len);
    }
}

template <typename Predicate>
std::vector<Match> find_char_matches(std::string_view text, Predicate&& predicate) {
    // Pattern for Fn(char) -> bool: every matching char is its own match.
    std::vector<Match> matches;
    if (text.empty()) {
        matches.push_back({0, 0, false});
        return matches;
    }
    std::size_t last_offset = 0;
    std::size_t last_seen = 0;
    for (std::size_t i = 0; i < text.size();) {
        int len = 0;
        char32_t c = unicode::decode(text, i, len);
        std::size_t next = i + static_cast<std::size_t>(len);
        last_seen = next;
        if (predicate(c)) {
            if (last_offset < i) matches.push_back({last_offset, i, false});
            matches.push_back({i, next, true});
            last_offset = next;
        }
        i = next;
    }
    if (last_seen > last_offset) matches.push_back({last_offset, last_seen, false});
    return matches;
}

}  // namespace hubbench::tokenizer
