// A load generator for OpenAI-compatible servers, the measurements of vLLM's benchmark_serving and
// genai-perf: streamed requests (`"stream": true`, server-sent events) on /completions or
// /chat/completions, each timed on the client's monotonic clock — time to first token (first
// chunk with text), the gaps between later chunks (inter-token latency), end-to-end latency — at
// a fixed concurrency (closed loop: N requests always in flight) or a request rate (open loop:
// Poisson arrivals from a seeded generator). Every request runs on one thread through libcurl
// multi (hub::HttpMulti), so the generator's own cost stays far below any real server's
// (bench: BM_load_generator_ceiling).
#pragma once
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

namespace hubbench::adapters {

// Where a served model is and how to reach it.
struct ServedEndpoint {
    std::string base_url;              // up to and including /v1
    std::string model;                 // the server's model name
    std::vector<std::string> headers;  // e.g. "Authorization: Bearer …"
};

enum class ApiEndpoint { completions, chat };
const char* api_endpoint_name(ApiEndpoint endpoint);  // "completions", "chat"
// "completions" or "chat"; Error(usage) otherwise.
ApiEndpoint parse_api_endpoint(const std::string& name);

struct LoadOptions {
    ApiEndpoint endpoint = ApiEndpoint::completions;
    std::size_t output_tokens = 64;  // max_tokens of each request
    bool ignore_eos = true;          // ask for all output_tokens (vLLM, llama-server and hubbench serve honour it)
    std::size_t concurrency = 1;     // requests in flight (closed loop), when request_rate is 0
    double request_rate = 0.0;       // requests per second, Poisson arrivals (open loop); 0 = use concurrency
    std::uint64_t seed = 0;          // of the arrival times
    std::size_t requests = 0;        // send this many; 0 = until duration_seconds
    double duration_seconds = 0.0;   // stop sending after this long; 0 = until `requests` are sent
};

// One request as the client saw it. Times are seconds on the monotonic clock.
struct RequestRecord {
    std::size_t prompt_index = 0;
    double sent = 0.0;                  // since the run began
    double ttft = 0.0;                  // first chunk carrying text, since sent
    double e2e = 0.0;                   // the stream's end, since sent
    std::vector<double> inter_token;    // gaps between successive text chunks
    std::size_t output_tokens = 0;      // usage.completion_tokens when the server sends it, else text chunks
    std::size_t text_chunks = 0;
    std::string text;                   // the generated text, joined
    bool ok = false;
    std::string error;                  // why it failed (HTTP status and the server's message, transport error)
    nlohmann::json server_timings;      // a "timings" object when the server sends one (llama-server, hubbench serve)
};

struct LoadRun {
    std::vector<RequestRecord> requests;  // in the order they were sent
    double seconds = 0.0;                 // first send to last end
};

// Sends prompts[0], prompts[1], … (cycled) as the options say and waits for every answer.
// Throws Error(usage) for options that bound nothing; failed requests are records with ok=false.
LoadRun run_load(const ServedEndpoint& server, std::span<const std::string> prompts, const LoadOptions& options);

}  // namespace hubbench::adapters
