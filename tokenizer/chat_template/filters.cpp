// jinja2's filters (jinja2/filters.py) as templates use them; tojson is transformers' override
// (see builtins.hpp).
#include "tokenizer/chat_template/builtins.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>
#include <vector>

#include "tokenizer/chat_template/operators.hpp"
#include "tokenizer/chat_template/python_text.hpp"
#include "tokenizer/chat_template/value_json.hpp"
#include "tokenizer/unicode.hpp"

namespace hubbench::tokenizer::jinja {

namespace uni = unicode;

namespace {

using FilterFn = Value (*)(Interpreter&, const Value&, CallArgs&);

// item.attribute (a dotted path, as make_attrgetter reads it), or the item itself when the filter
// got no attribute.
Value attribute_of(const Value& item, const Value* attribute) {
    return attribute && !is_none(*attribute) ? get_path(item, to_str(*attribute)) : item;
}

// ignore_case / make_attrgetter of jinja2's sort, unique, min, max.
Value sort_key(const Value& item, const Value* attribute, bool case_sensitive) {
    Value v = attribute_of(item, attribute);
    if (!case_sensitive && is_str(v)) return str(py_lower(as_str(v)));
    return v;
}

// An indent argument (indent's width, tojson's indent): a str as it is, an int as that many spaces.
std::string indentation(const Value& width, const std::string& what) {
    if (is_str(width)) return as_str(width);
    return std::string(static_cast<std::size_t>(std::max<std::int64_t>(0, require_int(width, what))), ' ');
}

std::vector<Value> select_items(Interpreter& in, const Value& seq, CallArgs& a, bool by_attribute, bool keep) {
    std::size_t next = 0;
    std::string attribute;
    if (by_attribute) {
        if (a.positional.empty()) fail("Missing parameter for attribute name");
        attribute = to_str(a.positional[next++]);
    }
    std::optional<std::string> test_name;
    if (next < a.positional.size()) test_name = to_str(a.positional[next++]);
    CallArgs test_args;
    test_args.positional.assign(a.positional.begin() + static_cast<std::ptrdiff_t>(next), a.positional.end());
    test_args.keyword = a.keyword;
    std::vector<Value> out;
    for (const Value& item : iterate(seq)) {
        const Value v = by_attribute ? get_path(item, attribute) : item;
        CallArgs args = test_args;
        const bool passed = test_name ? in.test(*test_name, v, args) : truthy(v);
        if (passed == keep) out.push_back(item);
    }
    return out;
}

Value f_abs(Interpreter&, const Value& v, CallArgs& a) {
    Params p(a, "abs", {});
    if (is_undefined(v)) fail_undefined(v);
    if (is_float(v)) return number(std::fabs(as_double(v)));
    if (!is_intlike(v)) fail("bad operand type for abs(): '" + type_name(v) + "'");
    return integer(as_int(v) < 0 ? -as_int(v) : as_int(v));
}
Value f_attr(Interpreter&, const Value& v, CallArgs& a) {
    Params p(a, "attr", {"name"});
    return get_attribute(v, to_str(p.get_or("name", str(""))));
}
Value f_capitalize(Interpreter&, const Value& v, CallArgs& a) {
    Params p(a, "capitalize", {});
    return str(py_capitalize(to_str(v)));
}
Value f_length(Interpreter&, const Value& v, CallArgs& a) {
    Params p(a, "length", {});
    return integer(py_len(v));
}
Value f_default(Interpreter&, const Value& v, CallArgs& a) {
    Params p(a, "default", {"default_value", "boolean"});
    const bool use_boolean = truthy(p.get_or("boolean", boolean(false)));
    if (is_undefined(v) || (use_boolean && !truthy(v))) return p.get_or("default_value", str(""));
    return v;
}
Value f_escape(Interpreter&, const Value& v, CallArgs& a) {
    Params p(a, "escape", {});
    std::string out;
    for (char c : to_str(v)) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&#34;"; break;
            case '\'': out += "&#39;"; break;
            default: out.push_back(c);
        }
    }
    return str(std::move(out));
}
Value f_first(Interpreter&, const Value& v, CallArgs& a) {
    Params p(a, "first", {});
    const auto items = iterate(v);
    return items.empty() ? undefined("No first item, sequence was empty.") : items.front();
}
Value f_last(Interpreter&, const Value& v, CallArgs& a) {
    Params p(a, "last", {});
    const auto items = iterate(v);
    return items.empty() ? undefined("No last item, sequence was empty.") : items.back();
}
Value f_float(Interpreter&, const Value& v, CallArgs& a) {
    Params p(a, "float", {"default"});
    const Value dflt = p.get_or("default", number(0.0));
    if (is_float(v)) return v;
    if (is_intlike(v)) return number(as_double(v));
    if (is_str(v)) {
        if (auto d = parse_py_float(as_str(v))) return number(*d);
    }
    return dflt;
}
Value f_int(Interpreter&, const Value& v, CallArgs& a) {
    Params p(a, "int", {"default", "base"});
    const Value dflt = p.get_or("default", integer(0));
    const std::int64_t base = require_int(p.get_or("base", integer(10)), "base");
    if (is_intlike(v)) return integer(as_int(v));
    if (is_float(v)) {
        const double d = as_double(v);
        if (!std::isfinite(d) || std::fabs(d) >= 9.2e18) return dflt;
        return integer(static_cast<std::int64_t>(std::trunc(d)));
    }
    if (is_str(v)) {
        if (auto i = parse_py_int(as_str(v), static_cast<int>(base))) return integer(*i);
        if (auto d = parse_py_float(as_str(v)); d && std::isfinite(*d) && std::fabs(*d) < 9.2e18) {
            return integer(static_cast<std::int64_t>(std::trunc(*d)));
        }
    }
    return dflt;
}
// jinja2's do_indent: every line but the first (unless first=True) gets the indent; empty lines
// only with blank=True.
Value f_indent(Interpreter&, const Value& v, CallArgs& a) {
    Params p(a, "indent", {"width", "first", "blank"});
    const Value width = p.get_or("width", integer(4));
    const std::string indent = indentation(width, "width");
    const bool first = truthy(p.get_or("first", boolean(false)));
    const bool blank = truthy(p.get_or("blank", boolean(false)));
    const std::vector<std::string> lines = py_splitlines(to_str(v) + "\n", false);
    std::string out;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string& line = lines[i];
        if (i) out += "\n";
        if (i == 0) out += line;
        else out += (blank || !line.empty()) ? indent + line : line;
    }
    return str(first ? indent + out : out);
}
Value f_items(Interpreter&, const Value& v, CallArgs& a) {
    Params p(a, "items", {});
    if (is_undefined(v)) return list({});
    if (!is_dict(v)) fail("Can only get item pairs from a mapping.");
    std::vector<Value> out;
    for (const auto& [k, val] : as_dict(v).entries) out.push_back(list({k, val}, true));
    return list(std::move(out));
}
Value f_join(Interpreter&, const Value& v, CallArgs& a) {
    Params p(a, "join", {"d", "attribute"});
    const std::string sep = to_str(p.get_or("d", str("")));
    const Value* attribute = p.get("attribute");
    std::string out;
    bool first = true;
    for (const Value& item : iterate(v)) {
        if (!first) out += sep;
        first = false;
        out += to_str(attribute_of(item, attribute));
    }
    return str(std::move(out));
}
Value f_list(Interpreter&, const Value& v, CallArgs& a) {
    Params p(a, "list", {});
    return list(iterate(v));
}
Value f_lower(Interpreter&, const Value& v, CallArgs& a) {
    Params p(a, "lower", {});
    return str(py_lower(to_str(v)));
}
Value f_upper(Interpreter&, const Value& v, CallArgs& a) {
    Params p(a, "upper", {});
    return str(py_upper(to_str(v)));
}
// map(attribute='x', default=...) or map('filter', args...).
Value f_map(Interpreter& in, const Value& v, CallArgs& a) {
    std::vector<Value> out;
    if (a.positional.empty()) {
        Params p(a, "map", {"attribute", "default"});
        if (!p.get("attribute")) fail("map() needs a filter name or attribute=");
        const std::string attribute = to_str(*p.get("attribute"));
        const Value* dflt = p.get("default");
        for (const Value& item : iterate(v)) {
            Value x = get_path(item, attribute);
            out.push_back(is_undefined(x) && dflt ? *dflt : x);
        }
        return list(std::move(out));
    }
    const std::string name = to_str(a.positional[0]);
    for (const Value& item : iterate(v)) {
        CallArgs rest;
        rest.positional.assign(a.positional.begin() + 1, a.positional.end());
        rest.keyword = a.keyword;
        out.push_back(in.filter(name, item, rest));
    }
    return list(std::move(out));
}
Value extreme(const Value& v, CallArgs& a, bool maximum) {
    Params p(a, maximum ? "max" : "min", {"case_sensitive", "attribute"});
    const bool case_sensitive = truthy(p.get_or("case_sensitive", boolean(false)));
    const auto items = iterate(v);
    if (items.empty()) return undefined("No aggregated item, sequence was empty.");
    std::size_t best = 0;
    Value best_key = sort_key(items[0], p.get("attribute"), case_sensitive);
    for (std::size_t i = 1; i < items.size(); ++i) {
        Value k = sort_key(items[i], p.get("attribute"), case_sensitive);
        const int c = py_compare(k, best_key, maximum ? ">" : "<");
        if (maximum ? c > 0 : c < 0) {
            best = i;
            best_key = std::move(k);
        }
    }
    return items[best];
}
Value f_max(Interpreter&, const Value& v, CallArgs& a) { return extreme(v, a, true); }
Value f_min(Interpreter&, const Value& v, CallArgs& a) { return extreme(v, a, false); }
Value f_select(Interpreter& in, const Value& v, CallArgs& a) { return list(select_items(in, v, a, false, true)); }
Value f_reject(Interpreter& in, const Value& v, CallArgs& a) { return list(select_items(in, v, a, false, false)); }
Value f_selectattr(Interpreter& in, const Value& v, CallArgs& a) { return list(select_items(in, v, a, true, true)); }
Value f_rejectattr(Interpreter& in, const Value& v, CallArgs& a) { return list(select_items(in, v, a, true, false)); }
Value f_replace(Interpreter&, const Value& v, CallArgs& a) {
    Params p(a, "replace", {"old", "new", "count"});
    if (!p.get("old") || !p.get("new")) fail("replace() needs old and new");
    const Value count = p.get_or("count", none());
    return str(py_replace(to_str(v), to_str(*p.get("old")), to_str(*p.get("new")),
                          is_none(count) ? -1 : require_int(count, "count")));
}
Value f_reverse(Interpreter&, const Value& v, CallArgs& a) {
    Params p(a, "reverse", {});
    if (is_str(v)) {
        std::u32string u = u32(as_str(v));
        std::reverse(u.begin(), u.end());
        return str(utf8(u));
    }
    std::vector<Value> items = iterate(v);
    std::reverse(items.begin(), items.end());
    return list(std::move(items));
}
Value f_safe(Interpreter&, const Value& v, CallArgs& a) {
    Params p(a, "safe", {});
    return str(to_str(v));
}
Value f_sort(Interpreter&, const Value& v, CallArgs& a) {
    Params p(a, "sort", {"reverse", "case_sensitive", "attribute"});
    const bool reverse = truthy(p.get_or("reverse", boolean(false)));
    const bool case_sensitive = truthy(p.get_or("case_sensitive", boolean(false)));
    std::vector<std::pair<Value, Value>> keyed;
    for (const Value& item : iterate(v)) keyed.emplace_back(sort_key(item, p.get("attribute"), case_sensitive), item);
    std::stable_sort(keyed.begin(), keyed.end(), [&](const auto& x, const auto& y) {
        return reverse ? py_compare(y.first, x.first, "<") < 0 : py_compare(x.first, y.first, "<") < 0;
    });
    std::vector<Value> out;
    for (auto& [k, item] : keyed) out.push_back(std::move(item));
    return list(std::move(out));
}
Value f_string(Interpreter&, const Value& v, CallArgs& a) {
    Params p(a, "string", {});
    return str(to_str(v));
}
Value f_sum(Interpreter&, const Value& v, CallArgs& a) {
    Params p(a, "sum", {"attribute", "start"});
    Value total = p.get_or("start", integer(0));
    const Value* attribute = p.get("attribute");
    for (const Value& item : iterate(v)) {
        total = arith("+", total, attribute_of(item, attribute));
    }
    return total;
}
// jinja2's do_title (not str.title()): words start after -, whitespace, (, {, [ or <.
Value f_title(Interpreter&, const Value& v, CallArgs& a) {
    Params p(a, "title", {});
    const std::u32string u = u32(to_str(v));
    auto separator = [](char32_t c) { return c == '-' || c == '(' || c == '{' || c == '[' || c == '<' || py_isspace(c); };
    std::string out;
    std::size_t i = 0;
    while (i < u.size()) {
        std::size_t j = i;
        const bool sep = separator(u[i]);
        while (j < u.size() && separator(u[j]) == sep) ++j;
        for (std::size_t k = i; k < j; ++k) uni::append(out, k == i ? to_upper(u[k]) : to_lower(u[k]));
        i = j;
    }
    return str(std::move(out));
}
// transformers' tojson: json.dumps(x, ensure_ascii=False, indent=None, separators=None,
// sort_keys=False).
Value f_tojson(Interpreter&, const Value& v, CallArgs& a) {
    Params p(a, "tojson", {"ensure_ascii", "indent", "separators", "sort_keys"});
    JsonStyle style;
    style.ensure_ascii = truthy(p.get_or("ensure_ascii", boolean(false)));
    style.sort_keys = truthy(p.get_or("sort_keys", boolean(false)));
    const Value indent = p.get_or("indent", none());
    if (!is_none(indent)) style.indent = indentation(indent, "indent");
    style.item_separator = style.indent ? "," : ", ";
    style.key_separator = ": ";
    const Value separators = p.get_or("separators", none());
    if (!is_none(separators)) {
        const auto items = iterate(separators);
        if (items.size() != 2) fail("separators must be an (item_separator, key_separator) pair");
        style.item_separator = require_str(items[0], "item_separator");
        style.key_separator = require_str(items[1], "key_separator");
    }
    std::string out;
    to_json(v, style, 0, out);
    return str(std::move(out));
}
Value f_trim(Interpreter&, const Value& v, CallArgs& a) {
    Params p(a, "trim", {"chars"});
    return str(strip_chars(to_str(v), p.get("chars"), true, true, "trim chars"));
}
Value f_unique(Interpreter&, const Value& v, CallArgs& a) {
    Params p(a, "unique", {"case_sensitive", "attribute"});
    const bool case_sensitive = truthy(p.get_or("case_sensitive", boolean(false)));
    std::vector<Value> seen, out;
    for (const Value& item : iterate(v)) {
        Value k = sort_key(item, p.get("attribute"), case_sensitive);
        if (std::none_of(seen.begin(), seen.end(), [&](const Value& s) { return py_equal(s, k); })) {
            seen.push_back(std::move(k));
            out.push_back(item);
        }
    }
    return list(std::move(out));
}

