// Statements and expressions of a chat template, evaluated as jinja2's runtime does (see
// interpreter.hpp).
#include "tokenizer/chat_template/interpreter.hpp"

#include <algorithm>
#include <limits>
#include <optional>

#include "tokenizer/chat_template/operators.hpp"

namespace hubbench::tokenizer::jinja {

CallArgs Interpreter::arguments(const Expr& e, std::size_t first, const ScopePtr& scope) {
    CallArgs args;
    for (std::size_t i = first; i < e.args.size(); ++i) args.positional.push_back(eval(*e.args[i], scope));
    for (const auto& [k, v] : e.kwargs) args.keyword.emplace_back(k, eval(*v, scope));
    if (e.star_args) {
        for (auto& v : iterate(eval(*e.star_args, scope))) args.positional.push_back(std::move(v));
    }
    if (e.star_kwargs) {
        const Value extra = eval(*e.star_kwargs, scope);
        if (!is_dict(extra)) fail("argument after ** must be a mapping, not " + type_name(extra));
        for (const auto& [k, v] : as_dict(extra).entries) args.keyword.emplace_back(require_str(k, "keywords"), v);
    }
    return args;
}

Value Interpreter::filter_chain(const Expr& chain, const Value& input, const ScopePtr& scope) {
    Value value = input;
    if (chain.args[0] && chain.args[0]->kind == ExprKind::filter) value = filter_chain(*chain.args[0], input, scope);
    else if (chain.args[0]) value = eval(*chain.args[0], scope);
    CallArgs args = arguments(chain, 1, scope);
    offset = chain.offset;
    return filter(chain.name, value, args);
}

void Interpreter::assign(const Expr& target, const Value& value, const ScopePtr& scope) {
    if (target.kind == ExprKind::name) {
        scope->set(target.name, value);
    } else if (target.kind == ExprKind::nsref) {
        const Value* ns = scope->find(target.name);
        if (!ns || !is_namespace(*ns)) fail("cannot assign attribute on non-namespace object");
        check_namespace_attribute(target.attribute);
        auto& attrs = (*get<NamespacePtr>(*ns))->attrs;
        for (auto& [k, v] : attrs) {
            if (k == target.attribute) {
                v = value;
                return;
            }
        }
        attrs.emplace_back(target.attribute, value);
    } else {
        const std::vector<Value> items = iterate(value);
        if (items.size() != target.args.size()) {
            fail(items.size() > target.args.size()
                     ? "too many values to unpack (expected " + std::to_string(target.args.size()) + ")"
                     : "not enough values to unpack (expected " + std::to_string(target.args.size()) + ", got " +
                           std::to_string(items.size()) + ")");
        }
        for (std::size_t i = 0; i < items.size(); ++i) assign(*target.args[i], items[i], scope);
    }
}

Value Interpreter::macro(const Node& n, const ScopePtr& closure) {
    const Node* node = &n;
    return function(n.text, [node, closure](Interpreter& in, CallArgs& args) -> Value {
        if (args.positional.size() > node->params.size() && !node->uses_varargs) {
            fail("macro '" + node->text + "' takes not more than " + std::to_string(node->params.size()) + " argument(s)");
        }
        auto scope = in.child_scope(closure);
        std::vector<Value> varargs;
        for (std::size_t i = node->params.size(); i < args.positional.size(); ++i) varargs.push_back(args.positional[i]);
        scope->set("varargs", list(std::move(varargs), true));
        std::vector<std::pair<Value, Value>> kwargs;
        for (std::size_t i = 0; i < node->params.size(); ++i) {
            const auto& [param, dflt] = node->params[i];
            const Value* given = i < args.positional.size() ? &args.positional[i] : nullptr;
            for (const auto& [k, v] : args.keyword) {
                if (k == param) {
                    if (given) fail("macro '" + node->text + "' got multiple values for argument '" + param + "'");
                    given = &v;
                }
            }
            scope->set(param, given ? *given : (dflt ? in.eval(*dflt, scope) : undefined("parameter '" + param + "' was not provided")));
        }
        for (const auto& [k, v] : args.keyword) {
            if (std::any_of(node->params.begin(), node->params.end(), [&](const auto& p) { return p.first == k; })) continue;
            if (k == "caller" && node->uses_caller) {
                scope->set("caller", v);
            } else if (node->uses_kwargs) {
                kwargs.emplace_back(str(k), v);
            } else {
                fail("macro '" + node->text + "' takes no keyword argument '" + k + "'");
            }
        }
        scope->set("kwargs", dict(std::move(kwargs)));
        if (++in.macro_depth > 100) fail("maximum recursion depth exceeded in macro '" + node->text + "'");
        std::string out;
        in.exec(node->body, scope, out);
        --in.macro_depth;
        return str(std::move(out));
    });
}

Interpreter::Flow Interpreter::exec(const Body& body, const ScopePtr& scope, std::string& out) {
    for (const auto& np : body) {
        const Node& n = *np;
        offset = n.offset;
        switch (n.kind) {
            case NodeKind::data: out += n.text; break;
            case NodeKind::output: out += to_str(eval(*n.expr, scope)); break;
            case NodeKind::if_: {
                const Body* chosen = &n.else_body;
                for (const auto& [condition, branch] : n.branches) {
                    if (truthy(eval(*condition, scope))) {
                        chosen = &branch;
                        break;
                    }
                }
                const Flow f = exec(*chosen, scope, out);
                if (f != Flow::normal) return f;
                break;
            }
            case NodeKind::for_: {
                const Flow f = exec_for(n, scope, out);
                if (f != Flow::normal) return f;
                break;
            }
            case NodeKind::set: assign(*n.target, eval(*n.expr, scope), scope); break;
            case NodeKind::set_block: {
                std::string captured;
                exec(n.body, scope, captured);
                Value v = str(std::move(captured));
                if (n.expr) v = filter_chain(*n.expr, v, scope);
                assign(*n.target, v, scope);
                break;
            }
            case NodeKind::macro: scope->set(n.text, macro(n, scope)); break;
            case NodeKind::call_block: {
                const Value callee = eval(*n.expr->args[0], scope);
                CallArgs args = arguments(*n.expr, 1, scope);
                args.keyword.emplace_back("caller", macro(n, scope));
                offset = n.offset;
                out += to_str(call(callee, args));
                break;
            }
            case NodeKind::break_: return Flow::break_loop;
            case NodeKind::continue_: return Flow::continue_loop;
            case NodeKind::with: {
                auto inner = child_scope(scope);
                for (const auto& [target, value] : n.assignments) assign(*target, eval(*value, scope), inner);
                const Flow f = exec(n.body, inner, out);
                if (f != Flow::normal) return f;
                break;
            }
            case NodeKind::filter_block: {
                std::string captured;
                exec(n.body, scope, captured);
                out += to_str(filter_chain(*n.expr, str(std::move(captured)), scope));
                break;
            }
            case NodeKind::generation: {
                const Flow f = exec(n.body, scope, out);
                if (f != Flow::normal) return f;
                break;
            }
        }
    }
    return Flow::normal;
}

namespace {

// jinja2's LoopContext, one per iteration: index, index0, revindex, revindex0, first, last,
// length, previtem, nextitem, depth, depth0, cycle(...).
Value loop_object(const std::vector<Value>& items, std::size_t i) {
    const auto n = static_cast<std::int64_t>(items.size());
    const auto k = static_cast<std::int64_t>(i);
    std::vector<std::pair<Value, Value>> e;
    e.emplace_back(str("index"), integer(k + 1));
    e.emplace_back(str("index0"), integer(k));
    e.emplace_back(str("revindex"), integer(n - k));
    e.emplace_back(str("revindex0"), integer(n - k - 1));
    e.emplace_back(str("first"), boolean(k == 0));
    e.emplace_back(str("last"), boolean(k == n - 1));
    e.emplace_back(str("length"), integer(n));
    e.emplace_back(str("previtem"), i > 0 ? items[i - 1] : undefined("there is no previous item"));
    e.emplace_back(str("nextitem"), i + 1 < items.size() ? items[i + 1] : undefined("there is no next item"));
    e.emplace_back(str("depth"), integer(1));
    e.emplace_back(str("depth0"), integer(0));
    e.emplace_back(str("cycle"), function("cycle", [k](Interpreter&, CallArgs& args) -> Value {
                       if (args.positional.empty()) fail("no items for cycling given");
                       return args.positional[static_cast<std::size_t>(k) % args.positional.size()];
                   }));
    return dict(std::move(e));
}

}  // namespace

Interpreter::Flow Interpreter::exec_for(const Node& n, const ScopePtr& scope, std::string& out) {
    std::vector<Value> items = iterate(eval(*n.expr, scope));
    if (n.condition) {
        // {% for x in xs if cond %}: the filtered items are what loop.length and loop.last count.
        std::vector<Value> kept;
        for (auto& item : items) {
            auto s = child_scope(scope);
            assign(*n.target, item, s);
            if (truthy(eval(*n.condition, s))) kept.push_back(std::move(item));
        }
        items = std::move(kept);
    }
    for (std::size_t i = 0; i < items.size(); ++i) {
        auto s = child_scope(scope);
        offset = n.offset;
        assign(*n.target, items[i], s);
        s->set("loop", loop_object(items, i));
        if (exec(n.body, s, out) == Flow::break_loop) break;
    }
    if (items.empty()) return exec(n.else_body, scope, out);
    return Flow::normal;
}

Value Interpreter::call(const Value& callee, CallArgs& args) {
    if (is_undefined(callee)) fail_undefined(callee);
    if (!is_function(callee)) fail("'" + type_name(callee) + "' object is not callable");
    return (*get<FunctionPtr>(callee))->call(*this, args);
}

Value Interpreter::eval(const Expr& e, const ScopePtr& scope) {
    offset = e.offset;
    switch (e.kind) {
        case ExprKind::constant: return e.value;
        case ExprKind::name:
        case ExprKind::nsref: {
            const Value* v = scope->find(e.name);
            if (!v) return undefined("'" + e.name + "' is undefined");
            return e.kind == ExprKind::name ? *v : get_attribute(*v, e.attribute);
        }
        case ExprKind::list:
        case ExprKind::tuple: {
            std::vector<Value> items;
            for (const auto& a : e.args) items.push_back(eval(*a, scope));
            return list(std::move(items), e.kind == ExprKind::tuple);
        }
        case ExprKind::dict: {
            std::vector<std::pair<Value, Value>> entries;
            for (std::size_t i = 0; i + 1 < e.args.size(); i += 2) {
                Value k = eval(*e.args[i], scope);
                Value v = eval(*e.args[i + 1], scope);
                if (is_list(k) && !as_list(k).tuple) fail("unhashable type: 'list'");
                if (is_dict(k)) fail("unhashable type: 'dict'");
                bool replaced = false;
                for (auto& [ek, ev] : entries) {
                    if (py_equal(ek, k)) {
                        ev = v;
                        replaced = true;
                    }
                }
                if (!replaced) entries.emplace_back(std::move(k), std::move(v));
            }
            return dict(std::move(entries));
        }
        case ExprKind::getattr: {
            const Value obj = eval(*e.args[0], scope);
            offset = e.offset;
            return get_attribute(obj, e.name);
        }
        case ExprKind::getitem: {
            const Value obj = eval(*e.args[0], scope);
            const Value key = eval(*e.args[1], scope);
            offset = e.offset;
            return get_item(obj, key);
        }
        case ExprKind::slice: {
            if (e.args.size() != 4) fail("a slice can only be used as a subscript");
            const Value obj = eval(*e.args[0], scope);
            std::optional<Value> parts[3];
            for (int i = 0; i < 3; ++i) {
                if (e.args[static_cast<std::size_t>(i) + 1]) parts[i] = eval(*e.args[static_cast<std::size_t>(i) + 1], scope);
            }
            offset = e.offset;
            return get_slice(obj, parts[0] ? &*parts[0] : nullptr, parts[1] ? &*parts[1] : nullptr,
                             parts[2] ? &*parts[2] : nullptr);
        }
        case ExprKind::call: {
            const Value callee = eval(*e.args[0], scope);
            CallArgs args = arguments(e, 1, scope);
            offset = e.offset;
            return call(callee, args);
        }
        case ExprKind::filter: return filter_chain(e, undefined("no value"), scope);
        case ExprKind::test: {
            const Value value = eval(*e.args[0], scope);
            CallArgs args = arguments(e, 1, scope);
            offset = e.offset;
            return boolean(test(e.name, value, args) != e.negated);
        }
        case ExprKind::unary: {
            const Value v = eval(*e.args[0], scope);
            offset = e.offset;
            if (e.name == "not") return boolean(!truthy(v));
            if (is_undefined(v)) fail_undefined(v);
            if (!is_number(v)) fail("bad operand type for unary " + e.name + ": '" + type_name(v) + "'");
            if (e.name == "+") return is_bool(v) ? integer(as_int(v)) : v;
            if (is_float(v)) return number(-as_double(v));
            if (as_int(v) == std::numeric_limits<std::int64_t>::min()) fail("integer overflow in unary -");
            return integer(-as_int(v));
        }
        case ExprKind::binary: {
            const Value a = eval(*e.args[0], scope);
            const Value b = eval(*e.args[1], scope);
            offset = e.offset;
            return arith(e.name, a, b);
        }
        case ExprKind::concat: {
            std::string out;
            for (const auto& a : e.args) out += to_str(eval(*a, scope));
            return str(std::move(out));
        }
        case ExprKind::compare: {
            Value left = eval(*e.args[0], scope);
            for (std::size_t i = 0; i < e.ops.size(); ++i) {
                Value right = eval(*e.args[i + 1], scope);
                offset = e.offset;
                const std::string& op = e.ops[i];
                bool ok;
                if (op == "==") ok = py_equal(left, right);
                else if (op == "!=") ok = !py_equal(left, right);
                else if (op == "in") ok = py_contains(right, left);
                else if (op == "notin") ok = !py_contains(right, left);
                else {
                    const int c = py_compare(left, right, op);
                    ok = op == "<" ? c < 0 : op == "<=" ? c <= 0 : op == ">" ? c > 0 : c >= 0;
                }
                if (!ok) return boolean(false);
                left = std::move(right);
            }
            return boolean(true);
        }
        case ExprKind::condexpr:
            if (truthy(eval(*e.args[1], scope))) return eval(*e.args[0], scope);
            if (e.args[2]) return eval(*e.args[2], scope);
            return undefined("the inline if-expression evaluated to false and no else section was defined");
        case ExprKind::and_: {
            Value a = eval(*e.args[0], scope);
            return truthy(a) ? eval(*e.args[1], scope) : a;
        }
        case ExprKind::or_: {
            Value a = eval(*e.args[0], scope);
            return truthy(a) ? a : eval(*e.args[1], scope);
        }
    }
    return undefined("");
}

}  // namespace hubbench::tokenizer::jinja
