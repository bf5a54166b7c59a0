// Python's str semantics over UTF-8 text (see python_text.hpp), from utf8proc's tables.
#include "tokenizer/chat_template/python_text.hpp"

#include <utf8proc.h>

#include <charconv>
#include <cmath>

#include "tokenizer/unicode.hpp"

namespace hubbench::tokenizer::jinja {

namespace uni = unicode;

namespace {

int category(char32_t c) { return utf8proc_category(static_cast<utf8proc_int32_t>(c)); }
char32_t to_title(char32_t c) { return static_cast<char32_t>(utf8proc_totitle(static_cast<utf8proc_int32_t>(c))); }
bool is_upper_cat(char32_t c) { return category(c) == UTF8PROC_CATEGORY_LU || category(c) == UTF8PROC_CATEGORY_LT; }
bool is_lower_cat(char32_t c) { return category(c) == UTF8PROC_CATEGORY_LL; }
bool is_cased(char32_t c) { return is_upper_cat(c) || is_lower_cat(c); }

// str.isprintable(): what repr() leaves unescaped.
bool py_isprintable(char32_t c) {
    if (c == ' ') return true;
    switch (category(c)) {
        case UTF8PROC_CATEGORY_CC: case UTF8PROC_CATEGORY_CF: case UTF8PROC_CATEGORY_CS: case UTF8PROC_CATEGORY_CO:
        case UTF8PROC_CATEGORY_CN: case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP: case UTF8PROC_CATEGORY_ZS:
            return false;
        default:
            return true;
    }
}

}  // namespace

// str.isspace() and the \s of Python's re on str: bidirectional class WS, B or S, or category Zs.
bool py_isspace(char32_t c) {
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

char32_t to_upper(char32_t c) { return static_cast<char32_t>(utf8proc_toupper(static_cast<utf8proc_int32_t>(c))); }
char32_t to_lower(char32_t c) { return static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c))); }
bool is_alpha(char32_t c) {
    const int k = category(c);
    return k == UTF8PROC_CATEGORY_LU || k == UTF8PROC_CATEGORY_LL || k == UTF8PROC_CATEGORY_LT ||
           k == UTF8PROC_CATEGORY_LM || k == UTF8PROC_CATEGORY_LO;
}
bool is_digit(char32_t c) { return category(c) == UTF8PROC_CATEGORY_ND; }

std::u32string u32(std::string_view s) { return uni::to_u32(s); }
std::string utf8(std::u32string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char32_t c : s) uni::append(out, c);
    return out;
}

std::string hex(std::uint32_t value, int digits) {
    static const char* const d = "0123456789abcdef";
    std::string out(static_cast<std::size_t>(digits), '0');
    for (int i = digits - 1; i >= 0; --i, value >>= 4) out[static_cast<std::size_t>(i)] = d[value & 0xF];
    return out;
}

// repr(str): single quotes unless the text has ' and no ", escapes as CPython's unicode_repr.
std::string py_repr_str(std::string_view s) {
    const bool has_single = s.find('\'') != std::string_view::npos;
    const bool has_double = s.find('"') != std::string_view::npos;
    const char quote = (has_single && !has_double) ? '"' : '\'';
    std::string out(1, quote);
    for (char32_t c : u32(s)) {
        if (c == static_cast<char32_t>(quote) || c == '\\') {
            out.push_back('\\');
            out.push_back(static_cast<char>(c));
        } else if (c == '\t') {
            out += "\\t";
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c < 0x20 || c == 0x7F) {
            out += "\\x" + hex(c, 2);
        } else if (c < 0x7F || py_isprintable(c)) {
            uni::append(out, c);
        } else if (c <= 0xFF) {
            out += "\\x" + hex(c, 2);
        } else if (c <= 0xFFFF) {
            out += "\\u" + hex(c, 4);
        } else {
            out += "\\U" + hex(c, 8);
        }
    }
    out.push_back(quote);
    return out;
}