const std::vector<std::pair<std::string_view, FilterFn>>& filters() {
    static const std::vector<std::pair<std::string_view, FilterFn>> table = {
        {"abs", f_abs}, {"attr", f_attr}, {"capitalize", f_capitalize}, {"count", f_length}, {"d", f_default},
        {"default", f_default}, {"e", f_escape}, {"escape", f_escape}, {"first", f_first}, {"float", f_float},
        {"indent", f_indent}, {"int", f_int}, {"items", f_items}, {"join", f_join}, {"last", f_last},
        {"length", f_length}, {"list", f_list}, {"lower", f_lower}, {"map", f_map}, {"max", f_max}, {"min", f_min},
        {"reject", f_reject}, {"rejectattr", f_rejectattr}, {"replace", f_replace}, {"reverse", f_reverse},
        {"safe", f_safe}, {"select", f_select}, {"selectattr", f_selectattr}, {"sort", f_sort}, {"string", f_string},
        {"sum", f_sum}, {"title", f_title}, {"tojson", f_tojson}, {"trim", f_trim}, {"unique", f_unique},
        {"upper", f_upper},
    };
    return table;
}

}  // namespace

bool has_filter(std::string_view name) {
    return std::any_of(filters().begin(), filters().end(), [&](const auto& f) { return f.first == name; });
}

Value Interpreter::filter(const std::string& name, const Value& value, CallArgs& args) {
    for (const auto& [n, fn] : filters()) {
        if (n == name) return fn(*this, value, args);
    }
    fail("No filter named '" + name + "'.");
}

}  // namespace hubbench::tokenizer::jinja
