// Values to and from JSON (see value_json.hpp).
#include "tokenizer/chat_template/value_json.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "tokenizer/chat_template/python_text.hpp"
#include "tokenizer/unicode.hpp"

namespace hubbench::tokenizer::jinja {

using ojson = nlohmann::ordered_json;
namespace uni = unicode;

namespace {

// json.dumps string escaping: \" \\ \n \r \t \b \f, other controls as \u00XX; with ensure_ascii
// everything outside printable ASCII is escaped too (surrogate pairs above U+FFFF).
void json_string(std::string_view s, bool ensure_ascii, std::string& out) {
    out.push_back('"');
    for (char32_t c : u32(s)) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default:
                if (c < 0x20 || (ensure_ascii && c >= 0x7F)) {
                    if (c > 0xFFFF) {
                        const char32_t v = c - 0x10000;
                        out += "\\u" + hex(0xD800 + (v >> 10), 4) + "\\u" + hex(0xDC00 + (v & 0x3FF), 4);
                    } else {
                        out += "\\u" + hex(c, 4);
                    }
                } else {
                    uni::append(out, c);
                }
        }
    }
    out.push_back('"');
}

}  // namespace

Value from_json(const ojson& j, const std::string& where) {
    switch (j.type()) {
        case ojson::value_t::null: return none();
        case ojson::value_t::boolean: return boolean(j.get<bool>());
        case ojson::value_t::number_integer: return integer(j.get<std::int64_t>());
        case ojson::value_t::number_unsigned: {
            const auto u = j.get<std::uint64_t>();
            if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
                return integer(static_cast<std::int64_t>(u));
            }
            return number(static_cast<double>(u));
        }
        case ojson::value_t::number_float: return number(j.get<double>());
        case ojson::value_t::string: {
            const auto& s = j.get_ref<const std::string&>();
            if (uni::find_invalid(s) != std::string::npos) {
                throw Error(ErrorKind::invalid_input, where + ": a template variable holds text that is not valid UTF-8");
            }
            return str(s);
        }
        case ojson::value_t::array: {
            std::vector<Value> items;
            for (const auto& x : j) items.push_back(from_json(x, where));
            return list(std::move(items));
        }
        case ojson::value_t::object: {
            std::vector<std::pair<Value, Value>> entries;
            for (const auto& [k, x] : j.items()) entries.emplace_back(from_json(ojson(k), where), from_json(x, where));
            return dict(std::move(entries));
        }
        default:
            throw Error(ErrorKind::invalid_input, where + ": template variables must be JSON values (no binary data)");
    }
}

void to_json(const Value& v, const JsonStyle& style, int depth, std::string& out) {
    if (depth > max_nesting) fail("a value nests too deeply for tojson");
    auto newline = [&](int level) {
        out.push_back('\n');
        for (int i = 0; i < level; ++i) out += *style.indent;
    };
    switch (v.data.index()) {
        case 1: out += "null"; return;
        case 2: out += *get<bool>(v) ? "true" : "false"; return;
        case 3: out += std::to_string(*get<std::int64_t>(v)); return;
        case 4: {
            const double d = *get<double>(v);
            if (std::isnan(d)) out += "NaN";
            else if (std::isinf(d)) out += d < 0 ? "-Infinity" : "Infinity";
            else out += py_repr_float(d);
            return;
        }
        case 5: json_string(as_str(v), style.ensure_ascii, out); return;
        case 6: {
            const auto& items = as_list(v).items;
            if (items.empty()) {
                out += "[]";
                return;
            }
            out.push_back('[');
            for (std::size_t i = 0; i < items.size(); ++i) {
                if (i) out += style.item_separator;
                if (style.indent) newline(depth + 1);
                to_json(items[i], style, depth + 1, out);
            }
            if (style.indent) newline(depth);
            out.push_back(']');
            return;
        }
        case 7: {
            std::vector<std::pair<std::string, const Value*>> entries;
            for (const auto& [k, val] : as_dict(v).entries) {
                std::string key;
                if (is_str(k)) key = as_str(k);
                else if (is_bool(k)) key = *get<bool>(k) ? "true" : "false";
                else if (is_int(k) || is_float(k)) key = repr(k);
                else if (is_none(k)) key = "null";
                else fail("keys must be str, int, float, bool or None, not " + type_name(k));
                entries.emplace_back(std::move(key), &val);
            }
            if (entries.empty()) {
                out += "{}";
                return;
            }
            if (style.sort_keys) {
                std::stable_sort(entries.begin(), entries.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
            }
            out.push_back('{');
            for (std::size_t i = 0; i < entries.size(); ++i) {
                if (i) out += style.item_separator;
                if (style.indent) newline(depth + 1);
                json_string(entries[i].first, style.ensure_ascii, out);
                out += style.key_separator;
                to_json(*entries[i].second, style, depth + 1, out);
            }
            if (style.indent) newline(depth);
            out.push_back('}');
            return;
        }
        default: fail("Object of type " + type_name(v) + " is not JSON serializable");
    }
}

}  // namespace hubbench::tokenizer::jinja
