// The methods of str and dict that templates call, as Python defines them (see builtins.hpp).
#include "tokenizer/chat_template/builtins.hpp"

#include <algorithm>
#include <iterator>
#include <optional>
#include <vector>

#include "tokenizer/chat_template/python_text.hpp"
#include "tokenizer/unicode.hpp"

namespace hubbench::tokenizer::jinja {

namespace uni = unicode;

namespace {

// The code point index of a byte offset (str.find answers in code points).
std::size_t code_points_before(std::string_view s, std::size_t byte_offset) {
    return uni::count_chars(s.substr(0, byte_offset));
}

using Method = Value (*)(const std::string& self, CallArgs& args);

Value strip_method(const std::string& s, CallArgs& a, bool left, bool right, const char* name) {
    Params p(a, name, {"chars"});
    return str(strip_chars(s, p.get("chars"), left, right, std::string(name) + " arg"));
}

bool affix_match(const std::string& s, const Value& affix, bool prefix, const char* name) {
    auto one = [&](const Value& v) {
        const std::string& x = require_str(v, std::string(name) + " first arg");
        return prefix ? s.starts_with(x) : s.ends_with(x);
    };
    if (is_list(affix) && as_list(affix).tuple) {
        return std::any_of(as_list(affix).items.begin(), as_list(affix).items.end(), one);
    }
    return one(affix);
}

Value affix_method(const std::string& s, CallArgs& a, bool prefix) {
    const char* name = prefix ? "startswith" : "endswith";
    Params p(a, name, {"prefix"});
    if (!p.get("prefix")) fail(std::string(name) + "() takes at least 1 argument (0 given)");
    return boolean(affix_match(s, *p.get("prefix"), prefix, name));
}

// str.split / str.rsplit: on runs of whitespace when sep is None, else on sep exactly.
Value split_method(const std::string& s, CallArgs& a, bool from_right) {
    Params p(a, from_right ? "rsplit" : "split", {"sep", "maxsplit"});
    const Value sep = p.get_or("sep", none());
    const std::int64_t maxsplit = require_int(p.get_or("maxsplit", integer(-1)), "maxsplit");
    std::vector<Value> parts;
    if (is_none(sep)) {
        std::u32string u = u32(s);
        if (from_right) std::reverse(u.begin(), u.end());
        std::size_t i = 0;
        const std::size_t n = u.size();
        while (true) {
            while (i < n && py_isspace(u[i])) ++i;
            if (i >= n) break;
            std::size_t j = i;
            if (maxsplit >= 0 && static_cast<std::int64_t>(parts.size()) == maxsplit) {
                j = n;
            } else {
                while (j < n && !py_isspace(u[j])) ++j;
            }
            std::u32string piece = u.substr(i, j - i);
            if (from_right) std::reverse(piece.begin(), piece.end());
            parts.push_back(str(utf8(piece)));
            i = j;
        }
    } else {
        const std::string& d = require_str(sep, "separator");
        if (d.empty()) fail("empty separator");
        if (!from_right) {
            std::size_t pos = 0;
            while (maxsplit < 0 || static_cast<std::int64_t>(parts.size()) < maxsplit) {
                const std::size_t hit = s.find(d, pos);
                if (hit == std::string::npos) break;
                parts.push_back(str(s.substr(pos, hit - pos)));
                pos = hit + d.size();
            }
            parts.push_back(str(s.substr(pos)));
        } else {
            std::size_t end = s.size();
            while (maxsplit < 0 || static_cast<std::int64_t>(parts.size()) < maxsplit) {
                if (end < d.size()) break;
                const std::size_t hit = s.rfind(d, end - d.size());
                if (hit == std::string::npos) break;
                parts.push_back(str(s.substr(hit + d.size(), end - hit - d.size())));
                end = hit;
            }
            parts.push_back(str(s.substr(0, end)));
        }
    }
    if (from_right) std::reverse(parts.begin(), parts.end());
    return list(std::move(parts));
}

Value find_method(const std::string& s, CallArgs& a, bool from_right, bool raise) {
    Params p(a, from_right ? (raise ? "rindex" : "rfind") : (raise ? "index" : "find"), {"sub"});
    if (!p.get("sub")) fail("find() takes at least 1 argument (0 given)");
    const std::string& sub = require_str(*p.get("sub"), "substring");
    const std::size_t hit = from_right ? s.rfind(sub) : s.find(sub);
    if (hit == std::string::npos) {
        if (raise) fail("substring not found");
        return integer(-1);
    }
    return integer(static_cast<std::int64_t>(code_points_before(s, hit)));
}

bool all_chars(const std::string& s, bool (*pred)(char32_t)) {
    const std::u32string u = u32(s);
    return !u.empty() && std::all_of(u.begin(), u.end(), pred);
}

Value no_args(const std::string& s, CallArgs& a, const char* name, std::string (*fn)(std::string_view)) {
    Params p(a, name, {});
    return str(fn(s));
}

std::optional<Method> find_string_method(const std::string& name) {
    static const std::vector<std::pair<std::string_view, Method>> methods = {
        {"strip", [](const std::string& s, CallArgs& a) { return strip_method(s, a, true, true, "strip"); }},
        {"lstrip", [](const std::string& s, CallArgs& a) { return strip_method(s, a, true, false, "lstrip"); }},
        {"rstrip", [](const std::string& s, CallArgs& a) { return strip_method(s, a, false, true, "rstrip"); }},
        {"startswith", [](const std::string& s, CallArgs& a) { return affix_method(s, a, true); }},
        {"endswith", [](const std::string& s, CallArgs& a) { return affix_method(s, a, false); }},
        {"split", [](const std::string& s, CallArgs& a) { return split_method(s, a, false); }},
        {"rsplit", [](const std::string& s, CallArgs& a) { return split_method(s, a, true); }},
        {"upper", [](const std::string& s, CallArgs& a) { return no_args(s, a, "upper", py_upper); }},
        {"lower", [](const std::string& s, CallArgs& a) { return no_args(s, a, "lower", py_lower); }},
        {"casefold", [](const std::string& s, CallArgs& a) { return no_args(s, a, "casefold", py_lower); }},
        {"title", [](const std::string& s, CallArgs& a) { return no_args(s, a, "title", py_title); }},
        {"capitalize", [](const std::string& s, CallArgs& a) { return no_args(s, a, "capitalize", py_capitalize); }},
        {"replace",
         [](const std::string& s, CallArgs& a) {
             Params p(a, "replace", {"old", "new", "count"});
             if (!p.get("old") || !p.get("new")) fail("replace() takes at least 2 arguments");
             return str(py_replace(s, require_str(*p.get("old"), "replace() argument 1"),
                                   require_str(*p.get("new"), "replace() argument 2"),
                                   require_int(p.get_or("count", integer(-1)), "count")));
         }},
        {"find", [](const std::string& s, CallArgs& a) { return find_method(s, a, false, false); }},
        {"rfind", [](const std::string& s, CallArgs& a) { return find_method(s, a, true, false); }},
        {"index", [](const std::string& s, CallArgs& a) { return find_method(s, a, false, true); }},
        {"rindex", [](const std::string& s, CallArgs& a) { return find_method(s, a, true, true); }},
        {"count",
         [](const std::string& s, CallArgs& a) {
             Params p(a, "count", {"sub"});
             if (!p.get("sub")) fail("count() takes at least 1 argument (0 given)");
             const std::string& sub = require_str(*p.get("sub"), "substring");
             if (sub.empty()) return integer(static_cast<std::int64_t>(uni::count_chars(s)) + 1);
             std::int64_t n = 0;
             for (std::size_t pos = s.find(sub); pos != std::string::npos; pos = s.find(sub, pos + sub.size())) ++n;
             return integer(n);
         }},
        {"join",
         [](const std::string& s, CallArgs& a) {
             Params p(a, "join", {"iterable"});
             if (!p.get("iterable")) fail("join() takes exactly one argument (0 given)");
             std::string out;
             const std::vector<Value> items = iterate(*p.get("iterable"));
             for (std::size_t i = 0; i < items.size(); ++i) {
                 if (!is_str(items[i])) {
                     fail("sequence item " + std::to_string(i) + ": expected str instance, " + type_name(items[i]) + " found");
                 }
                 if (i) out += s;
                 out += as_str(items[i]);
             }
             return str(std::move(out));
         }},
        {"removeprefix",
         [](const std::string& s, CallArgs& a) {
             Params p(a, "removeprefix", {"prefix"});
             const std::string& x = require_str(p.get_or("prefix", str("")), "removeprefix() argument");
             return str(s.starts_with(x) ? s.substr(x.size()) : s);
         }},
        {"removesuffix",
         [](const std::string& s, CallArgs& a) {
             Params p(a, "removesuffix", {"suffix"});
             const std::string& x = require_str(p.get_or("suffix", str("")), "removesuffix() argument");
             const bool has = !x.empty() && s.ends_with(x);
             return str(has ? s.substr(0, s.size() - x.size()) : s);
         }},
        {"splitlines",
         [](const std::string& s, CallArgs& a) {
             Params p(a, "splitlines", {"keepends"});
             const bool keepends = truthy(p.get_or("keepends", boolean(false)));
             std::vector<Value> lines;
             for (auto& line : py_splitlines(s, keepends)) lines.push_back(str(std::move(line)));
             return list(std::move(lines));
         }},
        {"isspace", [](const std::string& s, CallArgs& a) { Params p(a, "isspace", {}); return boolean(all_chars(s, py_isspace)); }},
        {"isdigit", [](const std::string& s, CallArgs& a) { Params p(a, "isdigit", {}); return boolean(all_chars(s, is_digit)); }},
        {"isdecimal", [](const std::string& s, CallArgs& a) { Params p(a, "isdecimal", {}); return boolean(all_chars(s, is_digit)); }},
        {"isnumeric", [](const std::string& s, CallArgs& a) { Params p(a, "isnumeric", {}); return boolean(all_chars(s, is_digit)); }},
        {"isalpha", [](const std::string& s, CallArgs& a) { Params p(a, "isalpha", {}); return boolean(all_chars(s, is_alpha)); }},
        {"isalnum",
         [](const std::string& s, CallArgs& a) {
             Params p(a, "isalnum", {});
             return boolean(all_chars(s, [](char32_t c) { return is_alpha(c) || is_digit(c); }));
         }},
        {"islower", [](const std::string& s, CallArgs& a) { Params p(a, "islower", {}); return boolean(py_islower(s)); }},
        {"isupper", [](const std::string& s, CallArgs& a) { Params p(a, "isupper", {}); return boolean(py_isupper(s)); }},
    };
    for (const auto& [n, m] : methods) {
        if (n == name) return m;
    }
    return std::nullopt;
}

// The methods Python's str has that are not implemented here: calling one fails naming it
// instead of rendering something else.
bool is_unsupported_str_method(const std::string& name) {
    static const char* const names[] = {"format", "format_map", "zfill", "center", "ljust", "rjust", "partition",
                                        "rpartition", "expandtabs", "encode", "translate", "maketrans", "swapcase",
                                        "istitle", "isidentifier", "isprintable", "isascii"};
    return std::any_of(std::begin(names), std::end(names), [&](const char* n) { return name == n; });
}

}  // namespace

std::string strip_chars(const std::string& s, const Value* chars, bool left, bool right, const std::string& what) {
    if (chars && !is_none(*chars)) {
        const std::u32string set = u32(require_str(*chars, what));
        return py_strip(s, &set, left, right);
    }
    return py_strip(s, nullptr, left, right);
}

Value string_method(const Value& self, const std::string& name) {
    if (auto m = find_string_method(name)) {
        const std::string s = as_str(self);
        const Method method = *m;
        return function("str." + name, [s, method](Interpreter&, CallArgs& a) { return method(s, a); });
    }
    if (is_unsupported_str_method(name)) return undefined("str." + name + "() is not supported in chat templates here");
    return undefined("");
}

Value dict_method(const Value& self, const std::string& name) {
    const DictPtr d = *get<DictPtr>(self);
    if (name == "items" || name == "keys" || name == "values") {
        return function("dict." + name, [d, name](Interpreter&, CallArgs& a) {
            Params p(a, name.c_str(), {});
            std::vector<Value> out;
            for (const auto& [k, v] : d->entries) {
                if (name == "items") out.push_back(list({k, v}, true));
                else out.push_back(name == "keys" ? k : v);
            }
            return list(std::move(out));
        });
    }
    if (name == "get") {
        return function("dict.get", [d](Interpreter&, CallArgs& a) {
            Params p(a, "get", {"key", "default"});
            if (!p.get("key")) fail("get expected at least 1 argument, got 0");
            const Value* v = dict_find(*d, *p.get("key"));
            return v ? *v : p.get_or("default", none());
        });
    }
    if (name == "copy") {
        return function("dict.copy", [d](Interpreter&, CallArgs& a) {
            Params p(a, "copy", {});
            return Value{DictPtr(d)};
        });
    }
    // jinja2's ImmutableSandboxedEnvironment refuses methods that modify a dict.
    static const char* const unsafe[] = {"pop", "popitem", "setdefault", "update", "clear", "fromkeys"};
    for (const char* u : unsafe) {
        if (name == u) return undefined("access to attribute '" + name + "' of 'dict' object is unsafe.");
    }
    return undefined("");
}

// ---------------------------------------------------------------------------------------------
// Filters and tests (jinja2/filters.py, jinja2/tests.py; tojson is transformers' override).
// ---------------------------------------------------------------------------------------------

}  // namespace hubbench::tokenizer::jinja
