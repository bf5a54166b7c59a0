// The globals of a render: jinja2's range, and transformers' raise_exception, strftime_now,
// namespace and dict (see builtins.hpp).
#include "tokenizer/chat_template/builtins.hpp"

#include <ctime>
#include <utility>
#include <vector>

namespace hubbench::tokenizer::jinja {

namespace {

// dict(mapping_or_pairs, **kwargs) and namespace(...): later keys replace earlier equal ones.
std::vector<std::pair<Value, Value>> mapping_arguments(const CallArgs& a, const char* name) {
    if (a.positional.size() > 1) fail(std::string(name) + " expected at most 1 positional argument");
    std::vector<std::pair<Value, Value>> entries;
    auto put = [&](Value k, Value v) {
        for (auto& [ek, ev] : entries) {
            if (py_equal(ek, k)) {
                ev = std::move(v);
                return;
            }
        }
        entries.emplace_back(std::move(k), std::move(v));
    };
    if (!a.positional.empty()) {
        const Value& src = a.positional[0];
        if (is_dict(src)) {
            for (const auto& [k, v] : as_dict(src).entries) put(k, v);
        } else {
            for (const Value& pair : iterate(src)) {
                const auto kv = iterate(pair);
                if (kv.size() != 2) fail(std::string(name) + ": each item must be a (key, value) pair");
                put(kv[0], kv[1]);
            }
        }
    }
    for (const auto& [k, v] : a.keyword) put(str(k), v);
    return entries;
}

}  // namespace

ScopePtr make_globals() {
    auto g = std::make_shared<Scope>();
    g->set("range", function("range", [](Interpreter&, CallArgs& a) {
               if (!a.keyword.empty() || a.positional.empty() || a.positional.size() > 3) fail("range expected 1 to 3 integer arguments");
               std::int64_t start = 0, stop = 0, step = 1;
               if (a.positional.size() == 1) {
                   stop = require_int(a.positional[0], "range() argument");
               } else {
                   start = require_int(a.positional[0], "range() argument");
                   stop = require_int(a.positional[1], "range() argument");
                   if (a.positional.size() == 3) step = require_int(a.positional[2], "range() argument");
               }
               if (step == 0) fail("range() arg 3 must not be zero");
               std::vector<Value> out;
               for (std::int64_t i = start; step > 0 ? i < stop : i > stop; i += step) {
                   // jinja2.sandbox.safe_range
                   if (out.size() >= 100000) fail("Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).");
                   out.push_back(integer(i));
               }
               return list(std::move(out));
           }));
    g->set("namespace", function("namespace", [](Interpreter& in, CallArgs& a) {
               auto ns = std::make_shared<NamespaceData>();
               in.adopt(ns);
               for (auto& [k, v] : mapping_arguments(a, "namespace")) {
                   const std::string key = to_str(k);
                   check_namespace_attribute(key);
                   ns->attrs.emplace_back(key, std::move(v));
               }
               return Value{NamespacePtr(std::move(ns))};
           }));
    g->set("dict", function("dict", [](Interpreter&, CallArgs& a) { return dict(mapping_arguments(a, "dict")); }));
    g->set("raise_exception", function("raise_exception", [](Interpreter&, CallArgs& a) -> Value {
               if (a.positional.size() != 1) fail("raise_exception() takes exactly one argument, the message");
               fail(to_str(a.positional[0]));
           }));
    g->set("strftime_now", function("strftime_now", [](Interpreter&, CallArgs& a) {
               Params p(a, "strftime_now", {"format"});
               const std::string format = require_str(p.get_or("format", str("")), "strftime_now() format");
               const std::time_t now = std::time(nullptr);
               std::tm local{};
               localtime_r(&now, &local);
               std::string buf(256 + format.size() * 16, '\0');
               const std::size_t n = std::strftime(buf.data(), buf.size(), format.c_str(), &local);
               buf.resize(n);
               return str(std::move(buf));
           }));
    return g;
}

}  // namespace hubbench::tokenizer::jinja