// repr(float) (CPython's float_repr_style 'short'): the shortest digits that round-trip, in
// positional notation when the decimal exponent is in [-4, 16), else d.ddde+XX.
std::string py_repr_float(double x) {
    if (std::isnan(x)) return "nan";
    if (std::isinf(x)) return x < 0 ? "-inf" : "inf";
    if (x == 0) return std::signbit(x) ? "-0.0" : "0.0";
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
    std::string_view sci(buf, static_cast<std::size_t>(res.ptr - buf));
    std::string sign;
    if (sci.front() == '-') {
        sign = "-";
        sci.remove_prefix(1);
    }
    const std::size_t e = sci.find('e');
    std::string digits;
    for (char c : sci.substr(0, e)) {
        if (c != '.') digits.push_back(c);
    }
    int exponent = 0;
    std::from_chars(sci.data() + e + 1 + (sci[e + 1] == '+' ? 1 : 0), sci.data() + sci.size(), exponent);
    while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
    const int decpt = exponent + 1;  // value = 0.digits * 10^decpt
    const int n = static_cast<int>(digits.size());
    if (decpt <= -4 || decpt > 16) {
        std::string out = sign + digits.substr(0, 1);
        if (n > 1) out += "." + digits.substr(1);
        out += exponent < 0 ? "e-" : "e+";
        const std::string ex = std::to_string(std::abs(exponent));
        out += (ex.size() < 2 ? "0" : "") + ex;
        return out;
    }
    if (decpt <= 0) return sign + "0." + std::string(static_cast<std::size_t>(-decpt), '0') + digits;
    if (decpt >= n) return sign + digits + std::string(static_cast<std::size_t>(decpt - n), '0') + ".0";
    return sign + digits.substr(0, static_cast<std::size_t>(decpt)) + "." + digits.substr(static_cast<std::size_t>(decpt));
}

std::string py_upper(std::string_view s) {
    std::string out;
    for (char32_t c : u32(s)) uni::append(out, to_upper(c));
    return out;
}
std::string py_lower(std::string_view s) {
    std::string out;
    for (char32_t c : u32(s)) uni::append(out, to_lower(c));
    return out;
}
// str.title(): title-case after an uncased character, lower-case after a cased one.
std::string py_title(std::string_view s) {
    std::string out;
    bool previous_cased = false;
    for (char32_t c : u32(s)) {
        uni::append(out, previous_cased ? to_lower(c) : to_title(c));
        previous_cased = is_cased(c);
    }
    return out;
}
// str.capitalize() (Python >= 3.8): the first character title-cased, the rest lower-cased.
std::string py_capitalize(std::string_view s) {
    std::string out;
    bool first = true;
    for (char32_t c : u32(s)) {
        uni::append(out, first ? to_title(c) : to_lower(c));
        first = false;
    }
    return out;
}

std::string py_strip(std::string_view s, const std::u32string* chars, bool left, bool right) {
    const std::u32string u = u32(s);
    auto strip = [&](char32_t c) { return chars ? chars->find(c) != std::u32string::npos : py_isspace(c); };
    std::size_t b = 0, e = u.size();
    if (left) {
        while (b < e && strip(u[b])) ++b;
    }
    if (right) {
        while (e > b && strip(u[e - 1])) --e;
    }
    return utf8(std::u32string_view(u).substr(b, e - b));
}

// str.replace(old, new, count): an empty `old` inserts `new` around every character.
std::string py_replace(std::string_view s, std::string_view old, std::string_view replacement, std::int64_t count) {
    std::string out;
    if (old.empty()) {
        const std::u32string u = u32(s);
        std::int64_t done = 0;
        for (char32_t c : u) {
            if (count < 0 || done < count) {
                out += replacement;
                ++done;
            }
            uni::append(out, c);
        }
        if (count < 0 || done < count) out += replacement;
        return out;
    }
    std::size_t pos = 0;
    std::int64_t done = 0;
    while (count < 0 || done < count) {
        const std::size_t hit = s.find(old, pos);
        if (hit == std::string_view::npos) break;
        out.append(s.substr(pos, hit - pos));
        out.append(replacement);
        pos = hit + old.size();
        ++done;
    }
    out.append(s.substr(pos));
    return out;
}

