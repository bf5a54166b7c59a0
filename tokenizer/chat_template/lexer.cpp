// The chat-template lexer (see lexer.hpp). Text between tags becomes data tokens, already trimmed
// as whitespace control and lstrip_blocks ask; inside {{ }} and {% %} come names, literals and
// operators, with brackets balanced so that a '}}' inside a dict literal does not end the tag.
#include "tokenizer/chat_template/lexer.hpp"

#include <charconv>
#include <string_view>

#include "tokenizer/chat_template/python_text.hpp"
#include "tokenizer/unicode.hpp"

namespace hubbench::tokenizer::jinja {

namespace uni = unicode;

std::string describe(const Token& t) {
    switch (t.type) {
        case Tok::data: return "template text";
        case Tok::var_begin: return "'{{'";
        case Tok::var_end: return "'}}'";
        case Tok::block_begin: return "'{%'";
        case Tok::block_end: return "'%}'";
        case Tok::string: return "a string";
        case Tok::integer:
        case Tok::floating: return "a number";
        case Tok::eof: return "the end of the template";
        default: return "'" + t.text + "'";
    }
}

namespace {

bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

class Lexer {
public:
    explicit Lexer(const std::string& source) : s_(source) {}

    std::vector<Token> run() {
        const std::size_t n = s_.size();
        while (pos_ < n) {
            const std::size_t k = find_opener(pos_);
            if (k == std::string::npos) {
                emit_data(std::string_view(s_).substr(pos_), pos_);
                break;
            }
            const char kind = s_[k + 1];
            std::size_t after = k + 2;
            char sign = 0;
            if (after < n && (s_[after] == '-' || s_[after] == '+')) sign = s_[after++];
            std::size_t raw_end = 0;
            const bool raw = kind == '%' && raw_begin(after, raw_end);
            // OptionalLStrip: "-" strips all whitespace before the tag; otherwise lstrip_blocks
            // strips the spaces before a block or comment tag that starts its line.
            std::string_view text = std::string_view(s_).substr(pos_, k - pos_);
            if (sign == '-') text = rstrip(text);
            else if (sign != '+' && kind != '{') text = lstrip_block(text);
            emit_data(text, pos_);
            if (raw) {
                pos_ = raw_end;
                lex_raw(k);
            } else if (kind == '#') {
                lex_comment(k, after);
            } else {
                out_.push_back(Token{kind == '{' ? Tok::var_begin : Tok::block_begin, "", k});
                pos_ = after;
                lex_tag(kind == '{', k);
            }
        }
        out_.push_back(Token{Tok::eof, "", n});
        return std::move(out_);
    }

private:
    const std::string& s_;
    std::size_t pos_ = 0;
    bool line_starting_ = true;  // the last token ended with a newline (or nothing came yet)
    std::vector<Token> out_;

    bool starts(std::size_t p, std::string_view what) const { return s_.compare(p, what.size(), what) == 0; }

    char32_t code_point(std::size_t p, int& length) const { return uni::decode(s_, p, length); }

    std::size_t skip_space(std::size_t p) const {
        while (p < s_.size()) {
            int len = 1;
            if (!py_isspace(code_point(p, len))) break;
            p += static_cast<std::size_t>(len);
        }
        return p;
    }

    std::size_t find_opener(std::size_t from) const {
        for (std::size_t p = s_.find('{', from); p != std::string::npos; p = s_.find('{', p + 1)) {
            if (p + 1 < s_.size() && (s_[p + 1] == '{' || s_[p + 1] == '%' || s_[p + 1] == '#')) return p;
        }
        return std::string::npos;
    }

    static std::string_view rstrip(std::string_view text) {
        std::size_t end = 0;
        for (std::size_t p = 0; p < text.size();) {
            int len = 1;
            const char32_t c = uni::decode(text, p, len);
            p += static_cast<std::size_t>(len);
            if (!py_isspace(c)) end = p;
        }
        return text.substr(0, end);
    }

    std::string_view lstrip_block(std::string_view text) const {
        const std::size_t nl = text.rfind('\n');
        const std::size_t line = nl == std::string_view::npos ? 0 : nl + 1;
        if (line > 0 || line_starting_) {
            const std::string_view tail = text.substr(line);
            if (!tail.empty() && rstrip(tail).empty()) return text.substr(0, line);
        }
        return text;
    }

