// Values: what a Python object is to a template (jinja2 passes Python objects around), with the
// Python semantics templates rely on: truth, str() and repr(), ==, ordering, iteration, len() and
// `in`. Also how a call's arguments arrive (CallArgs) and are bound to parameter names (Params),
// and TemplateFailure, what every error raised while rendering is.
#pragma once
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace hubbench::tokenizer::jinja {

// A failure while rendering (jinja2's UndefinedError, TypeError, raise_exception's TemplateError...);
// the interpreter adds the template name, line and column.
struct TemplateFailure {
    std::string message;
};

[[noreturn]] inline void fail(std::string message) { throw TemplateFailure{std::move(message)}; }

struct Value;
struct ListData;
struct DictData;
struct NamespaceData;
struct Function;
using ListPtr = std::shared_ptr<const ListData>;
using DictPtr = std::shared_ptr<const DictData>;
using NamespacePtr = std::shared_ptr<NamespaceData>;
using FunctionPtr = std::shared_ptr<const Function>;

// jinja2's Undefined: `hint` is the message an operation on it raises (UndefinedError).
struct Undefined {
    std::string hint;
};
struct None {};

// The order of the alternatives is Python's type order used by the switches on data.index() in
// value.cpp and value_json.cpp: 0 Undefined, 1 None, 2 bool, 3 int, 4 float, 5 str, 6 list/tuple,
// 7 dict, 8 namespace, 9 function.
struct Value {
    std::variant<Undefined, None, bool, std::int64_t, double, std::string, ListPtr, DictPtr, NamespacePtr, FunctionPtr>
        data;
};

// Lists and tuples (immutable in the sandbox, so shared); `tuple` only changes how they print.
struct ListData {
    std::vector<Value> items;
    bool tuple = false;
};
// A dict, in insertion order like Python's.
struct DictData {
    std::vector<std::pair<Value, Value>> entries;
};
// namespace(): the one mutable object ({% set ns.x = ... %}).
struct NamespaceData {
    std::vector<std::pair<std::string, Value>> attrs;
};

class Interpreter;
// The arguments of a call: f(a, b, key=c).
struct CallArgs {
    std::vector<Value> positional;
    std::vector<std::pair<std::string, Value>> keyword;
};
// A callable: a macro, a global (range, namespace...), a bound method, loop.cycle.
struct Function {
    std::string name;
    std::function<Value(Interpreter&, CallArgs&)> call;
};

inline Value undefined(std::string hint) { return Value{Undefined{std::move(hint)}}; }
inline Value none() { return Value{None{}}; }
inline Value boolean(bool b) { return Value{b}; }
inline Value integer(std::int64_t i) { return Value{i}; }
inline Value number(double d) { return Value{d}; }
inline Value str(std::string s) { return Value{std::move(s)}; }
inline Value list(std::vector<Value> items, bool tuple = false) {
    auto data = std::make_shared<ListData>();
    data->items = std::move(items);
    data->tuple = tuple;
    return Value{ListPtr(std::move(data))};
}
inline Value dict(std::vector<std::pair<Value, Value>> entries) {
    auto data = std::make_shared<DictData>();
    data->entries = std::move(entries);
    return Value{DictPtr(std::move(data))};
}
inline Value function(std::string name, std::function<Value(Interpreter&, CallArgs&)> call) {
    return Value{FunctionPtr(std::make_shared<Function>(Function{std::move(name), std::move(call)}))};
}

// The alternative T of v, or null.
template <class T>
const T* get(const Value& v) {
    return std::get_if<T>(&v.data);
}
inline bool is_undefined(const Value& v) { return get<Undefined>(v) != nullptr; }
inline bool is_none(const Value& v) { return get<None>(v) != nullptr; }
inline bool is_bool(const Value& v) { return get<bool>(v) != nullptr; }
inline bool is_int(const Value& v) { return get<std::int64_t>(v) != nullptr; }
inline bool is_float(const Value& v) { return get<double>(v) != nullptr; }
inline bool is_str(const Value& v) { return get<std::string>(v) != nullptr; }
inline bool is_list(const Value& v) { return get<ListPtr>(v) != nullptr; }
inline bool is_dict(const Value& v) { return get<DictPtr>(v) != nullptr; }
inline bool is_namespace(const Value& v) { return get<NamespacePtr>(v) != nullptr; }
inline bool is_function(const Value& v) { return get<FunctionPtr>(v) != nullptr; }
// bool is an int in Python (True + 1 == 2, [1, 2][True] == 2).
inline bool is_intlike(const Value& v) { return is_int(v) || is_bool(v); }
inline bool is_number(const Value& v) { return is_intlike(v) || is_float(v); }
inline std::int64_t as_int(const Value& v) { return is_bool(v) ? (*get<bool>(v) ? 1 : 0) : *get<std::int64_t>(v); }
inline double as_double(const Value& v) { return is_float(v) ? *get<double>(v) : static_cast<double>(as_int(v)); }
inline const std::string& as_str(const Value& v) { return *get<std::string>(v); }
inline const ListData& as_list(const Value& v) { return **get<ListPtr>(v); }
inline const DictData& as_dict(const Value& v) { return **get<DictPtr>(v); }

[[noreturn]] inline void fail_undefined(const Value& v) { fail(get<Undefined>(v)->hint); }

// type(x).__name__, for messages.
std::string type_name(const Value& v);
// jinja2's object_type_repr: "'dict object'", "'None'".
std::string object_repr(const Value& v);
bool truthy(const Value& v);
// str(x) as Python prints it; an undefined value prints as "" (jinja2's Undefined.__str__).
std::string to_str(const Value& v);
std::string repr(const Value& v, int depth = 0);

// Nested values deeper than this fail instead of exhausting the stack (Python's RecursionError).
constexpr int max_nesting = 500;

// d[key] in a dict, or null.
const Value* dict_find(const DictData& d, const Value& key);
// ==: Undefined equals only Undefined; numbers compare across int, float and bool; a list never
// equals a tuple; dicts compare as mappings.
bool py_equal(const Value& a, const Value& b);
// Ordering (<, <=, >, >=, sort, max): -1, 0 or 1; `op` names the operator in the TypeError.
int py_compare(const Value& a, const Value& b, std::string_view op);
// iter(x): the items a for loop, list() or join sees. Undefined iterates as empty.
std::vector<Value> iterate(const Value& v);
std::int64_t py_len(const Value& v);
// `item in container`.
bool py_contains(const Value& container, const Value& item);

// transformers' TemplateNamespace._check_name: no underscore-prefixed attributes on a namespace.
void check_namespace_attribute(std::string_view name);

// Binds a call's arguments to parameter names, as Python does (positional, then keywords).
class Params {
public:
    Params(const CallArgs& args, std::string_view function, std::initializer_list<std::string_view> names);
    // The argument bound to `name` (one of the names given), or null when it was not passed.
    const Value* get(std::string_view name) const;
    Value get_or(std::string_view name, Value fallback) const;

private:
    std::vector<std::string_view> names_;
    std::vector<const Value*> bound_;
};

// The argument as a str / an int (a bool counts), or a TypeError naming `what`.
const std::string& require_str(const Value& v, std::string_view what);
std::int64_t require_int(const Value& v, std::string_view what);

}  // namespace hubbench::tokenizer::jinja