// str.islower() / str.isupper(): some cased character, and none of the other case.
bool py_islower(std::string_view s) {
    bool cased = false;
    for (char32_t c : u32(s)) {
        if (is_upper_cat(c)) return false;
        cased = cased || is_lower_cat(c);
    }
    return cased;
}
bool py_isupper(std::string_view s) {
    bool cased = false;
    for (char32_t c : u32(s)) {
        if (is_lower_cat(c) || category(c) == UTF8PROC_CATEGORY_LT) return false;
        cased = cased || category(c) == UTF8PROC_CATEGORY_LU;
    }
    return cased;
}

// str.splitlines(): the line boundaries are \n, \r, \r\n, \v, \f, \x1c-\x1e, \x85, U+2028, U+2029.
std::vector<std::string> py_splitlines(std::string_view s, bool keepends) {
    std::vector<std::string> lines;
    const std::u32string u = u32(s);
    std::size_t start = 0;
    for (std::size_t i = 0; i < u.size(); ++i) {
        const char32_t c = u[i];
        const bool brk = c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || c == 0x1C || c == 0x1D || c == 0x1E ||
                         c == 0x85 || c == 0x2028 || c == 0x2029;
        if (!brk) continue;
        std::size_t end = i + 1;
        if (c == '\r' && end < u.size() && u[end] == '\n') end = i + 2;
        lines.push_back(utf8(std::u32string_view(u).substr(start, (keepends ? end : i) - start)));
        start = end;
        i = end - 1;
    }
    if (start < u.size()) lines.push_back(utf8(std::u32string_view(u).substr(start)));
    return lines;
}

std::optional<double> parse_py_float(std::string_view text) {
    std::string t = py_strip(text, nullptr, true, true);
    std::string lower = py_lower(t);
    std::string body = lower;
    bool negative = false;
    if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
        negative = body[0] == '-';
        body.erase(0, 1);
    }
    if (body == "inf" || body == "infinity") return negative ? -INFINITY : INFINITY;
    if (body == "nan") return NAN;
    std::string clean;
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i] == '_') {
            if (i == 0 || i + 1 >= t.size() || !is_ascii_digit(t[i - 1]) || !is_ascii_digit(t[i + 1])) return std::nullopt;
            continue;
        }
        clean.push_back(t[i]);
    }
    if (clean.empty()) return std::nullopt;
    std::size_t start = clean[0] == '+' ? 1 : 0;
    double d = 0;
    auto res = std::from_chars(clean.data() + start, clean.data() + clean.size(), d);
    if (res.ec != std::errc() || res.ptr != clean.data() + clean.size()) return std::nullopt;
    return d;
}

std::optional<std::int64_t> parse_py_int(std::string_view text, int base) {
    std::string t = py_strip(text, nullptr, true, true);
    bool negative = false;
    std::size_t i = 0;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) negative = t[i++] == '-';
    if (t.size() > i + 1 && t[i] == '0') {
        const char p = static_cast<char>(t[i + 1] | 0x20);
        const int prefixed = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 0;
        if (prefixed && (base == 0 || base == prefixed)) {
            base = prefixed;
            i += 2;
            if (i < t.size() && t[i] == '_') ++i;
        }
    }
    if (base == 0) base = 10;
    std::string digits;
    for (std::size_t k = i; k < t.size(); ++k) {
        if (t[k] == '_' && k > i && k + 1 < t.size() && t[k + 1] != '_') continue;
        digits.push_back(t[k]);
    }
    if (digits.empty()) return std::nullopt;
    std::int64_t v = 0;
    auto res = std::from_chars(digits.data(), digits.data() + digits.size(), v, base);
    if (res.ec != std::errc() || res.ptr != digits.data() + digits.size()) return std::nullopt;
    return negative ? -v : v;
}

}  // namespace hubbench::tokenizer::jinja
