#include "serve/openai_api.hpp"

namespace hubbench::serve {
namespace {

ApiError invalid(const std::string& param, const std::string& message) { return ApiError(400, message, param); }

bool is_id_list(const nlohmann::json& j) {
    if (!j.is_array() || j.empty()) return false;
    for (const auto& x : j)
        if (!x.is_number_integer()) return false;
    return true;
}

std::vector<std::int32_t> ids_of(const nlohmann::json& j) {
    std::vector<std::int32_t> ids;
    for (const auto& x : j) {
        const auto v = x.get<std::int64_t>();
        if (v < 0 || v > INT32_MAX) throw invalid("prompt", "'prompt' holds a token id out of range: " + std::to_string(v));
        ids.push_back(static_cast<std::int32_t>(v));
    }
    return ids;
}

bool flag(const nlohmann::json& body, const char* name) {
    if (!body.contains(name) || body[name].is_null()) return false;
    if (!body[name].is_boolean()) throw invalid(name, std::string("'") + name + "' must be a boolean");
    return body[name].get<bool>();
}

std::optional<std::size_t> count(const nlohmann::json& body, const char* name) {
    if (!body.contains(name) || body[name].is_null()) return std::nullopt;
    if (!body[name].is_number_integer() || body[name].get<std::int64_t>() < 0) {
        throw invalid(name, std::string("'") + name + "' must be a non-negative integer, got " + body[name].dump());
    }
    return body[name].get<std::size_t>();
}

}  // namespace

nlohmann::json error_body(const ApiError& error) {
    auto nullable = [](const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); };
    return {{"error", {{"message", error.what()}, {"type", error.type}, {"param", nullable(error.param)}, {"code", nullable(error.code)}}}};
}

nlohmann::json parse_body(const std::string& text) {
    nlohmann::json body = nlohmann::json::parse(text, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
        throw ApiError(400, "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your "
                            "HTTP library correctly. The OpenAI API expects a JSON payload.)");
    }
    return body;
}

void check_model(const nlohmann::json& body, const std::string& served_name) {
    if (!body.contains("model") || body["model"].is_null()) return;
    if (!body["model"].is_string()) throw invalid("model", "'model' must be a string");
    const std::string name = body["model"].get<std::string>();
    if (name != served_name) {
        throw ApiError(404, "The model `" + name + "` does not exist. This server serves `" + served_name + "`.", "model",
                       "model_not_found");
    }
}

std::vector<Prompt> completion_prompts(const nlohmann::json& body) {
    if (!body.contains("prompt")) throw invalid("prompt", "'prompt' is a required property");
    const auto& p = body["prompt"];
    std::vector<Prompt> out;
    if (p.is_string()) {
        out.push_back({p.get<std::string>(), {}});
    } else if (is_id_list(p)) {
        out.push_back({std::nullopt, ids_of(p)});
    } else if (p.is_array() && !p.empty()) {
        for (const auto& item : p) {
            if (item.is_string()) {
                out.push_back({item.get<std::string>(), {}});
            } else if (is_id_list(item)) {
                out.push_back({std::nullopt, ids_of(item)});
            } else {
                throw invalid("prompt", "'prompt' must be a string, a list of strings, a list of token ids or a list of "
                                        "token id lists");
            }
        }
    } else {
        throw invalid("prompt", "'prompt' must be a string, a list of strings, a list of token ids or a list of token id lists");
    }
    return out;
}

GenerationFields generation_fields(const nlohmann::json& body, bool chat) {
    GenerationFields f;
    for (const char* name : {"max_tokens", "max_completion_tokens"}) {
        if (auto n = count(body, name)) {
            f.max_tokens = *n;
            f.max_tokens_given = true;
        }
    }
    if (auto n = count(body, "n"); n && *n != 1) throw invalid("n", "hubbench serve decodes greedily: 'n' must be 1");
    f.stream = flag(body, "stream");
    if (body.contains("stream_options") && body["stream_options"].is_object()) {
        f.include_usage = flag(body["stream_options"], "include_usage");
    }
    f.ignore_eos = flag(body, "ignore_eos");
    f.tokens_as_ids = flag(body, "return_tokens_as_token_ids");
    if (body.contains("stop") && !body["stop"].is_null()) {
        const auto& s = body["stop"];
        if (s.is_string()) {
            f.stop.push_back(s.get<std::string>());
        } else if (s.is_array() && s.size() <= 4) {
            for (const auto& x : s) {
                if (!x.is_string()) throw invalid("stop", "'stop' must be a string or a list of up to 4 strings");
                f.stop.push_back(x.get<std::string>());
            }
        } else {
            throw invalid("stop", "'stop' must be a string or a list of up to 4 strings");
        }
        std::erase(f.stop, std::string());
    }
    if (chat) {
        // Chat asks for log-probabilities with a boolean and top_logprobs.
        if (flag(body, "logprobs")) f.logprobs = count(body, "top_logprobs").value_or(0);
    } else {
        f.echo = flag(body, "echo");
        f.logprobs = count(body, "logprobs");
    }
    if (f.logprobs && *f.logprobs > 20) throw invalid(chat ? "top_logprobs" : "logprobs", "at most 20 log-probabilities per token");
    return f;
}

std::vector<Message> chat_messages(const nlohmann::json& body) {
    if (!body.contains("messages")) throw invalid("messages", "'messages' is a required property");
    const auto& list = body["messages"];
    if (!list.is_array() || list.empty()) throw invalid("messages", "'messages' must be a non-empty list");
    std::vector<Message> out;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto& m = list[i];
        const std::string where = "messages[" + std::to_string(i) + "]";
        if (!m.is_object() || !m.contains("role") || !m["role"].is_string()) throw invalid(where + ".role", "'" + where + ".role' must be a string");
        Message msg{m["role"].get<std::string>(), {}};
        if (m.contains("content") && m["content"].is_string()) {
            msg.content = m["content"].get<std::string>();
        } else if (m.contains("content") && m["content"].is_array()) {
            for (const auto& part : m["content"]) {
                if (!part.is_object() || part.value("type", "") != "text" || !part.contains("text") || !part["text"].is_string()) {
                    throw invalid(where + ".content", "'" + where + ".content' may hold text parts only");
                }
                msg.content += part["text"].get<std::string>();
            }
        } else if (!(m.contains("content") && m["content"].is_null())) {
            throw invalid(where + ".content", "'" + where + ".content' must be a string or a list of text parts");
        }
        out.push_back(std::move(msg));
    }
    return out;
}

std::vector<std::string> embedding_inputs(const nlohmann::json& body) {
    if (!body.contains("input")) throw invalid("input", "'input' is a required property");
    const auto& in = body["input"];
    if (in.is_string()) return {in.get<std::string>()};
    if (in.is_array() && !in.empty()) {
        std::vector<std::string> out;
        for (const auto& x : in) {
            if (!x.is_string()) throw invalid("input", "'input' must be a string or a list of strings (token ids are not accepted here)");
            out.push_back(x.get<std::string>());
        }
        return out;
    }
    throw invalid("input", "'input' must be a string or a non-empty list of strings");
}

}  // namespace hubbench::serve
