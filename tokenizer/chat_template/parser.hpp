// The chat-template parser: jinja2/parser.py's grammar, from tokens to the syntax tree (ast.hpp).
// Statements (the tags: for, if, set, macro, call, with, filter, generation...) are parsed in
// parser.cpp, expressions in expression_parser.cpp. Precedence, loosest first: `a if b else c`,
// or, and, not, comparisons (in, not in, chained ==...), + -, ~, * / // %, **, unary - +, then
// postfix . [] () and, binding tightest, filters `|` and tests `is`.
#pragma once
#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tokenizer/chat_template/ast.hpp"
#include "tokenizer/chat_template/lexer.hpp"

namespace hubbench::tokenizer::jinja {

class Parser {
public:
    explicit Parser(std::vector<Token> tokens) : t_(std::move(tokens)) {}

    // The whole template. Throws SyntaxError.
    Body parse_template() {
        std::string found;
        return subparse({}, found);
    }

private:
    // A block being parsed, for "'for' is never closed" and "unexpected 'endif'" errors.
    struct OpenBlock {
        std::string tag;
        std::size_t offset;
        std::string expected;  // its end tags, as an error names them
    };
    std::vector<Token> t_;
    std::size_t i_ = 0;        // the current token
    int loop_depth_ = 0;       // for loops around here ({% break %} and {% continue %} need one)
    int depth_ = 0;            // nesting, see Nest
    std::vector<OpenBlock> open_;

    // Expressions and blocks nested deeper than this are an error rather than a stack overflow
    // (jinja2 stops at Python's recursion limit).
    struct Nest {
        Parser& parser;
        explicit Nest(Parser& p) : parser(p) {
            if (++parser.depth_ > 300) parser.fail("the template nests too deeply");
        }
        ~Nest() { --parser.depth_; }
        Nest(const Nest&) = delete;
        Nest& operator=(const Nest&) = delete;
    };

    const Token& cur() const { return t_[i_]; }
    const Token& look() const { return t_[std::min(i_ + 1, t_.size() - 1)]; }
    void advance() {
        if (t_[i_].type != Tok::eof) ++i_;
    }
    bool is_name(std::string_view n) const { return cur().type == Tok::name && cur().text == n; }
    bool is_op(std::string_view o) const { return cur().type == Tok::op && cur().text == o; }
    bool skip_name(std::string_view n) {
        if (!is_name(n)) return false;
        advance();
        return true;
    }
    bool skip_op(std::string_view o) {
        if (!is_op(o)) return false;
        advance();
        return true;
    }
    [[noreturn]] void fail(const std::string& message) const { throw SyntaxError{message, cur().offset}; }
    [[noreturn]] void fail_at(const std::string& message, std::size_t offset) const { throw SyntaxError{message, offset}; }
    void expect_op(std::string_view o) {
        if (!skip_op(o)) fail("expected '" + std::string(o) + "', got " + describe(cur()));
    }
    std::string expect_name() {
        if (cur().type != Tok::name) fail("expected a name, got " + describe(cur()));
        std::string n = cur().text;
        advance();
        return n;
    }
    void expect_block_end() {
        if (cur().type != Tok::block_end) fail("expected '%}', got " + describe(cur()));
        advance();
    }

    // Statements (parser.cpp).
    // The statements until one of `end_tags` ({% endif %}, {% else %}...), whose name is consumed
    // and returned in `found` (the rest of that tag is left to the caller).
    Body subparse(const std::vector<std::string_view>& end_tags, std::string& found);
    // The body of the block `tag` opened at `offset`; `expected` names its end tags for errors.
    Body parse_block_body(const std::string& tag, std::size_t offset, std::vector<std::string_view> end_tags,
                          std::string expected, std::string& found);
    // The body of the block `tag` up to its {% end<tag> %}, whose name is consumed (not the '%}').
    Body parse_body_to_end(const std::string& tag, std::size_t offset);
    // The same for a macro or {% call %} body, where {% break %} cannot reach an enclosing loop.
    Body parse_function_body(const std::string& tag, std::size_t offset);
    NodePtr parse_statement(const std::string& tag, std::size_t offset);
    NodePtr parse_for(std::size_t offset);
    NodePtr parse_if(std::size_t offset);
    NodePtr parse_set(std::size_t offset);
    NodePtr parse_macro(std::size_t offset);
    NodePtr parse_call_block(std::size_t offset);
    void parse_signature(Node& n);
    NodePtr parse_with(std::size_t offset);
    NodePtr parse_filter_block(std::size_t offset);
    NodePtr parse_simple_block(NodeKind kind, const std::string& tag, std::size_t offset);
    static bool assignable(const Expr& e);
    ExprPtr parse_assign_target(bool with_tuple, bool name_only, std::vector<std::string_view> extra_end,
                                bool with_namespace);

    // Expressions (expression_parser.cpp), from the loosest binding to the tightest.
    bool is_tuple_end(const std::vector<std::string_view>& extra_end) const;
    ExprPtr parse_tuple(bool simplified, bool with_condexpr, std::vector<std::string_view> extra_end,
                        bool explicit_parentheses, bool with_namespace);
    ExprPtr parse_expression(bool with_condexpr);
    ExprPtr parse_condexpr();
    ExprPtr binary(ExprKind kind, std::string op, ExprPtr left, ExprPtr right, std::size_t offset);
    // `operand (op operand)*`, left-associative, for the operators `ops` (names for or / and).
    template <class Operand>
    ExprPtr parse_left_assoc(ExprKind kind, std::initializer_list<std::string_view> ops, Operand operand);
    ExprPtr parse_or();
    ExprPtr parse_and();
    ExprPtr parse_not();
    ExprPtr parse_compare();
    ExprPtr parse_math1();  // + -
    ExprPtr parse_concat();
    ExprPtr parse_math2();  // * / // %
    ExprPtr parse_pow();
    ExprPtr parse_unary(bool with_filter);
    ExprPtr parse_primary(bool with_namespace);
    ExprPtr parse_postfix(ExprPtr node);
    ExprPtr parse_filter_expr(ExprPtr node);
    ExprPtr parse_subscript(ExprPtr node);
    ExprPtr parse_subscribed();
    void parse_call_args(Expr& into);
    ExprPtr parse_call(ExprPtr node);
    ExprPtr parse_filter(ExprPtr node, bool start_inline);
    ExprPtr parse_test(ExprPtr node);
};

}  // namespace hubbench::tokenizer::jinja
