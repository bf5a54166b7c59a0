// Python's operators on template values (see operators.hpp).
#include "tokenizer/chat_template/operators.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include "tokenizer/chat_template/builtins.hpp"
#include "tokenizer/chat_template/python_text.hpp"
#include "tokenizer/unicode.hpp"

namespace hubbench::tokenizer::jinja {

namespace uni = unicode;

namespace {

// Python's slice.indices() and the items it selects.
std::vector<std::size_t> slice_indices(std::int64_t length, const std::optional<std::int64_t>& start_arg,
                                       const std::optional<std::int64_t>& stop_arg, std::int64_t step) {
    if (step == 0) fail("slice step cannot be zero");
    auto adjust = [&](std::optional<std::int64_t> v, std::int64_t dflt) {
        if (!v) return dflt;
        std::int64_t x = *v;
        if (x < 0) {
            x += length;
            if (x < 0) x = step < 0 ? -1 : 0;
        } else if (x >= length) {
            x = step < 0 ? length - 1 : length;
        }
        return x;
    };
    const std::int64_t start = adjust(start_arg, step < 0 ? length - 1 : 0);
    const std::int64_t stop = adjust(stop_arg, step < 0 ? -1 : length);
    std::vector<std::size_t> out;
    if (step > 0) {
        for (std::int64_t i = start; i < stop; i += step) out.push_back(static_cast<std::size_t>(i));
    } else {
        for (std::int64_t i = start; i > stop; i += step) out.push_back(static_cast<std::size_t>(i));
    }
    return out;
}

}  // namespace

// Arithmetic as Python does it on the operands jinja2 passes through: ints overflow into an error
// instead of growing, / is true division, // and % floor as Python does.
Value arith(const std::string& op, const Value& a, const Value& b) {
    if (is_undefined(a)) fail_undefined(a);
    if (is_undefined(b)) fail_undefined(b);
    auto unsupported = [&]() -> Value {
        fail("unsupported operand type(s) for " + op + ": '" + type_name(a) + "' and '" + type_name(b) + "'");
    };
    if (is_number(a) && is_number(b)) {
        const bool ints = is_intlike(a) && is_intlike(b);
        if (op == "/") {
            if (as_double(b) == 0) fail("division by zero");
            return number(as_double(a) / as_double(b));
        }
        if (ints) {
            const std::int64_t x = as_int(a), y = as_int(b);
            std::int64_t r = 0;
            bool overflow = false;
            if (op == "+") overflow = __builtin_add_overflow(x, y, &r);
            else if (op == "-") overflow = __builtin_sub_overflow(x, y, &r);
            else if (op == "*") overflow = __builtin_mul_overflow(x, y, &r);
            else if (op == "//" || op == "%") {
                if (y == 0) fail("integer division or modulo by zero");
                std::int64_t q = x / y, m = x % y;
                if (m != 0 && ((m < 0) != (y < 0))) {
                    --q;
                    m += y;
                }
                r = op == "//" ? q : m;
            } else if (op == "**") {
                if (y < 0) return number(std::pow(static_cast<double>(x), static_cast<double>(y)));
                r = 1;
                for (std::int64_t i = 0; i < y && !overflow; ++i) overflow = __builtin_mul_overflow(r, x, &r);
            }
            if (overflow) fail("integer overflow in " + op);
            return integer(r);
        }
        const double x = as_double(a), y = as_double(b);
        if (op == "+") return number(x + y);
        if (op == "-") return number(x - y);
        if (op == "*") return number(x * y);
        if (op == "//" || op == "%") {
            // CPython's float_floor_div / float_rem (_float_div_mod).
            if (y == 0) fail(op == "//" ? "float floor division by zero" : "float modulo");
            double mod = std::fmod(x, y);
            double div = (x - mod) / y;
            if (mod != 0) {
                if ((y < 0) != (mod < 0)) {
                    mod += y;
                    div -= 1.0;
                }
            } else {
                mod = std::copysign(0.0, y);
            }
            if (op == "%") return number(mod);
            double floored = std::copysign(0.0, x / y);
            if (div != 0) {
                floored = std::floor(div);
                if (div - floored > 0.5) floored += 1.0;
            }
            return number(floored);
        }
        if (op == "**") {
            if (x == 0 && y < 0) fail("0.0 cannot be raised to a negative power");
            return number(std::pow(x, y));
        }
        return unsupported();
    }
    auto repeat = [&](const Value& seq, std::int64_t times) -> Value {
        if (is_str(seq)) {
            std::string out;
            for (std::int64_t i = 0; i < times; ++i) out += as_str(seq);
            return str(std::move(out));
        }
        std::vector<Value> items;
        for (std::int64_t i = 0; i < times; ++i) {
            items.insert(items.end(), as_list(seq).items.begin(), as_list(seq).items.end());
        }
        return list(std::move(items), as_list(seq).tuple);
    };
    if (op == "+") {
        if (is_str(a) && is_str(b)) return str(as_str(a) + as_str(b));
        if (is_list(a) && is_list(b) && as_list(a).tuple == as_list(b).tuple) {
            std::vector<Value> items = as_list(a).items;
            items.insert(items.end(), as_list(b).items.begin(), as_list(b).items.end());
            return list(std::move(items), as_list(a).tuple);
        }
        if (is_str(a)) fail("can only concatenate str (not \"" + type_name(b) + "\") to str");
        if (is_list(a)) fail("can only concatenate " + type_name(a) + " (not \"" + type_name(b) + "\") to " + type_name(a));
        return unsupported();
    }
    if (op == "*") {
        if ((is_str(a) || is_list(a)) && is_intlike(b)) return repeat(a, as_int(b));
        if (is_intlike(a) && (is_str(b) || is_list(b))) return repeat(b, as_int(a));
        if (is_str(a) || is_list(a)) fail("can't multiply sequence by non-int of type '" + type_name(b) + "'");
        return unsupported();
    }
    if (op == "%" && is_str(a)) fail("the % string formatting operator is not supported in chat templates");
    return unsupported();
}


Value get_path(const Value& obj, const std::string& path) {
    Value v = obj;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = path.find('.', start);
        const std::string part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        const bool numeric = !part.empty() && std::all_of(part.begin(), part.end(), is_ascii_digit);
        v = get_item(v, numeric ? integer(std::stoll(part)) : str(part));
        if (dot == std::string::npos) return v;
        start = dot + 1;
    }
}


