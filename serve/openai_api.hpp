// The OpenAI API's request fields and error bodies as `hubbench serve` reads and answers them
// (https://platform.openai.com/docs/api-reference: completions, chat, embeddings), kept apart from
// the HTTP plumbing so each rule is tested on its own.
#pragma once
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace hubbench::serve {

// An error as the API answers it: an HTTP status and
// {"error": {"message": …, "type": …, "param": …, "code": …}}.
class ApiError : public std::runtime_error {
public:
    ApiError(int status, const std::string& message, std::string param = {}, std::string code = {},
             std::string type = "invalid_request_error")
        : std::runtime_error(message), status(status), param(std::move(param)), code(std::move(code)), type(std::move(type)) {}
    int status;
    std::string param, code, type;
};
nlohmann::json error_body(const ApiError& error);

// The body as a JSON object, else ApiError 400 (what the API answers for a body it cannot parse).
nlohmann::json parse_body(const std::string& text);
// The request's "model" must name the served model (absent is taken as it: there is one);
// ApiError 404 "model_not_found" otherwise.
void check_model(const nlohmann::json& body, const std::string& served_name);

// A prompt as sent: text (tokenized by the server) or token ids.
struct Prompt {
    std::optional<std::string> text;
    std::vector<std::int32_t> ids;
};

// The fields of a completion or chat request that generation reads.
struct GenerationFields {
    std::size_t max_tokens = 16;        // the completions default; chat: until the context is full
    bool max_tokens_given = false;
    bool stream = false;
    bool include_usage = false;         // stream_options.include_usage
    bool ignore_eos = false;            // vLLM / llama-server extension: always max_tokens tokens
    std::vector<std::string> stop;      // stop sequences (up to 4, as the API allows)
    std::optional<std::size_t> logprobs;// completions: top-k per token (0 = the chosen token only)
    bool echo = false;                  // completions: the prompt is part of the answer
    bool tokens_as_ids = false;         // vLLM's return_tokens_as_token_ids: tokens as "token_id:N"
};

// "prompt": a string, a list of strings, a list of ids or a list of id lists (ApiError 400 names
// the field otherwise), and the generation fields. Temperature, top_p and seed are accepted and
// ignored: hubbench serve decodes greedily (documented in README).
std::vector<Prompt> completion_prompts(const nlohmann::json& body);
GenerationFields generation_fields(const nlohmann::json& body, bool chat);

struct Message {
    std::string role;
    std::string content;  // text parts joined when content is a list of parts
};
std::vector<Message> chat_messages(const nlohmann::json& body);

// "input" of an embeddings request: a string or a list of strings.
std::vector<std::string> embedding_inputs(const nlohmann::json& body);

}  // namespace hubbench::serve
