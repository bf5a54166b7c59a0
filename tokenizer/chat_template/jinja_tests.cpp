// jinja2's tests (jinja2/tests.py): `value is name(args)` (see builtins.hpp).
#include "tokenizer/chat_template/builtins.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "tokenizer/chat_template/operators.hpp"
#include "tokenizer/chat_template/python_text.hpp"

namespace hubbench::tokenizer::jinja {

namespace {

using TestFn = bool (*)(Interpreter&, const Value&, CallArgs&);

const Value& one_arg(const CallArgs& a, const char* test) {
    if (a.positional.size() != 1 || !a.keyword.empty()) fail(std::string("the test '") + test + "' takes one argument");
    return a.positional[0];
}
void no_arg(const CallArgs& a, const char* test) {
    if (!a.positional.empty() || !a.keyword.empty()) fail(std::string("the test '") + test + "' takes no argument");
}
bool iterable_value(const Value& v) { return is_undefined(v) || is_str(v) || is_list(v) || is_dict(v); }
bool same_object(const Value& a, const Value& b) {
    if (a.data.index() != b.data.index()) return false;
    if (is_list(a)) return *get<ListPtr>(a) == *get<ListPtr>(b);
    if (is_dict(a)) return *get<DictPtr>(a) == *get<DictPtr>(b);
    return py_equal(a, b);
}
int compare_test(const Value& v, const CallArgs& a, const char* name) { return py_compare(v, one_arg(a, name), name); }
bool divisible(const Value& v, const Value& n) { return py_equal(arith("%", v, n), integer(0)); }

const std::vector<std::pair<std::string_view, TestFn>>& tests() {
    static const std::vector<std::pair<std::string_view, TestFn>> table = {
        {"defined", [](Interpreter&, const Value& v, CallArgs& a) { no_arg(a, "defined"); return !is_undefined(v); }},
        {"undefined", [](Interpreter&, const Value& v, CallArgs& a) { no_arg(a, "undefined"); return is_undefined(v); }},
        {"none", [](Interpreter&, const Value& v, CallArgs& a) { no_arg(a, "none"); return is_none(v); }},
        {"boolean", [](Interpreter&, const Value& v, CallArgs& a) { no_arg(a, "boolean"); return is_bool(v); }},
        {"false", [](Interpreter&, const Value& v, CallArgs& a) { no_arg(a, "false"); return is_bool(v) && !*get<bool>(v); }},
        {"true", [](Interpreter&, const Value& v, CallArgs& a) { no_arg(a, "true"); return is_bool(v) && *get<bool>(v); }},
        {"integer", [](Interpreter&, const Value& v, CallArgs& a) { no_arg(a, "integer"); return is_int(v); }},
        {"float", [](Interpreter&, const Value& v, CallArgs& a) { no_arg(a, "float"); return is_float(v); }},
        {"number", [](Interpreter&, const Value& v, CallArgs& a) { no_arg(a, "number"); return is_number(v); }},
        {"string", [](Interpreter&, const Value& v, CallArgs& a) { no_arg(a, "string"); return is_str(v); }},
        {"mapping", [](Interpreter&, const Value& v, CallArgs& a) { no_arg(a, "mapping"); return is_dict(v); }},
        {"iterable", [](Interpreter&, const Value& v, CallArgs& a) { no_arg(a, "iterable"); return iterable_value(v); }},
        {"sequence", [](Interpreter&, const Value& v, CallArgs& a) { no_arg(a, "sequence"); return iterable_value(v); }},
        {"callable", [](Interpreter&, const Value& v, CallArgs& a) { no_arg(a, "callable"); return is_function(v); }},
        {"sameas", [](Interpreter&, const Value& v, CallArgs& a) { return same_object(v, one_arg(a, "sameas")); }},
        {"in", [](Interpreter&, const Value& v, CallArgs& a) { return py_contains(one_arg(a, "in"), v); }},
        {"eq", [](Interpreter&, const Value& v, CallArgs& a) { return py_equal(v, one_arg(a, "eq")); }},
        {"equalto", [](Interpreter&, const Value& v, CallArgs& a) { return py_equal(v, one_arg(a, "equalto")); }},
        {"==", [](Interpreter&, const Value& v, CallArgs& a) { return py_equal(v, one_arg(a, "==")); }},
        {"ne", [](Interpreter&, const Value& v, CallArgs& a) { return !py_equal(v, one_arg(a, "ne")); }},
        {"!=", [](Interpreter&, const Value& v, CallArgs& a) { return !py_equal(v, one_arg(a, "!=")); }},
        {"lt", [](Interpreter&, const Value& v, CallArgs& a) { return compare_test(v, a, "<") < 0; }},
        {"lessthan", [](Interpreter&, const Value& v, CallArgs& a) { return compare_test(v, a, "<") < 0; }},
        {"<", [](Interpreter&, const Value& v, CallArgs& a) { return compare_test(v, a, "<") < 0; }},
        {"le", [](Interpreter&, const Value& v, CallArgs& a) { return compare_test(v, a, "<=") <= 0; }},
        {"<=", [](Interpreter&, const Value& v, CallArgs& a) { return compare_test(v, a, "<=") <= 0; }},
        {"gt", [](Interpreter&, const Value& v, CallArgs& a) { return compare_test(v, a, ">") > 0; }},
        {"greaterthan", [](Interpreter&, const Value& v, CallArgs& a) { return compare_test(v, a, ">") > 0; }},
        {">", [](Interpreter&, const Value& v, CallArgs& a) { return compare_test(v, a, ">") > 0; }},
        {"ge", [](Interpreter&, const Value& v, CallArgs& a) { return compare_test(v, a, ">=") >= 0; }},
        {">=", [](Interpreter&, const Value& v, CallArgs& a) { return compare_test(v, a, ">=") >= 0; }},
        {"odd", [](Interpreter&, const Value& v, CallArgs& a) { no_arg(a, "odd"); return py_equal(arith("%", v, integer(2)), integer(1)); }},
        {"even", [](Interpreter&, const Value& v, CallArgs& a) { no_arg(a, "even"); return divisible(v, integer(2)); }},
        {"divisibleby", [](Interpreter&, const Value& v, CallArgs& a) { return divisible(v, one_arg(a, "divisibleby")); }},
        {"lower", [](Interpreter&, const Value& v, CallArgs& a) { no_arg(a, "lower"); return py_islower(to_str(v)); }},
        {"upper", [](Interpreter&, const Value& v, CallArgs& a) { no_arg(a, "upper"); return py_isupper(to_str(v)); }},
        {"escaped", [](Interpreter&, const Value&, CallArgs& a) { no_arg(a, "escaped"); return false; }},
        {"filter",
         [](Interpreter&, const Value& v, CallArgs& a) {
             no_arg(a, "filter");
             return has_filter(to_str(v));
         }},
        {"test",
         [](Interpreter&, const Value& v, CallArgs& a) {
             no_arg(a, "test");
             return std::any_of(tests().begin(), tests().end(), [&](const auto& t) { return t.first == to_str(v); });
         }},
    };
    return table;
}

}  // namespace

bool has_test(std::string_view name) {
    return std::any_of(tests().begin(), tests().end(), [&](const auto& t) { return t.first == name; });
}

bool Interpreter::test(const std::string& name, const Value& value, CallArgs& args) {
    for (const auto& [n, fn] : tests()) {
        if (n == name) return fn(*this, value, args);
    }
    fail("No test named '" + name + "'.");
}

}  // namespace hubbench::tokenizer::jinja