    void emit_data(std::string_view text, std::size_t offset) {
        if (!text.empty()) out_.push_back(Token{Tok::data, std::string(text), offset});
    }

    // After a closer with "-" at `p` (just past it): all whitespace goes, and what follows starts a
    // line when a newline went with it. Returns where the next text starts.
    std::size_t strip_after(std::size_t p) {
        const std::size_t end = skip_space(p);
        line_starting_ = s_[end - 1] == '\n';
        return end;
    }

    // The end of a block or comment tag: "+%}" keeps what follows, "-%}" eats all whitespace after
    // it, "%}" eats one newline (trim_blocks). Returns the position after it, or npos.
    std::size_t tag_end(std::size_t p, char closer) {
        const std::string plain{closer, '}'};
        if (starts(p, std::string("+") + plain)) {
            line_starting_ = false;
            return p + 3;
        }
        if (starts(p, std::string("-") + plain)) return strip_after(p + 3);
        if (starts(p, plain)) {
            std::size_t end = p + 2;
            line_starting_ = end < s_.size() && s_[end] == '\n';
            if (line_starting_) ++end;
            return end;
        }
        return std::string::npos;
    }

    // {% raw %} / {%- raw -%}: jinja2's root_raw_re (no trim_blocks after the opening tag).
    bool raw_begin(std::size_t after, std::size_t& end) {
        std::size_t p = skip_space(after);
        if (!starts(p, "raw")) return false;
        p = skip_space(p + 3);
        if (starts(p, "-%}")) {
            end = strip_after(p + 3);
            return true;
        }
        if (starts(p, "%}")) {
            end = p + 2;
            line_starting_ = false;
            return true;
        }
        return false;
    }

    void lex_raw(std::size_t opened) {
        for (std::size_t k = s_.find("{%", pos_); k != std::string::npos; k = s_.find("{%", k + 1)) {
            std::size_t p = k + 2;
            char sign = 0;
            if (p < s_.size() && (s_[p] == '-' || s_[p] == '+')) sign = s_[p++];
            p = skip_space(p);
            if (!starts(p, "endraw")) continue;
            const bool saved = line_starting_;
            const std::size_t end = tag_end(skip_space(p + 6), '%');
            if (end == std::string::npos) {
                line_starting_ = saved;
                continue;
            }
            std::string_view text = std::string_view(s_).substr(pos_, k - pos_);
            const bool after_end = line_starting_;
            line_starting_ = saved;
            if (sign == '-') text = rstrip(text);
            else if (sign != '+') text = lstrip_block(text);
            emit_data(text, pos_);
            line_starting_ = after_end;
            pos_ = end;
            return;
        }
        throw SyntaxError{"missing '{% endraw %}' for this raw block", opened};
    }

    void lex_comment(std::size_t opened, std::size_t after) {
        const std::size_t j = s_.find("#}", after);
        if (j == std::string::npos) throw SyntaxError{"missing end of comment tag '#}'", opened};
        std::size_t end_start = j;
        if (j > after && (s_[j - 1] == '-' || s_[j - 1] == '+')) end_start = j - 1;
        pos_ = tag_end(end_start, '#');
    }

