#include "tokenizer/unicode.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <cstring>
#include <optional>

namespace hubbench::tokenizer::unicode {

void append(std::string& out, char32_t c) {
    if (c < 0x80) {
        out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (c >> 6)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (c >> 12)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (c >> 18)));
        out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
}

std::string encode(char32_t c) {
    std::string s;
    append(s, c);
    return s;
}

std::size_t find_invalid(std::string_view text) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        // Eight ASCII bytes at a time: the common case for English text.
        if (i + 8 <= n) {
            std::uint64_t word;
            std::memcpy(&word, s + i, 8);
            if ((word & 0x8080808080808080ULL) == 0) {
                i += 8;
                continue;
            }
        }
        unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        auto cont = [&](std::size_t k) { return i + k < n && (s[i + k] & 0xC0) == 0x80; };
        if (c >= 0xC2 && c <= 0xDF) {
            if (!cont(1)) return i;
            i += 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            if (!cont(1) || !cont(2)) return i;
            unsigned char c1 = s[i + 1];
            if (c == 0xE0 && c1 < 0xA0) return i;   // overlong
            if (c == 0xED && c1 >= 0xA0) return i;  // surrogate
            i += 3;
        } else if (c >= 0xF0 && c <= 0xF4) {
            if (!cont(1) || !cont(2) || !cont(3)) return i;
            unsigned char c1 = s[i + 1];
            if (c == 0xF0 && c1 < 0x90) return i;   // overlong
            if (c == 0xF4 && c1 >= 0x90) return i;  // above U+10FFFF
            i += 4;
        } else {
            return i;
        }
    }
    return std::string_view::npos;
}

std::string from_utf8_lossy(std::string_view bytes) {
    if (find_invalid(bytes) == std::string_view::npos) return std::string(bytes);
    const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
    const std::size_t n = bytes.size();
    std::string out;
    out.reserve(n + 8);
    std::size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            out.push_back(static_cast<char>(c));
            ++i;
            continue;
        }
        // Expected length and the valid range of the second byte (Unicode Table 3-7).
        int need = 0;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) need = 1;
        else if (c == 0xE0) { need = 2; lo = 0xA0; }
        else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) need = 2;
        else if (c == 0xED) { need = 2; hi = 0x9F; }
        else if (c == 0xF0) { need = 3; lo = 0x90; }
        else if (c >= 0xF1 && c <= 0xF3) need = 3;
        else if (c == 0xF4) { need = 3; hi = 0x8F; }
        std::size_t k = 1;
        bool valid = need > 0;
        for (int j = 0; valid && j < need; ++j, ++k) {
            if (i + k >= n) { valid = false; break; }
            unsigned char b = s[i + k];
            bool ok = j == 0 ? (b >= lo && b <= hi) : (b >= 0x80 && b <= 0xBF);
            if (!ok) { valid = false; break; }
        }
        if (valid) {
            out.append(bytes.substr(i, k));
        } else {
            out.append("\xEF\xBF\xBD");  // U+FFFD for the maximal invalid subpart
        }
        i += k;
    }
    return out;
}

std::u32string to_u32(std::string_view text) {
    std::u32string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        int len = 0;
        out.push_back(decode(text, i, len));
        i += static_cast<std::size_t>(len);
    }
    return out;
}

std::size_t count_chars(std::string_view text) {
    std::size_t n = 0;
    for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

bool is_whitespace(char32_t c) {
    // The White_Space property, as listed in Rust's core::unicode::white_space.
    if (c < 0x80) return c == ' ' || (c >= 0x09 && c <= 0x0D);
    switch (c) {
        case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
            return true;
        default:
            return c >= 0x2000 && c <= 0x200A;
    }
}

static int category(char32_t c) { return utf8proc_category(static_cast<utf8proc_int32_t>(c)); }

bool is_ascii_punctuation(char32_t c) {
    return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) ||
           (c >= 0x7B && c <= 0x7E);
}



bool is_numeric(char32_t c) {
    if (c < 0x80) return c >= '0' && c <= '9';
    int cat = category(c);
    return cat == UTF8PROC_CATEGORY_ND || cat == UTF8PROC_CATEGORY_NL || cat == UTF8PROC_CATEGORY_NO;
}

bool is_combining_mark(char32_t c) {
    if (c < 0x300) return false;
    int cat = category(c);
    return cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC || cat == UTF8PROC_CATEGORY_ME;
}

bool is_word_char(char32_t c) {
    if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (c == 0x200C || c == 0x200D) return true;
    switch (category(c)) {
        case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
        case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
        case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_PC:
            return true;
        default:
            return false;
    }
}

