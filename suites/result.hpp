// What every suite returns: named metrics with their uncertainty, the effective parameters, the
// number of items scored and where the time went. Suites never print or store; the CLI renders a
// result and the harness stores it.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "adapters/adapter.hpp"
#include "results/records.hpp"

namespace hubbench::suites {

struct Metric {
    std::string name;                   // "token_ppl", "spearman_cosine", "prefill_tps_128"
    double value = 0.0;
    std::optional<double> std_error;    // standard error, where the suite can estimate one
};

struct SuiteResult {
    std::string task;                   // "perplexity", "pppl", "sts", "speed"
    nlohmann::json params = nlohmann::json::object();  // effective parameters, defaults filled in
    std::vector<Metric> metrics;        // in display order
    std::uint64_t n = 0;                // items scored: tokens, masked tokens, pairs, repetitions
    adapters::PhaseTimings timings;     // tokenize / forward / score seconds
    double seconds = 0.0;               // wall time of the whole task
    nlohmann::json details = nlohmann::json::object();  // small diagnostics (first windows, ...)
    // Per-item values behind a metric (1/0 correctness of each item for accuracy), stored so that
    // reports can compare two models paired on the same items.
    std::vector<results::Sample> samples;
    // One object per item for `hubbench eval --predictions` ({"index","gold","prediction","scores"});
    // not stored.
    std::vector<nlohmann::ordered_json> predictions;
    std::optional<std::string> skipped; // set instead of metrics when the model cannot do the task

    void add(std::string name, double value, std::optional<double> std_error = std::nullopt);
    const Metric* find(const std::string& name) const;
    // The metric's value; throws Error(not_found) naming the metric when it is absent.
    double value(const std::string& name) const;
};

// The JSON of `hubbench eval --format json`:
// {"model","model_revision","compute_dtype","task","params","metrics","n","seconds"}, where
// compute_dtype is "float32", "bfloat16" or "int8" (null for a served model), metrics maps each
// name to its value, and a metric with an uncertainty adds "<name>_stderr". The phase split is
// reported as the metrics tokenize_seconds, forward_seconds and score_seconds. A skipped result
// has "skipped": reason instead of metrics.
nlohmann::json to_json(const SuiteResult& result, const adapters::ModelInfo& model);

}  // namespace hubbench::suites
