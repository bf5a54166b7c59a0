// The remote adapter: a model behind an OpenAI-compatible server (vLLM, llama.cpp's llama-server,
// text-generation-inference, LocalAI …), reached over HTTP with libcurl.
//
//   openai:http://127.0.0.1:8000/v1?model=NAME&tokenizer=DIR[&max_length=N]
//
// Causal scoring sends token ids (the prompt may be a list of id lists) to /completions with
// echo=true, logprobs and max_tokens=1, and reads each prompt token's log-probability back, as
// lm-evaluation-harness does for its API backends (lm_eval/models/api_models.py). Embeddings come
// from /embeddings. The tokenizer is local (tokenizer=DIR, a folder with tokenizer.json): the
// windows are cut in token space, so the ids the server scores are exactly ours. Masked-LM scoring
// and token-level generation are not part of the API and are reported as unsupported.
// The API key, when the variable holding it is set, is sent as a bearer token: $OPENAI_API_KEY, or
// the variable named by api_key_env=NAME in the spec or --api-key-env NAME on the command line.
#pragma once
#include <memory>
#include <string>

#include "adapters/adapter.hpp"

namespace hubbench::adapters {

struct RemoteSpec {
    std::string base_url;   // up to and including /v1, no trailing slash
    std::string model;      // the server's model name
    std::string tokenizer;  // local folder or file for the tokenizer
    std::size_t max_length = 0;
    std::string api_key_env{};  // the environment variable holding the API key; empty = OPENAI_API_KEY
};

// True for "openai:…".
bool is_remote_spec(const std::string& spec);
// Parses "openai:URL?model=…&tokenizer=…&max_length=…&api_key_env=…"; Error(usage) names what is wrong.
RemoteSpec parse_remote_spec(const std::string& spec);

std::unique_ptr<Adapter> open_remote(const RemoteSpec& spec);

}  // namespace hubbench::adapters
