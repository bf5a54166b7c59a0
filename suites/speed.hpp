// Speed and memory of one model, the figures llama-bench and optimum-benchmark report: load time,
// prefill throughput at fixed prompt lengths, decode throughput with the KV cache, latency
// percentiles over repetitions after warm-up, and the process's peak resident memory.
#pragma once
#include <cstddef>
#include <vector>

#include "adapters/adapter.hpp"
#include "suites/result.hpp"
#include "suites/task_entry.hpp"

namespace hubbench::suites {

struct SpeedParams {
    std::vector<std::size_t> prefill_lengths{64, 128, 256};  // lengths above the model's limit are dropped
    std::size_t decode_tokens = 32;   // new tokens per decode run (decoders only)
    std::size_t batch_size = 1;       // sequences per prefill pass
    std::size_t repetitions = 5;      // timed runs of each measurement
    std::size_t warmup = 1;           // untimed runs first
};

// Metrics: load_seconds (from the adapter), for each length L prefill_tps_L (tokens/s at the
// median), prefill_p50_ms_L and prefill_p95_ms_L; for decoders decode_tps (median over runs),
// decode_p50_ms and decode_p95_ms (per token); peak_rss_mb and threads. The inputs are token
// ids taken from `text` (tokenized once) or, when it is empty, a fixed cycle of ordinary ids.
SuiteResult run_speed(adapters::Adapter& adapter, std::string_view text, const SpeedParams& params);

// The process's peak resident set size in bytes (getrusage; VmHWM from /proc when larger).
std::uint64_t peak_rss_bytes();

// The registry entry: parameters prefill_lengths, decode_tokens, batch_size, repetitions, warmup;
// no default dataset (synthetic ids unless one is named).
const TaskEntry& speed_task();

}  // namespace hubbench::suites
