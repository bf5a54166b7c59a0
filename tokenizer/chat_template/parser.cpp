// The statements of a chat template (see parser.hpp): text, {{ }} and each tag jinja2 has that
// Hub templates use. Tags that need what chat templates cannot have (extends, include, import...)
// and recursive loops fail naming themselves.
#include "tokenizer/chat_template/parser.hpp"

namespace hubbench::tokenizer::jinja {

namespace {

// Whether `name` is read anywhere in an expression or a body (jinja2 decides from this whether a
// macro takes extra positional or keyword arguments, and a caller).
bool reads_name(const Expr* e, std::string_view name) {
    if (!e) return false;
    if ((e->kind == ExprKind::name || e->kind == ExprKind::nsref) && e->name == name) return true;
    for (const auto& a : e->args) {
        if (reads_name(a.get(), name)) return true;
    }
    for (const auto& [k, v] : e->kwargs) {
        if (reads_name(v.get(), name)) return true;
    }
    return reads_name(e->star_args.get(), name) || reads_name(e->star_kwargs.get(), name);
}
bool reads_name(const Body& body, std::string_view name);
bool reads_name(const Node& n, std::string_view name) {
    if (reads_name(n.expr.get(), name) || reads_name(n.condition.get(), name) || reads_name(n.body, name) ||
        reads_name(n.else_body, name)) {
        return true;
    }
    for (const auto& [c, b] : n.branches) {
        if (reads_name(c.get(), name) || reads_name(b, name)) return true;
    }
    for (const auto& [t, v] : n.assignments) {
        if (reads_name(v.get(), name)) return true;
    }
    for (const auto& [p, d] : n.params) {
        if (reads_name(d.get(), name)) return true;
    }
    return false;
}
bool reads_name(const Body& body, std::string_view name) {
    return std::any_of(body.begin(), body.end(), [&](const NodePtr& n) { return reads_name(*n, name); });
}

}  // namespace

Body Parser::subparse(const std::vector<std::string_view>& end_tags, std::string& found) {
    Body body;
    while (true) {
        const Token& tok = cur();
        switch (tok.type) {
            case Tok::data: {
                auto n = make_node(NodeKind::data, tok.offset);
                n->text = tok.text;
                body.push_back(std::move(n));
                advance();
                break;
            }
            case Tok::var_begin: {
                auto n = make_node(NodeKind::output, tok.offset);
                advance();
                n->expr = parse_tuple(false, true, {}, false, false);
                if (cur().type != Tok::var_end) fail("expected '}}', got " + describe(cur()));
                advance();
                body.push_back(std::move(n));
                break;
            }
            case Tok::block_begin: {
                const std::size_t offset = tok.offset;
                advance();
                if (cur().type != Tok::name) fail("expected a tag name, got " + describe(cur()));
                const std::string tag = cur().text;
                if (std::find(end_tags.begin(), end_tags.end(), tag) != end_tags.end()) {
                    advance();
                    found = tag;
                    return body;
                }
                body.push_back(parse_statement(tag, offset));
                break;
            }
            case Tok::eof:
                if (!end_tags.empty()) {
                    const auto& b = open_.back();
                    fail_at("'" + b.tag + "' is never closed: expected " + b.expected + " before the end of the template",
                            b.offset);
                }
                return body;
            default: fail("unexpected " + describe(tok));
        }
    }
}

Body Parser::parse_block_body(const std::string& tag, std::size_t offset, std::vector<std::string_view> end_tags,
                                  std::string expected, std::string& found) {
    const Nest nest(*this);
    open_.push_back({tag, offset, std::move(expected)});
    Body body = subparse(end_tags, found);
    open_.pop_back();
    return body;
}

Body Parser::parse_body_to_end(const std::string& tag, std::size_t offset) {
    std::string found;
    return parse_block_body(tag, offset, {"end" + tag}, "'end" + tag + "'", found);
}

Body Parser::parse_function_body(const std::string& tag, std::size_t offset) {
    const int saved = loop_depth_;
    loop_depth_ = 0;
    Body body = parse_body_to_end(tag, offset);
    loop_depth_ = saved;
    return body;
}

NodePtr Parser::parse_statement(const std::string& tag, std::size_t offset) {
    if (tag == "for") return parse_for(offset);
    if (tag == "if") return parse_if(offset);
    if (tag == "set") return parse_set(offset);
    if (tag == "macro") return parse_macro(offset);
    if (tag == "with") return parse_with(offset);
    if (tag == "filter") return parse_filter_block(offset);
    if (tag == "generation") return parse_simple_block(NodeKind::generation, "generation", offset);
    if (tag == "break" || tag == "continue") {
        if (loop_depth_ == 0) fail("'" + tag + "' outside a for loop");
        advance();
        expect_block_end();
        return make_node(tag == "break" ? NodeKind::break_ : NodeKind::continue_, offset);
    }
    if (tag == "print") {
        advance();
        auto n = make_node(NodeKind::output, offset);
        n->expr = parse_tuple(false, true, {}, false, false);
        expect_block_end();
        return n;
    }
    if (tag == "call") return parse_call_block(offset);
    static const char* const unsupported[] = {"block", "extends", "include", "import", "from", "autoescape", "do"};
    for (const char* u : unsupported) {
        if (tag == u) fail("'" + tag + "' tags are not supported in chat templates");
    }
    if (tag.rfind("end", 0) == 0 || tag == "else" || tag == "elif") {
        if (!open_.empty()) fail("unexpected '" + tag + "', expected " + open_.back().expected);
        fail("unexpected '" + tag + "' outside any block");
    }
    fail("unknown tag '" + tag + "'");
}

NodePtr Parser::parse_for(std::size_t offset) {
    advance();
    auto n = make_node(NodeKind::for_, offset);
    n->target = parse_assign_target(true, false, {"in"}, false);
    if (!skip_name("in")) fail("expected 'in', got " + describe(cur()));
    n->expr = parse_tuple(false, false, {"recursive"}, false, false);
    if (skip_name("if")) n->condition = parse_expression(true);
    if (is_name("recursive")) fail("recursive loops are not supported in chat templates");
    expect_block_end();
    std::string found;
    ++loop_depth_;
    n->body = parse_block_body("for", offset, {"endfor", "else"}, "'endfor' or 'else'", found);
    --loop_depth_;
    if (found == "else") {
        expect_block_end();
        n->else_body = parse_body_to_end("for", offset);
    }
    expect_block_end();
    return n;
}

NodePtr Parser::parse_if(std::size_t offset) {
    advance();
    auto n = make_node(NodeKind::if_, offset);
    std::string found = "elif";
    while (found == "elif") {
        ExprPtr condition = parse_tuple(false, false, {}, false, false);
        expect_block_end();
        Body body = parse_block_body("if", offset, {"elif", "else", "endif"}, "'elif', 'else' or 'endif'", found);
        n->branches.emplace_back(std::move(condition), std::move(body));
    }
    if (found == "else") {
        expect_block_end();
        n->else_body = parse_body_to_end("if", offset);
    }
    expect_block_end();
    return n;
}

NodePtr Parser::parse_set(std::size_t offset) {
    advance();
    ExprPtr target = parse_assign_target(true, false, {}, true);
    if (skip_op("=")) {
        auto n = make_node(NodeKind::set, offset);
        n->target = std::move(target);
        n->expr = parse_tuple(false, true, {}, false, false);
        expect_block_end();
        return n;
    }
    auto n = make_node(NodeKind::set_block, offset);
    n->target = std::move(target);
    if (is_op("|")) n->expr = parse_filter(nullptr, false);
    expect_block_end();
    n->body = parse_body_to_end("set", offset);
    expect_block_end();
    return n;
}

NodePtr Parser::parse_macro(std::size_t offset) {
    advance();
    auto n = make_node(NodeKind::macro, offset);
    n->text = expect_name();
    parse_signature(*n);
    expect_block_end();
    n->body = parse_function_body("macro", offset);
    if (cur().type == Tok::name) advance();  // {% endmacro name %}
    expect_block_end();
    n->uses_varargs = reads_name(n->body, "varargs");
    n->uses_kwargs = reads_name(n->body, "kwargs");
    n->uses_caller = reads_name(n->body, "caller");
    return n;
}

// {% call(params) macro(args) %}body{% endcall %}: the macro gets `caller`, which renders body.
NodePtr Parser::parse_call_block(std::size_t offset) {
    advance();
    auto n = make_node(NodeKind::call_block, offset);
    n->text = "caller";
    if (is_op("(")) parse_signature(*n);
    const std::size_t at = cur().offset;
    n->expr = parse_expression(true);
    if (n->expr->kind != ExprKind::call) fail_at("expected a call after 'call'", at);
    expect_block_end();
    n->body = parse_function_body("call", offset);
    expect_block_end();
    n->uses_varargs = reads_name(n->body, "varargs");
    n->uses_kwargs = reads_name(n->body, "kwargs");
    return n;
}

// (name, name=default, ...)
void Parser::parse_signature(Node& n) {
    expect_op("(");
    bool defaults = false;
    while (!is_op(")")) {
        if (!n.params.empty()) expect_op(",");
        std::string param = expect_name();
        ExprPtr dflt;
        if (skip_op("=")) {
            dflt = parse_expression(true);
            defaults = true;
        } else if (defaults) {
            fail("non-default argument follows default argument");
        }
        n.params.emplace_back(std::move(param), std::move(dflt));
    }
    expect_op(")");
}

NodePtr Parser::parse_with(std::size_t offset) {
    advance();
    auto n = make_node(NodeKind::with, offset);
    while (cur().type != Tok::block_end) {
        if (!n->assignments.empty()) expect_op(",");
        ExprPtr target = parse_assign_target(true, false, {}, false);
        expect_op("=");
        n->assignments.emplace_back(std::move(target), parse_expression(true));
    }
    expect_block_end();
    n->body = parse_body_to_end("with", offset);
    expect_block_end();
    return n;
}

NodePtr Parser::parse_filter_block(std::size_t offset) {
    advance();
    auto n = make_node(NodeKind::filter_block, offset);
    n->expr = parse_filter(nullptr, true);
    expect_block_end();
    n->body = parse_body_to_end("filter", offset);
    expect_block_end();
    return n;
}

// transformers' AssistantTracker: {% generation %}...{% endgeneration %} renders its body.
NodePtr Parser::parse_simple_block(NodeKind kind, const std::string& tag, std::size_t offset) {
    advance();
    auto n = make_node(kind, offset);
    expect_block_end();
    n->body = parse_body_to_end(tag, offset);
    expect_block_end();
    return n;
}

bool Parser::assignable(const Expr& e) {
    if (e.kind == ExprKind::name || e.kind == ExprKind::nsref) return true;
    if (e.kind != ExprKind::tuple) return false;
    for (const auto& item : e.args) {
        if (!assignable(*item)) return false;
    }
    return true;
}

ExprPtr Parser::parse_assign_target(bool with_tuple, bool name_only, std::vector<std::string_view> extra_end,
                                    bool with_namespace) {
    const std::size_t offset = cur().offset;
    ExprPtr target;
    if (name_only) {
        target = make_expr(ExprKind::name, offset);
        target->name = expect_name();
    } else if (with_tuple) {
        target = parse_tuple(true, true, std::move(extra_end), false, with_namespace);
    } else {
        target = parse_primary(with_namespace);
    }
    if (!assignable(*target)) fail_at("cannot assign to this expression", offset);
    return target;
}

}  // namespace hubbench::tokenizer::jinja