    void lex_tag(bool variable, std::size_t opened) {
        std::vector<char> brackets;  // expected closers; the tag can only end when balanced
        const char* closer = variable ? "}}" : "%}";
        while (true) {
            if (pos_ >= s_.size()) {
                throw SyntaxError{std::string("this tag is never closed: expected '") + closer + "' before the end of the template",
                                  opened};
            }
            if (brackets.empty()) {
                std::size_t end = std::string::npos;
                if (variable) {
                    if (starts(pos_, "-}}")) {
                        end = strip_after(pos_ + 3);
                    } else if (starts(pos_, "}}")) {
                        end = pos_ + 2;
                        line_starting_ = false;
                    }
                } else {
                    end = tag_end(pos_, '%');
                }
                if (end != std::string::npos) {
                    out_.push_back(Token{variable ? Tok::var_end : Tok::block_end, "", pos_});
                    pos_ = end;
                    return;
                }
            }
            int len = 1;
            const char32_t c = code_point(pos_, len);
            if (py_isspace(c)) {
                pos_ += static_cast<std::size_t>(len);
                continue;
            }
            if (lex_number()) continue;
            const char ch = s_[pos_];
            if (is_name_start(ch)) {
                std::size_t p = pos_ + 1;
                while (p < s_.size() && is_name_char(s_[p])) ++p;
                out_.push_back(Token{Tok::name, s_.substr(pos_, p - pos_), pos_});
                pos_ = p;
                continue;
            }
            if (ch == '\'' || ch == '"') {
                lex_string();
                continue;
            }
            static const char* const two[] = {"//", "**", "==", "!=", ">=", "<="};
            std::string op;
            for (const char* t : two) {
                if (starts(pos_, t)) op = t;
            }
            if (op.empty() && std::string_view("+-/*%~[](){}<>=.:|,;").find(ch) != std::string_view::npos) op = std::string(1, ch);
            if (op.empty()) throw SyntaxError{"unexpected character '" + s_.substr(pos_, static_cast<std::size_t>(len)) + "'", pos_};
            if (op == "(" || op == "[" || op == "{") {
                brackets.push_back(op == "(" ? ')' : (op == "[" ? ']' : '}'));
            } else if (op == ")" || op == "]" || op == "}") {
                if (brackets.empty()) throw SyntaxError{"unexpected '" + op + "'", pos_};
                if (brackets.back() != op[0]) {
                    throw SyntaxError{"unexpected '" + op + "', expected '" + std::string(1, brackets.back()) + "'", pos_};
                }
                brackets.pop_back();
            }
            out_.push_back(Token{Tok::op, op, pos_});
            pos_ += op.size();
        }
    }

    // (\d+_)*\d+ from p: the end of it, or npos.
    std::size_t digits(std::size_t p) const {
        if (p >= s_.size() || !is_ascii_digit(s_[p])) return std::string::npos;
        while (p < s_.size() && is_ascii_digit(s_[p])) ++p;
        while (p + 1 < s_.size() && s_[p] == '_' && is_ascii_digit(s_[p + 1])) {
            ++p;
            while (p < s_.size() && is_ascii_digit(s_[p])) ++p;
        }
        return p;
    }

    static std::string without_underscores(std::string_view s) {
        std::string out;
        for (char c : s) {
            if (c != '_') out.push_back(c);
        }
        return out;
    }

    // jinja2's float_re, then integer_re (0b/0o/0x, decimal).
    bool lex_number() {
        const std::size_t start = pos_;
        const std::size_t int_end = digits(start);
        if (int_end == std::string::npos) return false;
        if (start == 0 || s_[start - 1] != '.') {
            std::size_t frac_end = int_end;
            if (frac_end + 1 < s_.size() && s_[frac_end] == '.' && is_ascii_digit(s_[frac_end + 1])) frac_end = digits(frac_end + 1);
            std::size_t end = std::string::npos;
            if (frac_end < s_.size() && (s_[frac_end] == 'e' || s_[frac_end] == 'E')) {
                std::size_t q = frac_end + 1;
                if (q < s_.size() && (s_[q] == '+' || s_[q] == '-')) ++q;
                end = digits(q);
            }
            if (end == std::string::npos && frac_end != int_end) end = frac_end;
            if (end != std::string::npos) {
                const std::string text = without_underscores(std::string_view(s_).substr(start, end - start));
                Token t{Tok::floating, text, start};
                std::from_chars(text.data(), text.data() + text.size(), t.float_value);
                out_.push_back(std::move(t));
                pos_ = end;
                return true;
            }
        }
        int base = 10;
        std::size_t end = int_end;
        if (s_[start] == '0' && start + 1 < s_.size()) {
            const char p = static_cast<char>(s_[start + 1] | 0x20);
            if (p == 'b' || p == 'o' || p == 'x') {
                base = p == 'b' ? 2 : (p == 'o' ? 8 : 16);
                auto ok = [&](char c) {
                    c = static_cast<char>(c | 0x20);
                    return base == 2 ? (c == '0' || c == '1')
                                     : (base == 8 ? (c >= '0' && c <= '7') : (is_ascii_digit(c) || (c >= 'a' && c <= 'f')));
                };
                std::size_t q = start + 2;
                while (q < s_.size()) {
                    if (ok(s_[q])) ++q;
                    else if (s_[q] == '_' && q + 1 < s_.size() && ok(s_[q + 1])) q += 2;
                    else break;
                }
                if (q > start + 2) end = q;
                else base = 10;
            }
        }
        if (base == 10 && s_[start] == '0') {
            // 0(_?0)*: a decimal literal cannot have leading zeros.
            end = start + 1;
            while (end < s_.size() && (s_[end] == '0' || (s_[end] == '_' && end + 1 < s_.size() && s_[end + 1] == '0'))) {
                end += s_[end] == '_' ? 2 : 1;
            }
        }
        std::string text = without_underscores(std::string_view(s_).substr(start, end - start));
        Token t{Tok::integer, text, start};
        const std::size_t skip = base == 10 ? 0 : 2;
        auto res = std::from_chars(text.data() + skip, text.data() + text.size(), t.int_value, base);
        if (res.ec != std::errc()) throw SyntaxError{"integer literal too large", start};
        out_.push_back(std::move(t));
        pos_ = end;
        return true;
    }

