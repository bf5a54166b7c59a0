// What the template environment provides besides the language itself: the methods of str and
// dict that templates call (methods.cpp), jinja2's filters (filters.cpp) and tests
// (jinja_tests.cpp), and the globals (globals.cpp). Interpreter::filter and Interpreter::test look
// filters and tests up by name.
#pragma once
#include <string>
#include <string_view>

#include "tokenizer/chat_template/interpreter.hpp"
#include "tokenizer/chat_template/value.hpp"

namespace hubbench::tokenizer::jinja {

// self.name for a str / a dict: the bound method as a function. An undefined value with an empty
// hint when Python has no such method, with a hint when it has one that cannot be used here
// (unsafe in the sandbox, or not implemented).
Value string_method(const Value& self, const std::string& name);
Value dict_method(const Value& self, const std::string& name);

// str.strip(chars) (lstrip, rstrip with `left` / `right`) with `chars` as a template passes it:
// null or None strips whitespace; otherwise it must be a str, or a TypeError names `what`.
std::string strip_chars(const std::string& s, const Value* chars, bool left, bool right, const std::string& what);

// Whether a filter / a test of that name exists (the `filter` and `test` tests).
bool has_filter(std::string_view name);
bool has_test(std::string_view name);

// The globals every render starts from: range, namespace, dict, raise_exception, strftime_now.
ScopePtr make_globals();

}  // namespace hubbench::tokenizer::jinja