// obj.name: jinja2's sandboxed getattr — Python attributes (methods) first, then obj[name].
Value get_attribute(const Value& obj, const std::string& name) {
    if (is_undefined(obj)) fail_undefined(obj);
    const std::string missing = object_repr(obj) + " has no attribute '" + name + "'";
    // A method returns an undefined value with an empty hint when it has no such name, with a
    // hint when Python has it but it cannot be used here (unsafe in the sandbox, not implemented).
    auto no_such = [](const Value& m) { return is_undefined(m) && get<Undefined>(m)->hint.empty(); };
    if (is_str(obj)) {
        Value m = string_method(obj, name);
        return no_such(m) ? undefined(missing) : m;
    }
    if (is_dict(obj)) {
        Value m = dict_method(obj, name);
        if (!no_such(m)) return m;
        if (const Value* v = dict_find(as_dict(obj), str(name))) return *v;
        return undefined(missing);
    }
    if (is_namespace(obj)) {
        for (const auto& [k, v] : (*get<NamespacePtr>(obj))->attrs) {
            if (k == name) return v;
        }
    }
    return undefined(missing);
}

// obj[key]: jinja2's getitem — the item first, then (for a string key) the attribute.
Value get_item(const Value& obj, const Value& key) {
    if (is_undefined(obj)) fail_undefined(obj);
    if ((is_list(obj) || is_str(obj)) && is_intlike(key)) {
        std::int64_t i = as_int(key);
        if (is_list(obj)) {
            const auto& items = as_list(obj).items;
            const auto n = static_cast<std::int64_t>(items.size());
            if (i < 0) i += n;
            if (i >= 0 && i < n) return items[static_cast<std::size_t>(i)];
        } else {
            const std::u32string u = u32(as_str(obj));
            const auto n = static_cast<std::int64_t>(u.size());
            if (i < 0) i += n;
            if (i >= 0 && i < n) return str(uni::encode(u[static_cast<std::size_t>(i)]));
        }
        return undefined(object_repr(obj) + " has no element " + repr(key));
    }
    if (is_dict(obj)) {
        if (const Value* v = dict_find(as_dict(obj), key)) return *v;
    }
    if (is_str(key)) return get_attribute(obj, as_str(key));
    return undefined(object_repr(obj) + " has no element " + repr(key));
}

Value get_slice(const Value& obj, const Value* start, const Value* stop, const Value* step) {
    if (is_undefined(obj)) fail_undefined(obj);
    auto index = [&](const Value* v, std::optional<std::int64_t>& out) {
        if (!v || is_none(*v)) return true;
        if (!is_intlike(*v)) return false;
        out = as_int(*v);
        return true;
    };
    std::optional<std::int64_t> a, b, c;
    if (!(is_list(obj) || is_str(obj)) || !index(start, a) || !index(stop, b) || !index(step, c)) {
        return undefined(object_repr(obj) + " has no element slice");
    }
    if (is_list(obj)) {
        const auto& items = as_list(obj).items;
        std::vector<Value> out;
        for (std::size_t i : slice_indices(static_cast<std::int64_t>(items.size()), a, b, c.value_or(1))) out.push_back(items[i]);
        return list(std::move(out), as_list(obj).tuple);
    }
    const std::u32string u = u32(as_str(obj));
    std::u32string out;
    for (std::size_t i : slice_indices(static_cast<std::int64_t>(u.size()), a, b, c.value_or(1))) out.push_back(u[i]);
    return str(utf8(out));
}

}  // namespace hubbench::tokenizer::jinja