void to_lowercase(char32_t c, std::u32string& out) {
    if (c < 0x80) {
        out.push_back(c >= 'A' && c <= 'Z' ? c + 32 : c);
        return;
    }
    // The one unconditional multi-character lowercase mapping of SpecialCasing.txt.
    if (c == 0x130) {
        out.push_back(U'i');
        out.push_back(0x307);
        return;
    }
    out.push_back(static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c))));
}

namespace {

int combining_class(char32_t c) {
    if (c < 0x300) return 0;
    return utf8proc_get_property(static_cast<utf8proc_int32_t>(c))->combining_class;
}

// Canonical composition of a starter with the next character, if one exists (composition
// exclusions and Hangul included), through utf8proc's composition tables.
std::optional<char32_t> compose_pair(char32_t a, char32_t b) {
    utf8proc_int32_t buffer[2] = {static_cast<utf8proc_int32_t>(a), static_cast<utf8proc_int32_t>(b)};
    auto n = utf8proc_normalize_utf32(buffer, 2, UTF8PROC_COMPOSE);
    if (n == 1) return static_cast<char32_t>(buffer[0]);
    return std::nullopt;
}

struct Pending {
    int ccc;
    char32_t c;
    int change;
};

}  // namespace

// Mirrors unicode-normalization-alignments' Decompositions iterator: every input char is fully
// decomposed (its first part "replaces" it, the others are insertions) and each run of non-starters
// is stably sorted by canonical combining class, the changes travelling with their characters.
void decompose(std::u32string_view input, bool compatible, std::vector<Change>& out) {
    std::vector<Pending> pending;
    auto flush = [&] {
        std::stable_sort(pending.begin(), pending.end(), [](const Pending& x, const Pending& y) { return x.ccc < y.ccc; });
        for (const auto& p : pending) out.emplace_back(p.c, p.change);
        pending.clear();
    };
    auto options = static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | (compatible ? UTF8PROC_COMPAT : 0));
    utf8proc_int32_t parts[32];
    for (char32_t c : input) {
        if (c < 0xA0) {
            flush();
            pending.push_back({0, c, 0});
            continue;
        }
        int last_boundclass = 0;
        auto n = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(c), parts, 32, options, &last_boundclass);
        if (n <= 0 || n > 32) {  // cannot happen for valid code points; keep the char as is
            parts[0] = static_cast<utf8proc_int32_t>(c);
            n = 1;
        }
        for (utf8proc_ssize_t k = 0; k < n; ++k) {
            auto d = static_cast<char32_t>(parts[k]);
            int ccc = combining_class(d);
            if (ccc == 0) flush();
            pending.push_back({ccc, d, k == 0 ? 0 : 1});
        }
    }
    flush();
}

// Mirrors unicode-normalization-alignments' Recompositions iterator over the decomposition: a
// composed character carries the sum of its parts' changes minus one per absorbed character.
void compose(std::u32string_view input, bool compatible, std::vector<Change>& out) {
    std::vector<Change> decomposed;
    decomposed.reserve(input.size() + 8);
    decompose(input, compatible, decomposed);

    std::vector<Change> buffer;
    std::optional<Change> composee;
    int last_ccc = -1;  // -1: none
    for (const auto& [ch, change] : decomposed) {
        int ch_class = combining_class(ch);
        if (!composee) {
            if (ch_class != 0) {
                out.emplace_back(ch, change);
                continue;
            }
            composee = Change{ch, change};
            continue;
        }
        Change k = *composee;
        if (last_ccc < 0) {
            if (auto r = compose_pair(k.first, ch)) {
                composee = Change{*r, k.second + change - 1};
                continue;
            }
            if (ch_class == 0) {
                composee = Change{ch, change};
                out.push_back(k);
                continue;
            }
            buffer.emplace_back(ch, change);
            last_ccc = ch_class;
        } else {
            if (last_ccc >= ch_class) {
                // `ch` is blocked from the composee
                if (ch_class == 0) {
                    composee = Change{ch, change};
                    last_ccc = -1;
                    out.push_back(k);
                    out.insert(out.end(), buffer.begin(), buffer.end());
                    buffer.clear();
                    continue;
                }
                buffer.emplace_back(ch, change);
                last_ccc = ch_class;
                continue;
            }
            if (auto r = compose_pair(k.first, ch)) {
                composee = Change{*r, k.second + change - 1};
                continue;
            }
            buffer.emplace_back(ch, change);
            last_ccc = ch_class;
        }
    }
    if (composee) out.push_back(*composee);
    out.insert(out.end(), buffer.begin(), buffer.end());
}

}  // namespace hubbench::tokenizer::unicode
