// The expressions of a chat template (see parser.hpp): one function a precedence level, each
// calling the next tighter one, as jinja2/parser.py does.
#include "tokenizer/chat_template/parser.hpp"

namespace hubbench::tokenizer::jinja {

bool Parser::is_tuple_end(const std::vector<std::string_view>& extra_end) const {
    if (cur().type == Tok::var_end || cur().type == Tok::block_end || is_op(")")) return true;
    return cur().type == Tok::name && std::find(extra_end.begin(), extra_end.end(), cur().text) != extra_end.end();
}

ExprPtr Parser::parse_tuple(bool simplified, bool with_condexpr, std::vector<std::string_view> extra_end,
                            bool explicit_parentheses, bool with_namespace) {
    const std::size_t offset = cur().offset;
    std::vector<ExprPtr> items;
    bool is_tuple = false;
    while (true) {
        if (!items.empty()) expect_op(",");
        if (is_tuple_end(extra_end)) break;
        items.push_back(simplified ? parse_primary(with_namespace) : parse_expression(with_condexpr));
        if (is_op(",")) is_tuple = true;
        else break;
    }
    if (!is_tuple) {
        if (!items.empty()) return std::move(items[0]);
        if (!explicit_parentheses) fail("expected an expression, got " + describe(cur()));
    }
    auto t = make_expr(ExprKind::tuple, offset);
    t->args = std::move(items);
    return t;
}

ExprPtr Parser::parse_expression(bool with_condexpr) {
    const Nest nest(*this);
    return with_condexpr ? parse_condexpr() : parse_or();
}

ExprPtr Parser::parse_condexpr() {
    ExprPtr expr = parse_or();
    while (is_name("if")) {
        const std::size_t offset = cur().offset;
        advance();
        ExprPtr condition = parse_or();
        ExprPtr otherwise = skip_name("else") ? parse_condexpr() : nullptr;
        auto c = make_expr(ExprKind::condexpr, offset);
        c->args.push_back(std::move(expr));
        c->args.push_back(std::move(condition));
        c->args.push_back(std::move(otherwise));
        expr = std::move(c);
    }
    return expr;
}

ExprPtr Parser::binary(ExprKind kind, std::string op, ExprPtr left, ExprPtr right, std::size_t offset) {
    auto e = make_expr(kind, offset);
    e->name = std::move(op);
    e->args.push_back(std::move(left));
    e->args.push_back(std::move(right));
    return e;
}

template <class Operand>
ExprPtr Parser::parse_left_assoc(ExprKind kind, std::initializer_list<std::string_view> ops, Operand operand) {
    ExprPtr left = operand();
    while (std::any_of(ops.begin(), ops.end(), [&](std::string_view op) { return is_op(op) || is_name(op); })) {
        const std::string op = cur().text;
        const std::size_t offset = cur().offset;
        advance();
        left = binary(kind, op, std::move(left), operand(), offset);
    }
    return left;
}

ExprPtr Parser::parse_or() {
    return parse_left_assoc(ExprKind::or_, {"or"}, [this] { return parse_and(); });
}

ExprPtr Parser::parse_and() {
    return parse_left_assoc(ExprKind::and_, {"and"}, [this] { return parse_not(); });
}

ExprPtr Parser::parse_not() {
    const Nest nest(*this);
    if (is_name("not")) {
        auto e = make_expr(ExprKind::unary, cur().offset);
        advance();
        e->name = "not";
        e->args.push_back(parse_not());
        return e;
    }
    return parse_compare();
}

ExprPtr Parser::parse_compare() {
    const std::size_t offset = cur().offset;
    ExprPtr expr = parse_math1();
    auto c = make_expr(ExprKind::compare, offset);
    while (true) {
        static const char* const ops[] = {"==", "!=", "<", "<=", ">", ">="};
        std::string op;
        for (const char* o : ops) {
            if (is_op(o)) op = o;
        }
        if (!op.empty()) {
            advance();
        } else if (skip_name("in")) {
            op = "in";
        } else if (is_name("not") && look().type == Tok::name && look().text == "in") {
            advance();
            advance();
            op = "notin";
        } else {
            break;
        }
        c->ops.push_back(op);
        c->args.push_back(parse_math1());
    }
    if (c->ops.empty()) return expr;
    c->args.insert(c->args.begin(), std::move(expr));
    return c;
}

ExprPtr Parser::parse_math1() {
    return parse_left_assoc(ExprKind::binary, {"+", "-"}, [this] { return parse_concat(); });
}

ExprPtr Parser::parse_concat() {
    const std::size_t offset = cur().offset;
    ExprPtr first = parse_math2();
    if (!is_op("~")) return first;
    auto c = make_expr(ExprKind::concat, offset);
    c->args.push_back(std::move(first));
    while (skip_op("~")) c->args.push_back(parse_math2());
    return c;
}

ExprPtr Parser::parse_math2() {
    return parse_left_assoc(ExprKind::binary, {"*", "/", "//", "%"}, [this] { return parse_pow(); });
}

ExprPtr Parser::parse_pow() {
    return parse_left_assoc(ExprKind::binary, {"**"}, [this] { return parse_unary(true); });
}

ExprPtr Parser::parse_unary(bool with_filter) {
    const Nest nest(*this);
    ExprPtr node;
    if (is_op("-") || is_op("+")) {
        auto e = make_expr(ExprKind::unary, cur().offset);
        e->name = cur().text;
        advance();
        e->args.push_back(parse_unary(false));
        node = std::move(e);
    } else {
        node = parse_primary(false);
    }
    node = parse_postfix(std::move(node));
    if (with_filter) node = parse_filter_expr(std::move(node));
    return node;
}

ExprPtr Parser::parse_primary(bool with_namespace) {
    const Token& tok = cur();
    const std::size_t offset = tok.offset;
    if (tok.type == Tok::name) {
        advance();
        auto e = make_expr(ExprKind::constant, offset);
        if (tok.text == "true" || tok.text == "True") e->value = boolean(true);
        else if (tok.text == "false" || tok.text == "False") e->value = boolean(false);
        else if (tok.text == "none" || tok.text == "None") e->value = none();
        else if (with_namespace && is_op(".")) {
            advance();
            e->kind = ExprKind::nsref;
            e->name = tok.text;
            e->attribute = expect_name();
        } else {
            e->kind = ExprKind::name;
            e->name = tok.text;
        }
        return e;
    }
    if (tok.type == Tok::string) {
        // Adjacent string literals concatenate: 'a' "b" is 'ab'.
        std::string text;
        while (cur().type == Tok::string) {
            text += cur().text;
            advance();
        }
        auto e = make_expr(ExprKind::constant, offset);
        e->value = str(std::move(text));
        return e;
    }
    if (tok.type == Tok::integer || tok.type == Tok::floating) {
        auto e = make_expr(ExprKind::constant, offset);
        e->value = tok.type == Tok::integer ? integer(tok.int_value) : number(tok.float_value);
        advance();
        return e;
    }
    if (is_op("(")) {
        advance();
        ExprPtr e = parse_tuple(false, true, {}, true, false);
        expect_op(")");
        return e;
    }
    if (is_op("[")) {
        advance();
        auto e = make_expr(ExprKind::list, offset);
        while (!is_op("]")) {
            if (!e->args.empty()) expect_op(",");
            if (is_op("]")) break;
            e->args.push_back(parse_expression(true));
        }
        expect_op("]");
        return e;
    }
    if (is_op("{")) {
        advance();
        auto e = make_expr(ExprKind::dict, offset);
        while (!is_op("}")) {
            if (!e->args.empty()) expect_op(",");
            if (is_op("}")) break;
            e->args.push_back(parse_expression(true));
            expect_op(":");
            e->args.push_back(parse_expression(true));
        }
        expect_op("}");
        return e;
    }
    fail("expected an expression, got " + describe(tok));
}

ExprPtr Parser::parse_postfix(ExprPtr node) {
    while (true) {
        if (is_op(".") || is_op("[")) node = parse_subscript(std::move(node));
        else if (is_op("(")) node = parse_call(std::move(node));
        else return node;
    }
}

ExprPtr Parser::parse_filter_expr(ExprPtr node) {
    while (true) {
        if (is_op("|")) node = parse_filter(std::move(node), false);
        else if (is_name("is")) node = parse_test(std::move(node));
        else if (is_op("(")) node = parse_call(std::move(node));
        else return node;
    }
}

ExprPtr Parser::parse_subscript(ExprPtr node) {
    const std::size_t offset = cur().offset;
    if (skip_op(".")) {
        const Token& attr = cur();
        if (attr.type == Tok::name) {
            auto e = make_expr(ExprKind::getattr, offset);
            e->name = attr.text;
            e->args.push_back(std::move(node));
            advance();
            return e;
        }
        if (attr.type != Tok::integer) fail("expected a name or a number after '.', got " + describe(attr));
        auto key = make_expr(ExprKind::constant, attr.offset);
        key->value = integer(attr.int_value);
        advance();
        auto e = make_expr(ExprKind::getitem, offset);
        e->args.push_back(std::move(node));
        e->args.push_back(std::move(key));
        return e;
    }
    expect_op("[");
    std::vector<ExprPtr> keys;
    while (!is_op("]")) {
        if (!keys.empty()) expect_op(",");
        keys.push_back(parse_subscribed());
    }
    expect_op("]");
    ExprPtr key;
    if (keys.size() == 1) {
        key = std::move(keys[0]);
    } else {
        key = make_expr(ExprKind::tuple, offset);
        key->args = std::move(keys);
    }
    if (key->kind == ExprKind::slice) {
        key->args.insert(key->args.begin(), std::move(node));
        return key;
    }
    auto e = make_expr(ExprKind::getitem, offset);
    e->args.push_back(std::move(node));
    e->args.push_back(std::move(key));
    return e;
}

// An index or a slice [start:stop:step], each part optional.
ExprPtr Parser::parse_subscribed() {
    const std::size_t offset = cur().offset;
    ExprPtr start;
    if (!is_op(":")) {
        start = parse_expression(true);
        if (!is_op(":")) return start;
    }
    advance();  // ':'
    auto s = make_expr(ExprKind::slice, offset);
    s->args.push_back(std::move(start));
    s->args.push_back(is_op(":") || is_op("]") || is_op(",") ? nullptr : parse_expression(true));
    ExprPtr step;
    if (skip_op(":")) {
        if (!is_op("]") && !is_op(",")) step = parse_expression(true);
    }
    s->args.push_back(std::move(step));
    return s;
}

void Parser::parse_call_args(Expr& into) {
    const std::size_t offset = cur().offset;
    expect_op("(");
    bool require_comma = false;
    while (!is_op(")")) {
        if (require_comma) {
            expect_op(",");
            if (is_op(")")) break;
        }
        // jinja2's parse_call_args: positional, keywords, *args, **kwargs, in that order.
        if (skip_op("*")) {
            if (into.star_args || into.star_kwargs) fail_at("invalid syntax for function call expression", offset);
            into.star_args = parse_expression(true);
        } else if (skip_op("**")) {
            if (into.star_kwargs) fail_at("invalid syntax for function call expression", offset);
            into.star_kwargs = parse_expression(true);
        } else if (cur().type == Tok::name && look().type == Tok::op && look().text == "=") {
            if (into.star_kwargs) fail_at("invalid syntax for function call expression", offset);
            std::string key = cur().text;
            advance();
            advance();
            into.kwargs.emplace_back(std::move(key), parse_expression(true));
        } else {
            if (!into.kwargs.empty() || into.star_args || into.star_kwargs) {
                fail_at("invalid syntax for function call expression", offset);
            }
            into.args.push_back(parse_expression(true));
        }
        require_comma = true;
    }
    expect_op(")");
}

ExprPtr Parser::parse_call(ExprPtr node) {
    auto e = make_expr(ExprKind::call, node->offset);  // errors point at the callee
    e->args.push_back(std::move(node));
    parse_call_args(*e);
    return e;
}

ExprPtr Parser::parse_filter(ExprPtr node, bool start_inline) {
    while (is_op("|") || start_inline) {
        if (!start_inline) advance();
        start_inline = false;
        auto e = make_expr(ExprKind::filter, cur().offset);
        e->name = expect_name();
        while (skip_op(".")) e->name += "." + expect_name();
        e->args.push_back(std::move(node));
        if (is_op("(")) parse_call_args(*e);
        node = std::move(e);
    }
    return node;
}

ExprPtr Parser::parse_test(ExprPtr node) {
    auto e = make_expr(ExprKind::test, cur().offset);
    advance();  // 'is'
    e->negated = skip_name("not");
    e->name = expect_name();
    while (skip_op(".")) e->name += "." + expect_name();
    e->args.push_back(std::move(node));
    if (is_op("(")) {
        parse_call_args(*e);
    } else if ((cur().type == Tok::name || cur().type == Tok::string || cur().type == Tok::integer ||
                cur().type == Tok::floating || is_op("[") || is_op("{")) &&
               !is_name("else") && !is_name("or") && !is_name("and")) {
        if (is_name("is")) fail("You cannot chain multiple tests with is");
        e->args.push_back(parse_postfix(parse_primary(false)));
    }
    return e;
}

}  // namespace hubbench::tokenizer::jinja
