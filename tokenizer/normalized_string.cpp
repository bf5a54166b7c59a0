#include "tokenizer/normalized_string.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace hubbench::tokenizer {

namespace {

bool is_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

}  // namespace

NormalizedString::NormalizedString(std::string_view original)
    : normalized_(original), original_start_(0), original_end_(static_cast<std::uint32_t>(original.size())) {
    alignments_.resize(original.size());
    for (std::size_t i = 0; i < original.size();) {
        auto len = static_cast<std::size_t>(unicode::sequence_length(static_cast<unsigned char>(original[i])));
        len = std::min(len, original.size() - i);
        Alignment a{static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(i + len)};
        for (std::size_t k = 0; k < len; ++k) alignments_[i + k] = a;
        i += len;
    }
}

std::pair<std::size_t, std::size_t> NormalizedString::original_offsets(std::size_t start, std::size_t end) const {
    // convert_offsets(Range::Normalized): an empty range maps to itself (relative to this piece's
    // original start), an out-of-range one is left as it is.
    if (start == end) return {original_start_ + start, original_start_ + end};
    if (start > end || end > alignments_.size()) return {start, end};
    return {alignments_[start].start, alignments_[end - 1].end};
}

void NormalizedString::transform(const std::vector<unicode::Change>& changes, std::size_t initial_offset) {
    // Mirrors NormalizedString::transform_range over the whole string: a replacing character takes
    // the alignment of the character it replaces, an inserted one that of the byte before it.
    const std::string& old = normalized_;
    std::size_t offset = 0;
    auto skip_char = [&]() -> std::size_t {
        if (offset >= old.size()) return 0;
        auto len = static_cast<std::size_t>(unicode::sequence_length(static_cast<unsigned char>(old[offset])));
        return std::min(len, old.size() - offset);
    };
    for (std::size_t i = 0; i < initial_offset; ++i) offset += skip_char();

    std::string normalized;
    normalized.reserve(old.size());
    std::vector<Alignment> alignments;
    alignments.reserve(old.size());
    for (const auto& [c, change] : changes) {
        Alignment align;
        if (change > 0) {
            align = offset < 1 ? Alignment{original_start_, original_start_} : alignments_[offset - 1];
        } else {
            if (offset >= alignments_.size()) {
                throw Error(ErrorKind::internal, "tokenizer: normalization change stream longer than its input");
            }
            align = alignments_[offset];
            offset += skip_char();
            for (int k = 0; k < -change; ++k) offset += skip_char();
        }
        std::size_t before = normalized.size();
        unicode::append(normalized, c);
        alignments.insert(alignments.end(), normalized.size() - before, align);
    }
    normalized_ = std::move(normalized);
    alignments_ = std::move(alignments);
}

void NormalizedString::prepend(std::string_view s) {
    // The prepended characters replace/precede the first character and share its alignment.
    if (normalized_.empty() || s.empty()) return;
    Alignment first = alignments_.front();
    normalized_.insert(0, s);
    alignments_.insert(alignments_.begin(), s.size(), first);
}


void NormalizedString::lowercase() {
    if (is_ascii(normalized_)) {
        for (char& c : normalized_) {
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
        }
        return;
    }
    expand([](char32_t c, std::u32string& out) { unicode::to_lowercase(c, out); });
}



void NormalizedString::strip(bool left, bool right) {
    // lrstrip: leading/trailing whitespace removed, the rest keeps its alignments.
    std::size_t begin = 0;
    std::size_t end = normalized_.size();
    if (left) {
        while (begin < end) {
            int len = 0;
            char32_t c = unicode::decode(normalized_, begin, len);
            if (!unicode::is_whitespace(c)) break;
            begin += static_cast<std::size_t>(len);
        }
    }
    if (right) {
        while (end > begin) {
            std::size_t start = end - 1;
            while (start > begin && (static_cast<unsigned char>(normalized_[start]) & 0xC0) == 0x80) --start;
            int len = 0;
            char32_t c = unicode::decode(normalized_, start, len);
            if (!unicode::is_whitespace(c)) break;
            end = start;
        }
    }
    if (begin == 0 && end == normalized_.size()) return;
    normalized_ = normalized_.substr(begin, end - begin);
    alignments_ = std::vector<Alignment>(alignments_.begin() + static_cast<std::ptrdiff_t>(begin),
                                         alignments_.begin() + static_cast<std::ptrdiff_t>(end));
}

