// One entry point for every task, driven by names and a parameter map (from the CLI or a suite
// file), so the harness and `hubbench eval` run tasks the same way. The tasks themselves are the
// registry's entries (suites/task_entry.hpp, suites/registry.cpp).
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "adapters/adapter.hpp"
#include "suites/dataset.hpp"
#include "suites/result.hpp"
#include "suites/task_entry.hpp"

namespace hubbench::suites {

struct TaskSpec {
    std::string task;            // an entry's name: "perplexity", "classification", ...
    DatasetRef dataset;          // empty: the task's bundled default
    // Parameters by their snake_case names, as the entry declares them. A name the task does not
    // know is Error(usage).
    nlohmann::json params = nlohmann::json::object();
};

struct RunOptions {
    // Suite files name one window length for models of every size: shrink max_length (and a
    // stride above it) to what the model accepts instead of failing. The CLI leaves this off.
    bool fit_to_model = false;
};

// Every task, in the order reports show them.
const std::vector<const TaskEntry*>& task_entries();
// The entry of a task; Error(usage) lists the tasks for an unknown name.
const TaskEntry& task_entry(const std::string& name);
std::vector<std::string> task_names();

// The bundled dataset a task uses when none is named (empty for speed).
DatasetRef default_dataset(const std::string& task);

// Checks the task name and its parameters' names and types without running anything;
// Error(usage) names the problem.
void check_task(const TaskSpec& spec);

// The result rows a spec asks for: one per value of the entry's row parameter when it lists
// several (each with that one value), else the spec itself. The harness keys stored results by
// these, so a stride measured before is not measured again.
std::vector<TaskSpec> result_rows(const TaskSpec& spec);

// The spec that computes `rows` (some of result_rows(spec)) in one pass: the row parameter lists
// their values, or the row itself when there is one.
TaskSpec join_rows(const TaskSpec& spec, const std::vector<TaskSpec>& rows);

// Runs the task and returns one result per result_rows(spec) row, in order. Errors propagate:
// Error(unsupported) when the model cannot do the task. Every metric a result carries is declared
// by the task's entry (Error(internal) otherwise: no metric goes into a report unexplained).
std::vector<SuiteResult> run_task(adapters::Adapter& adapter, const TaskSpec& spec, const RunOptions& options = {});
// The spec with what the model implies filled in (TaskEntry::complete_for_model): what result
// keys are made from and what run_task runs.
TaskSpec complete_for_model(const TaskSpec& spec, const adapters::Adapter& adapter);

// As run_task, but a model that cannot do the task gives, for each row, a result whose `skipped`
// holds the reason (what the harness stores as a skipped, not applicable, result).
std::vector<SuiteResult> run_task_or_skip(adapters::Adapter& adapter, const TaskSpec& spec,
                                          const RunOptions& options = {});

// A result per row saying why the model cannot do it (a runner whose methods apply to some models
// only uses it for the rows it cannot run).
SuiteResult skipped_result(const std::string& task, nlohmann::json params, std::string reason);

}  // namespace hubbench::suites
