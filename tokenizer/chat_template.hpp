// Hugging Face chat templates: the Jinja2 that tokenizer_config.json's "chat_template" holds,
// rendered the way transformers' apply_chat_template(messages, tokenize=False) renders it
// (transformers/utils/chat_template_utils.py: _cached_compile_jinja_template and
// render_jinja_template), so that a chat prompt hubbench builds is byte for byte the prompt the model
// was trained on.
//
// What transformers does, and so what this does:
// - jinja2's ImmutableSandboxedEnvironment with trim_blocks=True and lstrip_blocks=True (the first
//   newline after a block or comment tag is dropped; spaces and tabs before a block or comment tag
//   that starts its line are dropped), keep_trailing_newline=False (one final newline of the
//   template is dropped), newlines normalised to "\n", the loopcontrols extension ({% break %},
//   {% continue %}) and transformers' {% generation %} tag (rendered as its body).
// - Globals raise_exception(message) (throws Error(invalid_input) with the message),
//   strftime_now(format) (local time), namespace(...) and dict(...), and jinja2's range(...).
// - tojson is transformers' override: json.dumps(x, ensure_ascii=False, indent=None,
//   separators=None, sort_keys=False), so non-ASCII text stays as is and keys keep their order.
// - The template sees messages, add_generation_prompt, tools and documents (None unless given),
//   the tokenizer's special tokens as strings (bos_token, eos_token, ...) and any extra variable.
//   Message keys whose value is null are dropped first, and a message with reasoning under any of
//   reasoning_content, thinking or reasoning gets it under thinking and reasoning_content too.
// - Undefined values are jinja2's default Undefined: a missing variable or attribute is falsy,
//   renders as "", iterates as empty and has length 0, but arithmetic, comparison, calling it or
//   taking an attribute or item of it raises (as jinja2 does: `{{ missing.attr }}` fails).
// Values are Python's: str() and repr() of numbers, lists, dicts and None ("None", "True",
// "1.0", "['a', 'b']") are reproduced, strings are indexed and sliced by code point, and the
// string methods templates call (.strip(), .split(), .startswith(), ...) behave as Python's.
//
// Supported Jinja2: {{ }}, {% %}, {# #}, {% raw %}, whitespace control ({%- -%} {{- -}} {#- -#},
// {%+ +%}); if/elif/else; for (tuple targets, `if` filter, else, loop.index/index0/revindex/
// revindex0/first/last/length/previtem/nextitem/cycle); set (values, tuples, namespace attributes,
// {% set x %}...{% endset %}); macro (varargs, kwargs, {% call %} and caller); with; filter
// blocks; literals (strings with Python's escapes, ints, floats, true/false/none in either case,
// lists, tuples, dicts); . [] and slices; calls with keywords, *args and **kwargs; + - * / // %
// ** ~, comparisons (chained), in / not in, and / or / not, a if b else c; the filters abs, attr,
// capitalize, count, d, default, e, escape, first, float, indent, int, items, join, last, length,
// list, lower, map, max, min, reject, rejectattr, replace, reverse, safe, select, selectattr,
// sort, string, sum, title, tojson, trim, unique, upper; jinja2's tests.
// Not supported (an error names them): recursive loops, template inheritance and includes, the %
// string operator, the str methods no Hub template calls (format, zfill, ...). upper() and
// lower() map each code point on its own (utf8proc's simple case mapping): 'ß'.upper() stays 'ß'
// here, where Python gives 'SS'.
#pragma once
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace hubbench::tokenizer {

struct ChatMessage {
    std::string role;
    std::string content;
};

class ChatTemplate {
public:
    // Parses once. A syntax error throws Error(invalid_input) as one line naming `name`, the line
    // and the column: "tokenizer_config.json: chat_template line 3, column 7: expected '%}', got 'x'".
    static ChatTemplate parse(std::string_view source, std::string name = "chat_template");

    // apply_chat_template(messages, tokenize=False, add_generation_prompt=...). `variables` holds
    // the special tokens (bos_token, eos_token, ... as strings; see load_chat_template) and any
    // extra template variable (tools, documents, date_string, enable_thinking, ...); an ordered
    // JSON object, so that what the template prints with tojson or iterates keeps its key order.
    // Errors the template raises (raise_exception, an operation on an undefined value, a type
    // error) throw Error(invalid_input) naming the template, line and column.
    std::string render(std::span<const ChatMessage> messages, bool add_generation_prompt,
                       const nlohmann::ordered_json& variables = nlohmann::ordered_json::object()) const;
    // The same with messages as JSON objects: tool_calls, tool_call_id, reasoning_content, content
    // given as a list of parts, or any other key a template reads.
    std::string render_json(const nlohmann::ordered_json& messages, bool add_generation_prompt,
                            const nlohmann::ordered_json& variables = nlohmann::ordered_json::object()) const;
    // The template with exactly `variables` (plus the globals above) and nothing else: what
    // jinja2's Template.render(**variables) gives in transformers' environment.
    std::string render_template(const nlohmann::ordered_json& variables) const;

    const std::string& name() const;
    // The source after newline normalisation (what line and column numbers refer to).
    const std::string& source() const;

    struct Program;

private:
    explicit ChatTemplate(std::shared_ptr<const Program> program) : program_(std::move(program)) {}
    std::shared_ptr<const Program> program_;
};

// The chat template of a model folder as transformers loads it: chat_template.jinja (and
// additional_chat_templates/*.jinja) first, else tokenizer_config.json's "chat_template", either a
// string or a list of {"name", "template"}; of several named templates the one called "default"
// (transformers' get_chat_template without tools). nullopt when the folder has none.
// `special_token_strings`, when given, becomes the object of special-token variables transformers
// passes (special_tokens_map: bos_token, eos_token, unk_token, sep_token, pad_token, cls_token,
// mask_token, those set to a string or {"content": ...}) from tokenizer_config.json, with
// special_tokens_map.json filling what it leaves out. Tokens a tokenizer class sets by default
// without naming them in these files are not known here.
std::optional<ChatTemplate> load_chat_template(const std::filesystem::path& model_dir,
                                               nlohmann::ordered_json* special_token_strings = nullptr);

}  // namespace hubbench::tokenizer
