// The operators of template expressions on values, as Python (through jinja2's sandbox) applies
// them: arithmetic (+ - * / // % **), attribute access (.), subscripts ([]) and slices.
#pragma once
#include <string>

#include "tokenizer/chat_template/value.hpp"

namespace hubbench::tokenizer::jinja {

// a <op> b for op one of + - * / // % **.
Value arith(const std::string& op, const Value& a, const Value& b);
// obj.name: jinja2's sandboxed getattr — Python attributes (methods) first, then obj[name].
Value get_attribute(const Value& obj, const std::string& name);
// obj[key]: jinja2's getitem — the item first, then (for a string key) the attribute.
Value get_item(const Value& obj, const Value& key);
// obj[start:stop:step]; a null or None part is left out.
Value get_slice(const Value& obj, const Value* start, const Value* stop, const Value* step);
// jinja2's make_attrgetter: "a.b.0" looks up a, then b, then item 0 (each as getitem does).
Value get_path(const Value& obj, const std::string& path);

}  // namespace hubbench::tokenizer::jinja
