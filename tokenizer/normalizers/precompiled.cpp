// Precompiled: SentencePiece's compiled normalization map (a double-array trie of UTF-8 keys and a
// blob of NUL-terminated replacements), applied grapheme by grapheme as
// tokenizers/src/normalizers/precompiled.rs does with the spm_precompiled crate.
#include <utf8proc.h>

#include <optional>

#include "tokenizer/json_util.hpp"
#include "tokenizer/normalizers/normalizer.hpp"

namespace hubbench::tokenizer {

namespace {

std::optional<std::string> base64_decode(std::string_view text) {
    auto value = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+') return 62;
        if (c == '/') return 63;
        return -1;
    };
    if (text.size() % 4 != 0) return std::nullopt;
    std::string out;
    out.reserve(text.size() / 4 * 3);
    for (std::size_t i = 0; i < text.size(); i += 4) {
        int v[4];
        int padding = 0;
        for (int k = 0; k < 4; ++k) {
            char c = text[i + static_cast<std::size_t>(k)];
            if (c == '=' && i + 4 == text.size() && k >= 2) {
                v[k] = 0;
                ++padding;
            } else {
                if (padding > 0) return std::nullopt;  // data after padding
                v[k] = value(c);
                if (v[k] < 0) return std::nullopt;
            }
        }
        std::uint32_t n = (static_cast<std::uint32_t>(v[0]) << 18) | (static_cast<std::uint32_t>(v[1]) << 12) |
                          (static_cast<std::uint32_t>(v[2]) << 6) | static_cast<std::uint32_t>(v[3]);
        out.push_back(static_cast<char>((n >> 16) & 0xFF));
        if (padding < 2) out.push_back(static_cast<char>((n >> 8) & 0xFF));
        if (padding < 1) out.push_back(static_cast<char>(n & 0xFF));
    }
    return out;
}

// spm_precompiled's DoubleArray (darts-clone units).
class DoubleArray {
public:
    explicit DoubleArray(std::vector<std::uint32_t> units) : units_(std::move(units)) {}

    // Values of the keys that are prefixes of `key`, shortest first (stops at a NUL byte).
    std::vector<std::uint32_t> common_prefix_search(std::string_view key) const {
        std::vector<std::uint32_t> results;
        if (units_.empty()) return results;
        std::size_t node = offset(units_[0]);
        for (char ch : key) {
            auto c = static_cast<unsigned char>(ch);
            if (c == 0) break;
            node ^= c;
            if (node >= units_.size()) return results;
            std::uint32_t unit = units_[node];
            if (label(unit) != c) return results;
            node ^= offset(unit);
            if (has_leaf(unit)) {
                if (node >= units_.size()) return results;
                results.push_back(units_[node] & ((1u << 31) - 1));
            }
        }
        return results;
    }

private:
    static bool has_leaf(std::uint32_t unit) { return ((unit >> 8) & 1) == 1; }
    static std::uint32_t label(std::uint32_t unit) { return unit & ((1u << 31) | 0xFF); }
    static std::size_t offset(std::uint32_t unit) {
        return static_cast<std::size_t>(unit >> 10) << ((unit & (1u << 9)) >> 6);
    }
    std::vector<std::uint32_t> units_;
};

// precompiled.rs replace(): the new part's characters replace the old part's; extra ones are
// insertions, missing ones are removed after the last character pushed so far.
void replace(std::vector<unicode::Change>& changes, std::string_view old_part, std::string_view new_part) {
    auto old_count = static_cast<long>(unicode::count_chars(old_part));
    auto new_count = static_cast<long>(unicode::count_chars(new_part));
    long diff = new_count - old_count;
    for (std::size_t i = 0; i < new_part.size();) {
        int len = 0;
        changes.emplace_back(unicode::decode(new_part, i, len), 0);
        i += static_cast<std::size_t>(len);
    }
    if (diff > 0) {
        for (long k = 0; k < diff && k < static_cast<long>(changes.size()); ++k) changes[changes.size() - 1 - static_cast<std::size_t>(k)].second = 1;
    } else if (diff < 0 && !changes.empty()) {
        changes.back().second += static_cast<int>(diff);
    }
}

class Precompiled final : public Normalizer {
public:
    Precompiled(DoubleArray trie, std::string normalized) : trie_(std::move(trie)), normalized_(std::move(normalized)) {}