void NormalizedString::nfd() {
    if (is_ascii(normalized_)) return;
    std::vector<unicode::Change> changes;
    unicode::decompose(unicode::to_u32(normalized_), false, changes);
    transform(changes, 0);
}

void NormalizedString::nfkd() {
    if (is_ascii(normalized_)) return;
    std::vector<unicode::Change> changes;
    unicode::decompose(unicode::to_u32(normalized_), true, changes);
    transform(changes, 0);
}

void NormalizedString::nfc() {
    if (is_ascii(normalized_)) return;
    std::vector<unicode::Change> changes;
    unicode::compose(unicode::to_u32(normalized_), false, changes);
    transform(changes, 0);
}

void NormalizedString::nfkc() {
    if (is_ascii(normalized_)) return;
    std::vector<unicode::Change> changes;
    unicode::compose(unicode::to_u32(normalized_), true, changes);
    transform(changes, 0);
}

void NormalizedString::replace(const std::vector<Match>& matches, std::string_view content) {
    // NormalizedString::replace: the content is inserted after removing the match, so every
    // inserted byte takes the alignment of the match's last byte.
    std::string normalized;
    normalized.reserve(normalized_.size());
    std::vector<Alignment> alignments;
    alignments.reserve(alignments_.size());
    std::size_t last_end = 0;
    for (const auto& m : matches) {
        if (!m.is_match) continue;
        normalized.append(normalized_, last_end, m.start - last_end);
        alignments.insert(alignments.end(), alignments_.begin() + static_cast<std::ptrdiff_t>(last_end),
                          alignments_.begin() + static_cast<std::ptrdiff_t>(m.start));
        Alignment align = m.end < 1 ? Alignment{original_start_, original_start_} : alignments_[m.end - 1];
        normalized.append(content);
        alignments.insert(alignments.end(), content.size(), align);
        last_end = m.end;
    }
    normalized.append(normalized_, last_end, std::string::npos);
    alignments.insert(alignments.end(), alignments_.begin() + static_cast<std::ptrdiff_t>(last_end), alignments_.end());
    normalized_ = std::move(normalized);
    alignments_ = std::move(alignments);
}

NormalizedString NormalizedString::slice(std::size_t start, std::size_t end) const {
    NormalizedString out;
    end = std::min(end, normalized_.size());
    start = std::min(start, end);
    if (start == end) {
        // An empty normalized range maps to itself (convert_offsets), relative to this piece.
        out.original_start_ = original_start_ + static_cast<std::uint32_t>(start);
        out.original_end_ = out.original_start_;
        return out;
    }
    out.normalized_.assign(normalized_, start, end - start);
    out.alignments_.assign(alignments_.begin() + static_cast<std::ptrdiff_t>(start),
                           alignments_.begin() + static_cast<std::ptrdiff_t>(end));
    out.original_start_ = alignments_[start].start;
    out.original_end_ = std::max(alignments_[end - 1].end, out.original_start_);
    return out;
}

NormalizedString NormalizedString::slice_bytes_mapped(std::size_t start, std::size_t end,
                                                     const std::array<std::string, 256>& table) const {
    end = std::min(end, normalized_.size());
    start = std::min(start, end);
    if (start == end) return slice(start, end);
    NormalizedString out;
    std::size_t size = 0;
    for (std::size_t i = start; i < end; ++i) size += table[static_cast<unsigned char>(normalized_[i])].size();
    out.normalized_.resize(size);
    out.alignments_.resize(size);
    std::size_t k = 0;
    for (std::size_t i = start; i < end; ++i) {
        const std::string& c = table[static_cast<unsigned char>(normalized_[i])];
        for (char ch : c) {
            out.normalized_[k] = ch;
            out.alignments_[k] = alignments_[i];
            ++k;
        }
    }
    out.original_start_ = alignments_[start].start;
    out.original_end_ = std::max(alignments_[end - 1].end, out.original_start_);
    return out;
}

