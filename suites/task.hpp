// One entry point for every task, driven by names and a parameter map (from the CLI or a suite
// file), so the harness and `hubbench eval` run tasks the same way.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "adapters/adapter.hpp"
#include "suites/dataset.hpp"
#include "suites/result.hpp"

namespace hubbench::suites {

struct TaskSpec {
    std::string task;            // "perplexity", "pppl", "sts" or "speed"
    DatasetRef dataset;          // empty: the task's bundled default
    // Parameters by their snake_case names: max_length, stride (a number or a list), limit,
    // batch_size, convention ("hf" | "llama.cpp"), bootstrap, seed, prefill_lengths,
    // decode_tokens, repetitions, warmup. A name the task does not know is Error(usage).
    nlohmann::json params = nlohmann::json::object();
};

struct RunOptions {
    // Suite files name one window length for models of every size: shrink max_length (and a
    // stride above it) to what the model accepts instead of failing. The CLI leaves this off.
    bool fit_to_model = false;
};

const std::vector<std::string>& task_names();

// The bundled dataset a task uses when none is named (speed has none).
DatasetRef default_dataset(const std::string& task);

// Checks the task name and its parameters' names and types without running anything;
// Error(usage) names the problem.
void check_task(const TaskSpec& spec);

// Runs the task and returns its results (perplexity gives one per stride, the others one).
// Errors propagate: Error(unsupported) when the model cannot do the task.
std::vector<SuiteResult> run_task(adapters::Adapter& adapter, const TaskSpec& spec, const RunOptions& options = {});

// As run_task, but a model that cannot do the task gives one result whose `skipped` holds the
// reason (what the harness stores as "skipped: reason").
std::vector<SuiteResult> run_task_or_skip(adapters::Adapter& adapter, const TaskSpec& spec,
                                          const RunOptions& options = {});

}  // namespace hubbench::suites