    // A string literal, decoded as jinja2 does: Python's unicode-escape (\n \t \\ \' \" \xhh
    // \uhhhh \Uhhhhhhhh \ooo, backslash-newline); an unknown escape keeps its backslash.
    void lex_string() {
        const char quote = s_[pos_];
        std::size_t p = pos_ + 1;
        while (p < s_.size() && s_[p] != quote) p += s_[p] == '\\' ? 2 : 1;
        if (p >= s_.size()) throw SyntaxError{"unterminated string literal", pos_};
        const std::string_view raw = std::string_view(s_).substr(pos_ + 1, p - pos_ - 1);
        std::string out;
        for (std::size_t i = 0; i < raw.size(); ++i) {
            if (raw[i] != '\\') {
                out.push_back(raw[i]);
                continue;
            }
            const char e = raw[++i];
            const std::size_t at = pos_ + 1 + i - 1;
            auto hex_escape = [&](std::size_t count) {
                std::uint32_t v = 0;
                for (std::size_t k = 1; k <= count; ++k) {
                    const char h = i + k < raw.size() ? static_cast<char>(raw[i + k] | 0x20) : 'z';
                    if (!is_ascii_digit(h) && !(h >= 'a' && h <= 'f')) {
                        throw SyntaxError{"truncated \\" + std::string(1, e) + " escape in a string literal", at};
                    }
                    v = v * 16 + static_cast<std::uint32_t>(is_ascii_digit(h) ? h - '0' : h - 'a' + 10);
                }
                i += count;
                if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
                    throw SyntaxError{"a string literal escapes a code point that is not a character", at};
                }
                uni::append(out, static_cast<char32_t>(v));
            };
            switch (e) {
                case '\n': break;
                case '\\': out.push_back('\\'); break;
                case '\'': out.push_back('\''); break;
                case '"': out.push_back('"'); break;
                case 'a': out.push_back('\a'); break;
                case 'b': out.push_back('\b'); break;
                case 'f': out.push_back('\f'); break;
                case 'n': out.push_back('\n'); break;
                case 'r': out.push_back('\r'); break;
                case 't': out.push_back('\t'); break;
                case 'v': out.push_back('\v'); break;
                case 'x': hex_escape(2); break;
                case 'u': hex_escape(4); break;
                case 'U': hex_escape(8); break;
                case 'N': throw SyntaxError{"\\N{...} escapes are not supported", at};
                default:
                    if (e >= '0' && e <= '7') {
                        std::uint32_t v = static_cast<std::uint32_t>(e - '0');
                        for (int k = 0; k < 2 && i + 1 < raw.size() && raw[i + 1] >= '0' && raw[i + 1] <= '7'; ++k) {
                            v = v * 8 + static_cast<std::uint32_t>(raw[++i] - '0');
                        }
                        uni::append(out, static_cast<char32_t>(v));
                    } else {
                        out.push_back('\\');
                        out.push_back(e);
                    }
            }
        }
        out_.push_back(Token{Tok::string, std::move(out), pos_});
        pos_ = p + 1;
    }
};

}  // namespace

std::vector<Token> lex(const std::string& source) { return Lexer(source).run(); }

}  // namespace hubbench::tokenizer::jinja
