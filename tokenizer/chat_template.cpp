// The public entry of chat templates (chat_template.hpp): parsing, rendering with the variables
// transformers passes, and finding a model folder's template. The interpreter itself is in
// tokenizer/chat_template/: lexer (jinja2/lexer.py's rules with transformers' trim_blocks and
// lstrip_blocks), parser to a syntax tree (jinja2/parser.py's grammar and precedence), and an
// interpreter over Python-like values (jinja2's runtime in transformers'
// ImmutableSandboxedEnvironment). Comments there cite the upstream behaviour each rule mirrors;
// tests/tokenizer/chat_template_test.cpp holds the whole to assets/references/chat-templates.json
// (tools/references/chat_templates.py).
#include "tokenizer/chat_template.hpp"

#include <algorithm>
#include <vector>

#include "core/error.hpp"
#include "core/fs.hpp"
#include "tokenizer/chat_template/builtins.hpp"
#include "tokenizer/chat_template/interpreter.hpp"
#include "tokenizer/chat_template/lexer.hpp"
#include "tokenizer/chat_template/parser.hpp"
#include "tokenizer/chat_template/value_json.hpp"
#include "tokenizer/tokenizer_impl.hpp"
#include "tokenizer/unicode.hpp"

namespace hubbench::tokenizer {

struct ChatTemplate::Program {
    std::string name;
    std::string source;
    jinja::Body body;
};

namespace {

using ojson = nlohmann::ordered_json;
namespace uni = unicode;

// jinja2 turns \r\n and \r into \n before lexing (newline_sequence "\n").
std::string normalize_newlines(std::string_view source) {
    std::string out;
    out.reserve(source.size());
    for (std::size_t i = 0; i < source.size(); ++i) {
        if (source[i] == '\r') {
            out.push_back('\n');
            if (i + 1 < source.size() && source[i + 1] == '\n') ++i;
        } else {
            out.push_back(source[i]);
        }
    }
    // keep_trailing_newline=False: jinja2's lexer drops one final newline.
    if (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

// "name line L, column C" of a byte offset; columns count code points from 1.
std::string where(const std::string& name, const std::string& source, std::size_t offset) {
    offset = std::min(offset, source.size());
    const auto line = 1 + std::count(source.begin(), source.begin() + static_cast<std::ptrdiff_t>(offset), '\n');
    std::size_t line_start = offset == 0 ? std::string::npos : source.rfind('\n', offset - 1);
    line_start = line_start == std::string::npos ? 0 : line_start + 1;
    const std::size_t column = 1 + uni::count_chars(std::string_view(source).substr(line_start, offset - line_start));
    return name + " line " + std::to_string(line) + ", column " + std::to_string(column);
}

// Renders `program` with `variables` (a scope over the globals); a TemplateFailure becomes an
// Error naming the template, line and column of what was being evaluated.
std::string run(const ChatTemplate::Program& program, const jinja::ScopePtr& variables) {
    jinja::Interpreter in;
    in.adopt(variables);
    std::string out;
    try {
        in.exec(program.body, variables, out);
    } catch (const jinja::TemplateFailure& f) {
        throw Error(ErrorKind::invalid_input, one_line(where(program.name, program.source, in.offset) + ": " + f.message));
    }
    return out;
}

}  // namespace

ChatTemplate ChatTemplate::parse(std::string_view source, std::string name) {
    if (const auto bad = uni::find_invalid(source); bad != std::string_view::npos) {
        throw Error(ErrorKind::invalid_input, name + ": the template is not valid UTF-8 (byte " + std::to_string(bad) + ")");
    }
    auto program = std::make_shared<Program>();
    program->name = std::move(name);
    program->source = normalize_newlines(source);
    try {
        program->body = jinja::Parser(jinja::lex(program->source)).parse_template();
    } catch (const jinja::SyntaxError& e) {
        throw Error(ErrorKind::invalid_input, one_line(where(program->name, program->source, e.offset) + ": " + e.message));
    }
    return ChatTemplate(std::move(program));
}

const std::string& ChatTemplate::name() const { return program_->name; }
const std::string& ChatTemplate::source() const { return program_->source; }

std::string ChatTemplate::render_template(const nlohmann::ordered_json& variables) const {
    if (!variables.is_object()) throw Error(ErrorKind::invalid_input, program_->name + ": template variables must be a JSON object");
    auto scope = jinja::child(jinja::make_globals());
    for (const auto& [k, v] : variables.items()) scope->set(k, jinja::from_json(v, program_->name));
    return run(*program_, scope);
}

std::string ChatTemplate::render_json(const nlohmann::ordered_json& messages, bool add_generation_prompt,
                                      const nlohmann::ordered_json& variables) const {
    const std::string& name = program_->name;
    if (!messages.is_array()) throw Error(ErrorKind::invalid_input, name + ": messages must be a JSON array of objects");
    if (!variables.is_object()) throw Error(ErrorKind::invalid_input, name + ": template variables must be a JSON object");
    std::vector<jinja::Value> chat;
    for (const auto& message : messages) {
        if (!message.is_object()) throw Error(ErrorKind::invalid_input, name + ": every message must be a JSON object");
        // apply_chat_template's _normalize_chat_messages: keys whose value is None are dropped.
        ojson kept = ojson::object();
        for (const auto& [k, v] : message.items()) {
            if (!v.is_null()) kept[k] = v;
        }
        // render_jinja_template's _alias_reasoning_fields: the first of reasoning_content, thinking,
        // reasoning becomes {"thinking": r, **message, "reasoning_content": r}.
        for (const char* key : {"reasoning_content", "thinking", "reasoning"}) {
            if (!kept.contains(key)) continue;
            const ojson reasoning = kept[key];
            ojson aliased = ojson::object();
            aliased["thinking"] = reasoning;
            for (const auto& [k, v] : kept.items()) aliased[k] = v;
            aliased["reasoning_content"] = reasoning;
            kept = std::move(aliased);
            break;
        }
        chat.push_back(jinja::from_json(kept, name));
    }
    // render_jinja_template: compiled_template.render(messages=..., tools=..., documents=...,
    // add_generation_prompt=..., **kwargs); tools and documents are None unless given.
    auto scope = jinja::child(jinja::make_globals());
    scope->set("messages", jinja::list(std::move(chat)));
    scope->set("tools", variables.contains("tools") ? jinja::from_json(variables["tools"], name) : jinja::none());
    scope->set("documents", variables.contains("documents") ? jinja::from_json(variables["documents"], name) : jinja::none());
    scope->set("add_generation_prompt", jinja::boolean(add_generation_prompt));
    for (const auto& [k, v] : variables.items()) {
        if (k != "tools" && k != "documents" && k != "messages" && k != "add_generation_prompt") scope->set(k, jinja::from_json(v, name));
    }
    return run(*program_, scope);
}

std::string ChatTemplate::render(std::span<const ChatMessage> messages, bool add_generation_prompt,
                                 const nlohmann::ordered_json& variables) const {
    ojson array = ojson::array();
    for (const auto& m : messages) array.push_back(ojson{{"role", m.role}, {"content", m.content}});
    return render_json(array, add_generation_prompt, variables);
}

std::optional<ChatTemplate> load_chat_template(const std::filesystem::path& model_dir,
                                               nlohmann::ordered_json* special_token_strings) {
    if (special_token_strings) {
        // PreTrainedTokenizerBase.special_tokens_map, in SPECIAL_TOKENS_ATTRIBUTES order.
        const TokenizerConfig config = read_tokenizer_config(model_dir);
        *special_token_strings = ojson::object();
        const std::pair<const char*, const ConfigToken*> tokens[] = {
            {"bos_token", &config.bos}, {"eos_token", &config.eos}, {"unk_token", &config.unk}, {"sep_token", &config.sep},
            {"pad_token", &config.pad}, {"cls_token", &config.cls}, {"mask_token", &config.mask}};
        for (const auto& [key, token] : tokens) {
            if (token->name) (*special_token_strings)[key] = *token->name;
        }
    }
    // PreTrainedTokenizerBase.from_pretrained: chat_template.jinja and additional_chat_templates/*.jinja
    // take priority over tokenizer_config.json; of several templates, get_chat_template() without
    // tools takes "default".
    std::error_code ec;
    std::vector<std::pair<std::string, std::filesystem::path>> files;
    if (std::filesystem::is_regular_file(model_dir / "chat_template.jinja", ec)) {
        files.emplace_back("default", model_dir / "chat_template.jinja");
    }
    const auto extra_dir = model_dir / "additional_chat_templates";
    if (std::filesystem::is_directory(extra_dir, ec)) {
        for (const auto& entry : std::filesystem::directory_iterator(extra_dir)) {
            if (entry.path().extension() == ".jinja") files.emplace_back(entry.path().stem().string(), entry.path());
        }
    }
    auto pick = [&](const std::vector<std::string>& names, const std::string& where) -> std::size_t {
        const auto it = std::find(names.begin(), names.end(), "default");
        if (it != names.end()) return static_cast<std::size_t>(it - names.begin());
        std::string list;
        for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
        throw Error(ErrorKind::invalid_input, where + ": several chat templates and none is named 'default' (" + list + ")");
    };
    if (!files.empty()) {
        std::vector<std::string> names;
        for (const auto& f : files) names.push_back(f.first);
        const auto& chosen = files[pick(names, model_dir.string())].second;
        return ChatTemplate::parse(read_file(chosen), chosen.string());
    }
    const auto config_path = model_dir / "tokenizer_config.json";
    if (!std::filesystem::is_regular_file(config_path, ec)) return std::nullopt;
    ojson doc;
    try {
        doc = ojson::parse(read_file(config_path));
    } catch (const ojson::exception& e) {
        throw Error(ErrorKind::invalid_input, config_path.string() + ": not valid JSON: " + e.what());
    }
    if (!doc.is_object()) return std::nullopt;
    const auto it = doc.find("chat_template");
    if (it == doc.end() || it->is_null()) return std::nullopt;
    const std::string where = config_path.string() + ": chat_template";
    if (it->is_string()) return ChatTemplate::parse(it->get<std::string>(), where);
    if (it->is_array()) {
        std::vector<std::string> names;
        std::vector<const ojson*> sources;
        for (const auto& entry : *it) {
            if (!entry.is_object() || !entry.contains("name") || !entry.contains("template") || !entry["name"].is_string() ||
                !entry["template"].is_string()) {
                throw Error(ErrorKind::invalid_input, where + ": every entry of the list must be {\"name\": ..., \"template\": ...}");
            }
            names.push_back(entry["name"].get<std::string>());
            sources.push_back(&entry["template"]);
        }
        const std::size_t i = pick(names, where);
        return ChatTemplate::parse(sources[i]->get<std::string>(), where + "[" + names[i] + "]");
    }
    throw Error(ErrorKind::invalid_input, where + ": neither a string nor a list of {\"name\", \"template\"}");
}

}  // namespace hubbench::tokenizer
