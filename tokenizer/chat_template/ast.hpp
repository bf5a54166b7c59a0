// The syntax tree of a chat template: expressions (Expr) and statements (Node), as the parser
// builds them and the interpreter walks them. Offsets are byte offsets into the normalised source,
// for error messages.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tokenizer/chat_template/value.hpp"

namespace hubbench::tokenizer::jinja {

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;
enum class ExprKind {
    constant, name, nsref, list, tuple, dict, getattr, getitem, slice, call, filter, test, unary, binary, concat,
    compare, condexpr, and_, or_
};
struct Expr {
    ExprKind kind;
    std::size_t offset = 0;
    Value value;            // constant
    std::string name;       // variable, attribute, filter, test or operator; nsref: the namespace
    std::string attribute;  // nsref: the attribute
    // Operands. getattr: object; getitem: object, key; slice: object, start, stop, step (null when
    // left out); call: callee, positional...; filter/test: value (null in a filter block), args...;
    // dict: key, value, key, value...; condexpr: then, condition, else (may be null).
    std::vector<ExprPtr> args;
    std::vector<std::pair<std::string, ExprPtr>> kwargs;
    std::vector<std::string> ops;  // compare: one per operand after the first
    bool negated = false;          // test: `is not`
    ExprPtr star_args, star_kwargs;  // call, filter, test: f(*args, **kwargs)
};

inline ExprPtr make_expr(ExprKind kind, std::size_t offset) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->offset = offset;
    return e;
}

struct Node;
using NodePtr = std::unique_ptr<Node>;
using Body = std::vector<NodePtr>;
enum class NodeKind {
    data, output, if_, for_, set, set_block, macro, call_block, break_, continue_, with, filter_block, generation
};
struct Node {
    NodeKind kind;
    std::size_t offset = 0;
    std::string text;   // data; macro: its name
    ExprPtr expr;       // output, set value, for iterable, filter chain of set_block / filter_block
    ExprPtr target;     // set, set_block, for
    ExprPtr condition;  // for: the `if` that filters items
    std::vector<std::pair<ExprPtr, Body>> branches;  // if, elif...
    Body body, else_body;
    std::vector<std::pair<std::string, ExprPtr>> params;   // macro, call_block's caller (default may be null)
    std::vector<std::pair<ExprPtr, ExprPtr>> assignments;  // with
    // macro: whether its body reads varargs / kwargs / caller (jinja2 then accepts extra arguments)
    bool uses_varargs = false, uses_kwargs = false, uses_caller = false;
};

inline NodePtr make_node(NodeKind kind, std::size_t offset) {
    auto n = std::make_unique<Node>();
    n->kind = kind;
    n->offset = offset;
    return n;
}

}  // namespace hubbench::tokenizer::jinja
