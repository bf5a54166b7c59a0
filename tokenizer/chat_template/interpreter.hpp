// The chat-template interpreter: runs the syntax tree (ast.hpp) over values (value.hpp) the way
// jinja2's runtime does in transformers' ImmutableSandboxedEnvironment. Statements and expressions
// are in interpreter.cpp; the filters, tests, globals and methods it calls are in builtins.hpp.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tokenizer/chat_template/ast.hpp"
#include "tokenizer/chat_template/value.hpp"

namespace hubbench::tokenizer::jinja {

// Variables. A for-loop iteration, a macro call and a with block get a child scope (so a {% set %}
// inside a loop does not outlive its iteration, as in jinja2: that is what namespace() is for);
// if-blocks do not.
struct Scope {
    std::shared_ptr<Scope> parent;
    std::vector<std::pair<std::string, Value>> vars;

    const Value* find(std::string_view name) const {
        for (const Scope* s = this; s; s = s->parent.get()) {
            for (const auto& [k, v] : s->vars) {
                if (k == name) return &v;
            }
        }
        return nullptr;
    }
    void set(const std::string& name, Value v) {
        for (auto& [k, old] : vars) {
            if (k == name) {
                old = std::move(v);
                return;
            }
        }
        vars.emplace_back(name, std::move(v));
    }
};
using ScopePtr = std::shared_ptr<Scope>;

// A new scope whose lookups fall back to `parent`.
inline ScopePtr child(const ScopePtr& parent) {
    auto s = std::make_shared<Scope>();
    s->parent = parent;
    return s;
}

// One render: owns the scopes and namespaces it creates, and knows where it is in the source.
class Interpreter {
public:
    enum class Flow { normal, break_loop, continue_loop };

    std::size_t offset = 0;  // what is being evaluated, for error messages
    int macro_depth = 0;     // macro calls in progress (recursion is cut off at 100)

    Interpreter() = default;
    Interpreter(const Interpreter&) = delete;
    Interpreter& operator=(const Interpreter&) = delete;
    // A macro keeps the scope it was defined in, and that scope holds the macro (and a namespace
    // can hold itself): emptying every scope and namespace of the render breaks those cycles,
    // which shared_ptr alone would leak.
    ~Interpreter() {
        for (const auto& s : scopes_) s->vars.clear();
        for (const auto& ns : namespaces_) ns->attrs.clear();
    }

    // A new scope under `parent`, alive until the render ends.
    ScopePtr child_scope(const ScopePtr& parent) {
        scopes_.push_back(child(parent));
        return scopes_.back();
    }
    void adopt(const ScopePtr& scope) { scopes_.push_back(scope); }
    void adopt(const NamespacePtr& ns) { namespaces_.push_back(ns); }

    // Renders `body` into `out`; a {% break %} or {% continue %} returns early, saying which.
    Flow exec(const Body& body, const ScopePtr& scope, std::string& out);
    Value eval(const Expr& e, const ScopePtr& scope);
    Value call(const Value& callee, CallArgs& args);
    // value | name(args) and `value is name(args)` (filters.cpp, jinja_tests.cpp).
    Value filter(const std::string& name, const Value& value, CallArgs& args);
    bool test(const std::string& name, const Value& value, CallArgs& args);

private:
    std::vector<ScopePtr> scopes_;
    std::vector<NamespacePtr> namespaces_;

    Flow exec_for(const Node& n, const ScopePtr& scope, std::string& out);
    void assign(const Expr& target, const Value& value, const ScopePtr& scope);
    // A filter expression `x | a | b`; in {% filter a | b %} and {% set x | a %} the innermost value
    // is missing (null) and stands for the captured block `input`.
    Value filter_chain(const Expr& chain, const Value& input, const ScopePtr& scope);
    // The arguments of a call, filter or test expression from its operand `first` on.
    CallArgs arguments(const Expr& e, std::size_t first, const ScopePtr& scope);
    // A macro (or a {% call %} block's caller) as a function closing over `closure`.
    Value macro(const Node& n, const ScopePtr& closure);
};

}  // namespace hubbench::tokenizer::jinja
