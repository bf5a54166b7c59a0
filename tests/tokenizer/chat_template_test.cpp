// Chat templates (tokenizer/chat_template.cpp) against what transformers renders:
// assets/references/chat-templates.json (tools/references/chat_templates.py) holds, for the fixture
// tiny-qwen2's template and 19 real Hub templates, apply_chat_template(tokenize=False) of every
// conversation with and without add_generation_prompt, and jinja2's output for small templates that
// each pin down one rule. Every expected string comes from transformers/jinja2; here they must match
// byte for byte, and what raised there must raise here.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/fs.hpp"
#include "tests/support/support.hpp"
#include "tokenizer/chat_template.hpp"

using namespace hubbench;
using namespace hubbench::tokenizer;
using ojson = nlohmann::ordered_json;

namespace {

// Parsed keeping key order: tool schemas are printed with tojson and must keep theirs.
const ojson& reference() {
    static const ojson doc = ojson::parse(read_file(test::reference("chat-templates.json")));
    return doc;
}

struct Thrown {
    bool thrown = false;
    ErrorKind kind = ErrorKind::internal;
    std::string message;
};

template <class F>
Thrown thrown_by(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return {true, e.kind(), e.what()};
    }
    return {};
}

// The case's messages as ChatMessage when they are plain role/content strings, else nullopt.
std::optional<std::vector<ChatMessage>> plain_messages(const ojson& messages) {
    std::vector<ChatMessage> out;
    for (const auto& m : messages) {
        if (m.size() != 2 || !m.contains("role") || !m.contains("content") || !m["content"].is_string()) return std::nullopt;
        out.push_back({m["role"].get<std::string>(), m["content"].get<std::string>()});
    }
    return out;
}

const ojson& snippet(const std::string& name) {
    for (const auto& s : reference()["snippets"]) {
        if (s["name"] == name) return s;
    }
    FAIL("no snippet named " << name);
    static const ojson none;
    return none;
}

void check_snippet(const ojson& s) {
    CAPTURE(s["name"].get<std::string>());
    CAPTURE(s["template"].get<std::string>());
    const std::string source = s["template"];
    if (s.contains("expected")) {
        const auto t = ChatTemplate::parse(source, "snippet");
        CHECK(t.render_template(s["variables"]) == s["expected"].get<std::string>());
        return;
    }
    const std::string type = s["error"]["type"];
    CAPTURE(type);
    const Thrown parse_error = thrown_by([&] { ChatTemplate::parse(source, "snippet"); });
    if (type == "TemplateSyntaxError") {
        CHECK(parse_error.thrown);
        CHECK(parse_error.kind == ErrorKind::invalid_input);
        CHECK(parse_error.message.rfind("snippet line ", 0) == 0);
        return;
    }
    REQUIRE_FALSE(parse_error.thrown);
    const auto t = ChatTemplate::parse(source, "snippet");
    const Thrown render_error = thrown_by([&] { t.render_template(s["variables"]); });
    CHECK(render_error.thrown);
    CHECK(render_error.kind == ErrorKind::invalid_input);
    if (type == "TemplateError" || type == "UndefinedError") {
        CHECK(render_error.message.find(s["error"]["message"].get<std::string>()) != std::string::npos);
    }
}

}  // namespace

