// Turns what a user names as --model into an adapter: a local folder, a Hub repo id
// ("org/name[@revision]", looked up in the HF cache and pulled when missing), or an
// OpenAI-compatible server ("openai:http://host:port/v1?model=NAME&tokenizer=DIR", see
// adapters/remote/openai_adapter.hpp).
#pragma once
#include <memory>
#include <string>

#include "adapters/adapter.hpp"
#include "engine/config.hpp"

namespace hubbench::adapters {

struct OpenOptions {
    int threads = 0;  // compute threads of a native model; 0 = all cores
    // What a native model's weight matrices are multiplied in (--dtype); a served model ignores it.
    engine::ComputeDtype dtype = engine::ComputeDtype::automatic;
    // The environment variable holding a served model's API key (--api-key-env) when its spec
    // names none; empty = OPENAI_API_KEY.
    std::string api_key_env{};
};

std::unique_ptr<Adapter> open_model(const std::string& spec, const OpenOptions& options = {});

}  // namespace hubbench::adapters
