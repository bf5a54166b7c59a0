// Python's semantics of template values (see value.hpp).
#include "tokenizer/chat_template/value.hpp"

#include <algorithm>

#include "tokenizer/chat_template/python_text.hpp"
#include "tokenizer/unicode.hpp"

namespace hubbench::tokenizer::jinja {

namespace uni = unicode;

std::string type_name(const Value& v) {
    switch (v.data.index()) {
        case 0: return "Undefined";
        case 1: return "NoneType";
        case 2: return "bool";
        case 3: return "int";
        case 4: return "float";
        case 5: return "str";
        case 6: return as_list(v).tuple ? "tuple" : "list";
        case 7: return "dict";
        case 8: return "Namespace";
        default: return "function";
    }
}
std::string object_repr(const Value& v) { return is_none(v) ? "'None'" : "'" + type_name(v) + " object'"; }

bool truthy(const Value& v) {
    switch (v.data.index()) {
        case 0: return false;
        case 1: return false;
        case 2: return *get<bool>(v);
        case 3: return *get<std::int64_t>(v) != 0;
        case 4: return *get<double>(v) != 0;
        case 5: return !as_str(v).empty();
        case 6: return !as_list(v).items.empty();
        case 7: return !as_dict(v).entries.empty();
        default: return true;
    }
}

std::string to_str(const Value& v) {
    switch (v.data.index()) {
        case 0: return "";
        case 5: return as_str(v);
        default: return repr(v);
    }
}


std::string repr(const Value& v, int depth) {
    if (depth > max_nesting) fail("a value nests too deeply to print");
    switch (v.data.index()) {
        case 0: return "";
        case 1: return "None";
        case 2: return *get<bool>(v) ? "True" : "False";
        case 3: return std::to_string(*get<std::int64_t>(v));
        case 4: return py_repr_float(*get<double>(v));
        case 5: return py_repr_str(as_str(v));
        case 6: {
            const auto& l = as_list(v);
            std::string out(1, l.tuple ? '(' : '[');
            for (std::size_t i = 0; i < l.items.size(); ++i) {
                if (i) out += ", ";
                out += repr(l.items[i], depth + 1);
            }
            if (l.tuple && l.items.size() == 1) out += ",";
            out.push_back(l.tuple ? ')' : ']');
            return out;
        }
        case 7: {
            std::string out = "{";
            bool first = true;
            for (const auto& [k, val] : as_dict(v).entries) {
                if (!first) out += ", ";
                first = false;
                out += repr(k, depth + 1) + ": " + repr(val, depth + 1);
            }
            return out + "}";
        }
        case 8: {
            // jinja2.utils.Namespace.__repr__
            std::string out = "<Namespace {";
            bool first = true;
            for (const auto& [k, val] : (*get<NamespacePtr>(v))->attrs) {
                if (!first) out += ", ";
                first = false;
                out += py_repr_str(k) + ": " + repr(val, depth + 1);
            }
            return out + "}>";
        }
        default: return "<function " + (*get<FunctionPtr>(v))->name + ">";
    }
}


const Value* dict_find(const DictData& d, const Value& key) {
    for (const auto& [k, v] : d.entries) {
        if (py_equal(k, key)) return &v;
    }
    return nullptr;
}

// ==: Undefined equals only Undefined; numbers compare across int, float and bool; a list never
// equals a tuple; dicts compare as mappings.
bool py_equal(const Value& a, const Value& b) {
    if (is_undefined(a) || is_undefined(b)) return is_undefined(a) && is_undefined(b);
    if (is_number(a) && is_number(b)) {
        if (is_intlike(a) && is_intlike(b)) return as_int(a) == as_int(b);
        return as_double(a) == as_double(b);
    }
    if (a.data.index() != b.data.index()) return false;
    if (is_none(a)) return true;
    if (is_str(a)) return as_str(a) == as_str(b);
    if (is_list(a)) {
        const auto &x = as_list(a), &y = as_list(b);
        if (x.tuple != y.tuple || x.items.size() != y.items.size()) return false;
        for (std::size_t i = 0; i < x.items.size(); ++i) {
            if (!py_equal(x.items[i], y.items[i])) return false;
        }
        return true;
    }
    if (is_dict(a)) {
        const auto &x = as_dict(a), &y = as_dict(b);
        if (x.entries.size() != y.entries.size()) return false;
        for (const auto& [k, v] : x.entries) {
            const Value* w = dict_find(y, k);
            if (!w || !py_equal(v, *w)) return false;
        }
        return true;
    }
    if (is_namespace(a)) return *get<NamespacePtr>(a) == *get<NamespacePtr>(b);
    return *get<FunctionPtr>(a) == *get<FunctionPtr>(b);
}

// Ordering (<, <=, >, >=, sort, max): numbers, strings (code point order, which byte order of
// UTF-8 preserves) and lists/tuples element by element; anything else is Python's TypeError.
int py_compare(const Value& a, const Value& b, std::string_view op) {
    if (is_undefined(a)) fail_undefined(a);
    if (is_undefined(b)) fail_undefined(b);
    if (is_number(a) && is_number(b)) {
        if (is_intlike(a) && is_intlike(b)) {
            const auto x = as_int(a), y = as_int(b);
            return x < y ? -1 : (x > y ? 1 : 0);
        }
        const double x = as_double(a), y = as_double(b);
        return x < y ? -1 : (x > y ? 1 : 0);
    }
    if (is_str(a) && is_str(b)) {
        const int c = as_str(a).compare(as_str(b));
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    if (is_list(a) && is_list(b) && as_list(a).tuple == as_list(b).tuple) {
        const auto &x = as_list(a).items, &y = as_list(b).items;
        for (std::size_t i = 0; i < x.size() && i < y.size(); ++i) {
            if (!py_equal(x[i], y[i])) return py_compare(x[i], y[i], op);
        }
        return x.size() < y.size() ? -1 : (x.size() > y.size() ? 1 : 0);
    }
    fail("'" + std::string(op) + "' not supported between instances of '" + type_name(a) + "' and '" + type_name(b) +
         "'");
}

// iter(x): the items a for loop, list() or join sees. Undefined iterates as empty.
std::vector<Value> iterate(const Value& v) {
    switch (v.data.index()) {
        case 0: return {};
        case 5: {
            std::vector<Value> out;
            for (char32_t c : u32(as_str(v))) out.push_back(str(uni::encode(c)));
            return out;
        }
        case 6: return as_list(v).items;
        case 7: {
            std::vector<Value> out;
            for (const auto& [k, val] : as_dict(v).entries) out.push_back(k);
            return out;
        }
        default: fail("'" + type_name(v) + "' object is not iterable");
    }
}

std::int64_t py_len(const Value& v) {
    switch (v.data.index()) {
        case 0: return 0;
        case 5: return static_cast<std::int64_t>(uni::count_chars(as_str(v)));
        case 6: return static_cast<std::int64_t>(as_list(v).items.size());
        case 7: return static_cast<std::int64_t>(as_dict(v).entries.size());
        default: fail("object of type '" + type_name(v) + "' has no len()");
    }
}

// `item in container`.
bool py_contains(const Value& container, const Value& item) {
    switch (container.data.index()) {
        case 0: return false;
        case 5:
            if (!is_str(item)) fail("'in <string>' requires string as left operand, not " + type_name(item));
            return as_str(container).find(as_str(item)) != std::string::npos;
        case 6:
            for (const auto& x : as_list(container).items) {
                if (py_equal(x, item)) return true;
            }
            return false;
        case 7: return dict_find(as_dict(container), item) != nullptr;
        default: fail("argument of type '" + type_name(container) + "' is not iterable");
    }
}

void check_namespace_attribute(std::string_view name) {
    if (!name.empty() && name[0] == '_') {
        fail("Chat templates cannot store underscore-prefixed attributes on a namespace, but got '" + std::string(name) + "'");
    }
}

Params::Params(const CallArgs& args, std::string_view function, std::initializer_list<std::string_view> names)
    : names_(names), bound_(names.size(), nullptr) {
    if (args.positional.size() > names_.size()) {
        fail(std::string(function) + "() takes at most " + std::to_string(names_.size()) + " argument(s), " +
             std::to_string(args.positional.size()) + " given");
    }
    for (std::size_t i = 0; i < args.positional.size(); ++i) bound_[i] = &args.positional[i];
    for (const auto& [key, value] : args.keyword) {
        const auto it = std::find(names_.begin(), names_.end(), key);
        if (it == names_.end()) fail(std::string(function) + "() got an unexpected keyword argument '" + key + "'");
        const auto i = static_cast<std::size_t>(it - names_.begin());
        if (bound_[i]) fail(std::string(function) + "() got multiple values for argument '" + key + "'");
        bound_[i] = &value;
    }
}

const Value* Params::get(std::string_view name) const {
    const auto it = std::find(names_.begin(), names_.end(), name);
    return bound_[static_cast<std::size_t>(it - names_.begin())];
}

Value Params::get_or(std::string_view name, Value fallback) const {
    const Value* v = get(name);
    return v ? *v : std::move(fallback);
}

const std::string& require_str(const Value& v, std::string_view what) {
    if (!is_str(v)) fail(std::string(what) + " must be str, not " + type_name(v));
    return as_str(v);
}
std::int64_t require_int(const Value& v, std::string_view what) {
    if (!is_intlike(v)) fail(std::string(what) + " must be an integer, not " + type_name(v));
    return as_int(v);
}

}  // namespace hubbench::tokenizer::jinja