    void normalize(NormalizedString& s) const override {
        const std::string& text = s.get();
        std::vector<unicode::Change> changes;
        changes.reserve(text.size());
        bool modified = false;
        for_each_grapheme(text, [&](std::string_view grapheme) {
            if (grapheme.size() < 6) {
                if (auto norm = transform(grapheme)) {
                    modified = true;
                    replace(changes, grapheme, *norm);
                    return;
                }
            }
            for (std::size_t i = 0; i < grapheme.size();) {
                int len = 0;
                char32_t c = unicode::decode(grapheme, i, len);
                std::string_view part = grapheme.substr(i, static_cast<std::size_t>(len));
                if (auto norm = transform(part)) {
                    modified = true;
                    replace(changes, part, *norm);
                } else {
                    changes.emplace_back(c, 0);
                }
                i += static_cast<std::size_t>(len);
            }
        });
        if (modified) s.transform(changes, 0);
    }

private:
    // The replacement of the shortest key that is a prefix of `chunk` (Precompiled::transform).
    std::optional<std::string_view> transform(std::string_view chunk) const {
        auto results = trie_.common_prefix_search(chunk);
        if (results.empty()) return std::nullopt;
        std::size_t index = results[0];
        if (index > normalized_.size()) return std::nullopt;
        std::size_t end = normalized_.find('\0', index);
        if (end == std::string::npos) end = normalized_.size();
        std::string_view out(normalized_.data() + index, end - index);
        if (unicode::find_invalid(out) != std::string_view::npos) return std::nullopt;  // not on a character boundary
        return out;
    }

    // Extended grapheme clusters (UAX #29), as unicode-segmentation's graphemes(true).
    template <typename F>
    static void for_each_grapheme(const std::string& text, F&& f) {
        std::size_t start = 0;
        utf8proc_int32_t state = 0;
        utf8proc_int32_t previous = -1;
        for (std::size_t i = 0; i < text.size();) {
            int len = 0;
            auto c = static_cast<utf8proc_int32_t>(unicode::decode(text, i, len));
            if (previous >= 0 && utf8proc_grapheme_break_stateful(previous, c, &state)) {
                f(std::string_view(text).substr(start, i - start));
                start = i;
            }
            previous = c;
            i += static_cast<std::size_t>(len);
        }
        if (start < text.size()) f(std::string_view(text).substr(start));
    }

    DoubleArray trie_;
    std::string normalized_;
};

}  // namespace

NormalizerPtr make_precompiled_normalizer(const nlohmann::json& config, const std::string& where) {
    std::string encoded = json_util::get_string(config, "precompiled_charsmap", where);
    auto bytes = base64_decode(encoded);
    if (!bytes) json_util::fail(where, "precompiled_charsmap is not valid base64");
    // u32 trie size in bytes, the trie units, then the NUL-separated replacements.
    auto u32_at = [&](std::size_t pos) {
        return static_cast<std::uint32_t>(static_cast<unsigned char>((*bytes)[pos])) |
               (static_cast<std::uint32_t>(static_cast<unsigned char>((*bytes)[pos + 1])) << 8) |
               (static_cast<std::uint32_t>(static_cast<unsigned char>((*bytes)[pos + 2])) << 16) |
               (static_cast<std::uint32_t>(static_cast<unsigned char>((*bytes)[pos + 3])) << 24);
    };
    if (bytes->size() < 4) json_util::fail(where, "cannot parse precompiled_charsmap");
    std::size_t units = u32_at(0) / 4;
    if (4 + units * 4 > bytes->size()) json_util::fail(where, "cannot parse precompiled_charsmap");
    std::vector<std::uint32_t> trie(units);
    for (std::size_t i = 0; i < units; ++i) trie[i] = u32_at(4 + i * 4);
    std::string normalized = bytes->substr(4 + units * 4);
    if (unicode::find_invalid(normalized) != std::string::npos) {
        json_util::fail(where, "precompiled_charsmap replacements are not valid UTF-8");
    }
    return std::make_unique<Precompiled>(DoubleArray(std::move(trie)), std::move(normalized));
}

}  // namespace hubbench::tokenizer
