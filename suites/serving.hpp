// The speed task on a served model (--model openai:…): latency and throughput under load, the
// figures of vLLM's benchmark_serving and genai-perf, one result row per load level. Prompts are
// WikiText-2 lines (or the named dataset's) cut to prompt_tokens with the model's tokenizer; each
// request asks for output_tokens new tokens (ignore_eos) and streams them; the tokens actually
// received are what is counted. Latencies are the client's, on its monotonic clock
// (adapters/remote/load_generator.hpp).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "adapters/remote/load_generator.hpp"
#include "suites/result.hpp"

namespace hubbench::suites {

struct ServingParams {
    adapters::ApiEndpoint endpoint = adapters::ApiEndpoint::completions;
    std::size_t prompt_tokens = 128;
    std::size_t output_tokens = 64;
    std::vector<std::size_t> concurrency{1};  // one row per level (closed loop)
    double request_rate = 0.0;                // > 0: one row at this Poisson rate instead (open loop)
    std::size_t requests = 0;                 // per level; 0 with no duration: max(16, 4 × level)
    double duration_seconds = 0.0;            // per level: stop sending after this long
    double slo_ttft_ms = 0.0;                 // 0 = no objective
    double slo_itl_ms = 0.0;                  // objective on a request's mean inter-token latency
    std::uint64_t seed = 0;
};

// Metrics of one level from what the load generator saw: ttft_ms_p50|p90|p99, itl_ms_p50|p90|p99
// (every gap between text chunks of every completed request), e2e_ms_p50|p90|p99,
// requests_per_second and output_tokens_per_second (completed requests and their tokens over the
// level's wall time), goodput_rps (completed requests that met every SLO given, per second; with
// no SLO every completed request counts), requests, failed_requests, output_tokens_mean.
// Throws Error(network) naming the first failure when no request completed.
SuiteResult summarize_load(const adapters::LoadRun& run, const ServingParams& params);

// The prompts: lines of `text` (WikiText-2 when empty) with at least prompt_tokens tokens, each
// cut to its first prompt_tokens tokens and decoded; at most `count`.
std::vector<std::string> serving_prompts(const adapters::Adapter& adapter, const std::string& text, std::size_t prompt_tokens,
                                         std::size_t count);

// Every level of `params` against the adapter's server, one result per level in order.
std::vector<SuiteResult> run_serving(adapters::Adapter& adapter, const std::string& text, const ServingParams& params,
                                     const nlohmann::json& row_params);

}  // namespace hubbench::suites