TEST_SUITE("unit") {
TEST_CASE("chat templates render every reference conversation as transformers does byte for byte") {
    const auto& templates = reference()["templates"];
    REQUIRE(templates.size() >= 20);
    std::size_t rendered = 0, raised = 0;
    for (const auto& entry : templates) {
        const std::string name = entry["name"];
        CAPTURE(name);
        const auto t = ChatTemplate::parse(entry["template"].get<std::string>(), name);
        for (const auto& c : entry["cases"]) {
            const bool agp = c["add_generation_prompt"];
            CAPTURE(c["conversation"].get<std::string>());
            CAPTURE(agp);
            ojson variables = entry["special_tokens"];
            if (c.contains("variables")) {
                for (const auto& [k, v] : c["variables"].items()) variables[k] = v;
            }
            if (c.contains("expected")) {
                const std::string expected = c["expected"];
                CHECK(t.render_json(c["messages"], agp, variables) == expected);
                if (const auto plain = plain_messages(c["messages"])) CHECK(t.render(*plain, agp, variables) == expected);
                ++rendered;
                continue;
            }
            const Thrown e = thrown_by([&] { t.render_json(c["messages"], agp, variables); });
            CHECK(e.thrown);
            CHECK(e.kind == ErrorKind::invalid_input);
            CHECK(e.message.rfind(name + " line ", 0) == 0);
            const std::string type = c["error"]["type"];
            if (type == "TemplateError" || type == "UndefinedError") {
                CHECK(e.message.find(c["error"]["message"].get<std::string>()) != std::string::npos);
            }
            ++raised;
        }
    }
    CHECK(rendered >= 300);
    CHECK(raised >= 30);
}

TEST_CASE("every single-rule snippet renders or fails as jinja2 does in transformers") {
    const auto& snippets = reference()["snippets"];
    REQUIRE(snippets.size() >= 100);
    for (const auto& s : snippets) check_snippet(s);
}

TEST_CASE("whitespace control follows jinja2 with trim_blocks and lstrip_blocks") {
    for (const char* name : {"trim_blocks", "lstrip_blocks", "lstrip_not_for_variables", "lstrip_only_whole_line",
                             "lstrip_at_template_start", "minus_left", "minus_right", "minus_variable",
                             "plus_disables_lstrip", "plus_disables_trim", "comment_trim_and_lstrip",
                             "crlf_and_trailing_newline", "trailing_newline_once", "unicode_whitespace_minus",
                             "macro_whitespace"}) {
        check_snippet(snippet(name));
    }
    // The same rules spelled out on one template: the block lines vanish, the text lines stay.
    const auto t = ChatTemplate::parse("<s>\n  {% for m in messages %}\n  [{{ m.content }}]\n  {% endfor %}\n</s>\n");
    const std::vector<ChatMessage> messages = {{"user", "a"}, {"assistant", "b"}};
    CHECK(t.render(messages, false) == "<s>\n  [a]\n  [b]\n</s>");
}

TEST_CASE("syntax errors name the template line and column on one line") {
    auto error = [](std::string_view source, std::string name = "t") {
        const Thrown e = thrown_by([&] { ChatTemplate::parse(source, name); });
        CHECK(e.thrown);
        CHECK(e.kind == ErrorKind::invalid_input);
        CHECK(e.message.find('\n') == std::string::npos);
        return e.message;
    };
    CHECK(error("a\r\n{% if %}x{% endif %}", "tokenizer_config.json: chat_template") ==
          "tokenizer_config.json: chat_template line 2, column 7: expected an expression, got '%}'");
    CHECK(error("{% if true %}\n{{ x }}\n{% for m in messages x %}{% endfor %}{% endif %}") ==
          "t line 3, column 22: expected '%}', got 'x'");
    CHECK(error("{% for m in messages %}\n  {{ m }}\n") ==
          "t line 1, column 1: 'for' is never closed: expected 'endfor' or 'else' before the end of the template");
    CHECK(error("ok\n  {% frobnicate %}") == "t line 2, column 6: unknown tag 'frobnicate'");
    CHECK(error("a\nb {# never closed") == "t line 2, column 3: missing end of comment tag '#}'");
    // Columns count characters, not bytes.
    CHECK(error("한국어 {{ 1 + }}") == "t line 1, column 12: expected an expression, got '}}'");
    CHECK(error("{% if a %}{% endfor %}") == "t line 1, column 14: unexpected 'endfor', expected 'elif', 'else' or 'endif'");
    CHECK(error("{{ (1 ]}}") == "t line 1, column 7: unexpected ']', expected ')'");
    CHECK(error("{{ 'abc }}") == "t line 1, column 4: unterminated string literal");
    CHECK(error("{% break %}") == "t line 1, column 4: 'break' outside a for loop");
    CHECK(error("{{ x").find("this tag is never closed: expected '}}'") != std::string::npos);
    CHECK(error("bad \xff byte").find("not valid UTF-8") != std::string::npos);
}

TEST_CASE("raise_exception throws invalid_input with the template's message and where it was raised") {
    const auto t = ChatTemplate::parse(
        "{% for m in messages %}\n{% if m.role == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}"
        "{{ m.content }}{% endfor %}",
        "gemma");
    const std::vector<ChatMessage> ok = {{"user", "hi"}};
    CHECK(t.render(ok, true) == "hi");
    const std::vector<ChatMessage> bad = {{"system", "s"}, {"user", "hi"}};
    const Thrown e = thrown_by([&] { t.render(bad, true); });
    CHECK(e.thrown);
    CHECK(e.kind == ErrorKind::invalid_input);
    CHECK(e.message == "gemma line 2, column 31: System role not supported");
}

TEST_CASE("undefined variables are falsy and empty but fail when used as values") {
    auto render = [](std::string_view source, const ojson& variables = ojson::object()) {
        return ChatTemplate::parse(source, "u").render_template(variables);
    };
    CHECK(render("{% if missing %}yes{% else %}no{% endif %}[{{ missing }}][{{ missing | length }}]"
                 "[{% for x in missing %}x{% endfor %}][{{ missing is defined }}][{{ missing | default('d') }}]") ==
          "no[][0][][False][d]");
    CHECK(render("[{{ m.absent }}][{{ m['absent'] }}][{{ m.absent is defined }}]", {{"m", ojson::object()}}) ==
          "[][][False]");
    // jinja2's default Undefined raises on an attribute, arithmetic, a call or tojson.
    const Thrown attr = thrown_by([&] { render("{{ missing.attr }}"); });
    CHECK(attr.thrown);
    CHECK(attr.message == "u line 1, column 11: 'missing' is undefined");
    const Thrown chain = thrown_by([&] { render("{{ m.absent.deeper }}", {{"m", ojson::object()}}); });
    CHECK(chain.message == "u line 1, column 12: 'dict object' has no attribute 'absent'");
    CHECK(thrown_by([&] { render("{{ missing + 'x' }}"); }).kind == ErrorKind::invalid_input);
    CHECK(thrown_by([&] { render("{{ missing() }}"); }).thrown);
    CHECK(thrown_by([&] { render("{{ missing | tojson }}"); }).thrown);
    // The special tokens a model does not have are undefined too (Qwen has no bos_token).
    CHECK(render("[{{ bos_token }}]{{ eos_token }}", {{"eos_token", "<|im_end|>"}}) == "[]<|im_end|>");
}

TEST_CASE("render passes tools and documents as None and drops message keys that are null") {
    const auto t = ChatTemplate::parse(
        "{{ tools is none }} {{ documents is none }} {{ add_generation_prompt }} "
        "{% for m in messages %}{{ m | tojson }}{% endfor %}");
    const ojson messages = ojson::parse(R"([{"role": "assistant", "content": null, "reasoning": "r", "x": 1}])");
    CHECK(t.render_json(messages, true) ==
          R"(True True True {"thinking": "r", "role": "assistant", "reasoning": "r", "x": 1, "reasoning_content": "r"})");
    CHECK(t.render_json(messages, false, {{"tools", ojson::array()}}).rfind("False True False", 0) == 0);
}

TEST_CASE("load_chat_template reads the fixture's template and its special tokens") {
    ojson special;
    const auto t = load_chat_template(test::fixture("tiny-qwen2"), &special);
    REQUIRE(t.has_value());
    CHECK(special == ojson{{"eos_token", "<|endoftext|>"}, {"pad_token", "<|endoftext|>"}});
    for (const auto& entry : reference()["templates"]) {
        if (entry["name"] != "tiny-qwen2") continue;
        CHECK(entry["template"].get<std::string>() == t->source());
        for (const auto& c : entry["cases"]) {
            CAPTURE(c["conversation"].get<std::string>());
            CHECK(t->render_json(c["messages"], c["add_generation_prompt"], special) == c["expected"].get<std::string>());
        }
    }
    CHECK_FALSE(load_chat_template(test::fixture("tiny-gpt2")).has_value());
}

TEST_CASE("load_chat_template takes the default of named templates and chat_template.jinja first") {
    TempDir dir("chat-template-test");
    const auto config = dir.path() / "tokenizer_config.json";
    write_file_atomic(config, R"({"eos_token": {"content": "</s>", "special": true}, "bos_token": "<s>",
        "chat_template": [{"name": "tool_use", "template": "T"}, {"name": "default", "template": "{{ bos_token }}D{{ eos_token }}"}]})");
    ojson special;
    auto t = load_chat_template(dir.path(), &special);
    REQUIRE(t.has_value());
    CHECK(special == ojson{{"bos_token", "<s>"}, {"eos_token", "</s>"}});
    CHECK(t->render({}, false, special) == "<s>D</s>");

    write_file_atomic(dir.path() / "chat_template.jinja", "J{{ messages | length }}\n");
    t = load_chat_template(dir.path());
    REQUIRE(t.has_value());
    CHECK(t->render({}, false) == "J0");
    std::filesystem::remove(dir.path() / "chat_template.jinja");

    write_file_atomic(config, R"({"chat_template": [{"name": "a", "template": "A"}, {"name": "b", "template": "B"}]})");
    const Thrown no_default = thrown_by([&] { load_chat_template(dir.path()); });
    CHECK(no_default.kind == ErrorKind::invalid_input);
    CHECK(no_default.message.find("none is named 'default' (a, b)") != std::string::npos);

    write_file_atomic(config, R"({"chat_template": "line one\n{% if %}"})");
    const Thrown syntax = thrown_by([&] { load_chat_template(dir.path()); });
    CHECK(syntax.message == config.string() + ": chat_template line 2, column 7: expected an expression, got '%}'");

    write_file_atomic(config, R"({"eos_token": "</s>"})");
    CHECK_FALSE(load_chat_template(dir.path()).has_value());
}
}
