// `hubbench serve`: a model run by hubbench's engine behind the OpenAI-compatible API, so a team
// can serve a fixture or a small model on the CPU for tests and the load generator has a real
// server to measure. Endpoints (under /v1):
//   POST /completions        prompt (text or ids), max_tokens, echo, logprobs, stop, stream,
//                             ignore_eos, return_tokens_as_token_ids
//   POST /chat/completions   messages through the model's chat template (tokenizer_config.json)
//   POST /embeddings         input: a string or a list of strings
//   GET  /models, and GET /health (outside /v1): slots processing, queued, capacity, and how many
//                             generations were cancelled by their client going away
// Decoding is greedy (temperature and top_p are accepted and ignored). Requests beyond
// max_concurrency queue in arrival order; streams interleave token by token (serve/slots.hpp); a
// streaming client that disconnects cancels its generation and frees its slot. Bad JSON, an
// unknown model, an over-long prompt and an unsupported request get the API's error bodies with
// 4xx codes. Responses carry the server's own timings ("timings": queue_ms, prompt_n, prompt_ms,
// predicted_n, predicted_ms — llama-server's names).
#pragma once
#include <filesystem>
#include <memory>
#include <string>

#include "adapters/adapter.hpp"

namespace hubbench::serve {

struct ServeOptions {
    std::string served_name;          // the API's model name; empty = the model's id
    std::string host = "127.0.0.1";
    int port = 0;                     // 0 = any free port
    std::size_t max_concurrency = 4;  // requests generating at once; the rest wait
};

class OpenAiServer {
public:
    // `model_dir` holds tokenizer_config.json (its chat_template); `model` must outlive the server.
    OpenAiServer(adapters::Adapter& model, const std::filesystem::path& model_dir, ServeOptions options);
    ~OpenAiServer();
    OpenAiServer(const OpenAiServer&) = delete;
    OpenAiServer& operator=(const OpenAiServer&) = delete;

    // Binds (Error(io) naming host:port when it cannot) and serves on background threads.
    void start();
    void stop();
    // "http://127.0.0.1:PORT"; the API is under /v1.
    std::string url() const;
    const std::string& served_name() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace hubbench::serve