bool NormalizedString::whole_slice_is_identity() const {
    return !normalized_.empty() && alignments_.front().start == original_start_ &&
           std::max(alignments_.back().end, original_start_) == original_end_;
}

NormalizedString NormalizedString::take_whole() && {
    if (whole_slice_is_identity()) return std::move(*this);
    return slice(0, len());
}

void NormalizedString::split_into(const std::vector<Match>& matches, SplitBehavior behavior,
                                  std::vector<NormalizedString>& out) && {
    // Nothing to split off: one piece covering everything, kept.
    bool single = matches.size() == 1 && matches[0].start == 0 && matches[0].end == normalized_.size();
    if (single && !(behavior == SplitBehavior::removed && matches[0].is_match)) {
        out.push_back(std::move(*this).take_whole());
        return;
    }
    split(matches, behavior, out);
}

void NormalizedString::split(const std::vector<Match>& matches, SplitBehavior behavior,
                             std::vector<NormalizedString>& out) const {
    // The fold of NormalizedString::split: (start, end, remove) for every piece.
    struct Piece {
        std::size_t start, end;
        bool remove;
    };
    std::vector<Piece> pieces;
    pieces.reserve(matches.size());
    switch (behavior) {
        case SplitBehavior::isolated:
            for (const auto& m : matches) pieces.push_back({m.start, m.end, false});
            break;
        case SplitBehavior::removed:
            for (const auto& m : matches) pieces.push_back({m.start, m.end, m.is_match});
            break;
        case SplitBehavior::contiguous: {
            bool previous_match = false;
            for (const auto& m : matches) {
                if (m.is_match == previous_match && !pieces.empty()) {
                    pieces.back().end = m.end;
                } else {
                    pieces.push_back({m.start, m.end, false});
                }
                previous_match = m.is_match;
            }
            break;
        }
        case SplitBehavior::merged_with_previous: {
            bool previous_match = false;
            for (const auto& m : matches) {
                if (m.is_match && !previous_match && !pieces.empty()) {
                    pieces.back().end = m.end;
                } else {
                    pieces.push_back({m.start, m.end, false});
                }
                previous_match = m.is_match;
            }
            break;
        }
        case SplitBehavior::merged_with_next: {
            bool previous_match = false;
            for (auto it = matches.rbegin(); it != matches.rend(); ++it) {
                if (it->is_match && !previous_match && !pieces.empty()) {
                    pieces.back().start = it->start;
                } else {
                    pieces.push_back({it->start, it->end, false});
                }
                previous_match = it->is_match;
            }
            std::reverse(pieces.begin(), pieces.end());
            break;
        }
    }
    for (const auto& p : pieces) {
        if (!p.remove) out.push_back(slice(p.start, p.end));
    }
}


std::vector<Match> invert(std::vector<Match> matches) {
    for (auto& m : matches) m.is_match = !m.is_match;
    return matches;
}

SplitBehavior parse_split_behavior(std::string_view name, const std::string& where) {
    if (name == "Removed") return SplitBehavior::removed;
    if (name == "Isolated") return SplitBehavior::isolated;
    if (name == "MergedWithPrevious") return SplitBehavior::merged_with_previous;
    if (name == "MergedWithNext") return SplitBehavior::merged_with_next;
    if (name == "Contiguous") return SplitBehavior::contiguous;
    throw Error(ErrorKind::invalid_input, where + ": unknown split behavior '" + std::string(name) + "'");
}

}  // namespace hubbench::tokenizer
