// One entry per task, as tokenizers has one component per "type": its parameters (names, types,
// defaults, help), its default dataset, its runner and what each metric it writes means. The CLI
// builds its options from the entries, suite files are checked against them, the harness splits
// result rows and stores metric meanings from them, and reports read those meanings back from the
// database. Adding a task is writing its file under suites/ and adding its row to registry.cpp.
#pragma once
#include <algorithm>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/adapter.hpp"
#include "core/error.hpp"
#include "results/records.hpp"
#include "suites/dataset.hpp"
#include "suites/result.hpp"

namespace hubbench::suites {

enum class ParamType {
    count,   // a whole number >= 0
    number,  // a real number >= 0 (a rate, seconds, milliseconds)
    counts,  // a whole number or a list of them ("128,256" on the command line)
    text,    // one text, optionally one of `choices`
    texts,   // a text or a list of texts ("probe,knn" on the command line), each one of `choices`
    map,     // an object of texts to texts (a JSON object on the command line)
};

struct ParamSpec {
    std::string name;                  // snake_case, as in suite files; the CLI option is kebab-case
    ParamType type = ParamType::count;
    std::string help;                  // one line for `--help`
    std::vector<std::string> choices{};  // allowed texts (text, texts); empty: any
};

struct MetricSpec {
    std::string name;                  // exact, or with `per_length` the prefix of "<name>_<L>"
    results::MetricMeaning meaning;    // position is filled in from the order of declaration
    bool per_length = false;           // prefill_tps_128: label gets " @128", headline rank 128
};

// Shorthands for declaring metrics in an entry:
//   metric("bits_per_byte", "bits/byte", "", lower, {.headline = "bits_per_byte", .headline_rank = 2})
enum Direction { lower = -1, no_direction = 0, higher = 1 };
struct MetricFlags {
    bool pseudo = false;
    bool speed = false;
    bool auxiliary = false;
    std::string headline{};
    int headline_rank = 0;
    bool per_length = false;
};
MetricSpec metric(std::string name, std::string label, std::string unit, Direction direction, MetricFlags flags = {});
// A count or sum that only says what a figure was computed over: auxiliary, no direction.
MetricSpec count_metric(std::string name, std::string label, std::string unit = "");

class Params;
struct TaskEntry;

// What a runner gets: the checked parameters, the dataset (the spec's or the entry's default;
// empty for a task without one) and how strictly to treat the model's limits.
struct TaskInput {
    const TaskEntry& entry;
    const Params& params;
    DatasetRef dataset;
    bool fit_to_model = false;         // see RunOptions
};

struct TaskEntry {
    std::string name;                  // "perplexity"
    std::string label;                 // "Perplexity", for reports
    std::string summary;               // one line for `hubbench eval --help`
    DatasetRef default_dataset;        // empty: none (speed runs on synthetic ids)
    std::vector<ParamSpec> params;
    std::vector<MetricSpec> metrics;   // in display order
    std::string primary_metric;        // ranks models in reports; "" when none does
    // A parameter that may list several values, each its own result row computed in one pass
    // (perplexity strides share forward passes; probe and knn share embeddings). The runner gets
    // the list and returns one result per value, in order, each with that value in its params.
    std::string row_param{};
    bool keyed_by_threads = false;     // its figures depend on the thread count (speed): part of the key
    std::vector<SuiteResult> (*run)(adapters::Adapter& adapter, const TaskInput& input) = nullptr;
    // Fills in what the model implies and the spec left out, before result keys are made, so the
    // key says what was measured (a served model's speed: its load level, endpoint and prompts).
    void (*complete_for_model)(const adapters::Adapter& adapter, nlohmann::json& params, DatasetRef& dataset) = nullptr;

    const ParamSpec* param(std::string_view name) const;
    // The declared meaning of a metric this task writes (position filled in; "prefill_tps_512"
    // resolved through its per-length family), or nullopt when the task does not declare it.
    std::optional<results::MetricMeaning> meaning(std::string_view metric) const;
};

// Reads the data a user pointed a task at. A problem in it (a missing file or column, invalid UTF-8,
// a malformed line, too few examples of a label) is a usage error, exit 2, as a bad option is:
// the message names the file, line and field to fix.
template <class Read>
auto read_user_data(Read&& read) {
    try {
        return read();
    } catch (const Error& e) {
        if (e.kind() == ErrorKind::invalid_input || e.kind() == ErrorKind::not_found) throw Error(ErrorKind::usage, e.what());
        throw;
    }
}

// A length asked for, shrunk to the model's limit when there is one (0 means "none" on both sides).
inline std::size_t fit_to_limit(std::size_t requested, std::size_t limit) {
    return limit == 0 || requested == 0 ? requested : std::min(requested, limit);
}

// Typed, checked access to a task's parameter map. Construction throws Error(usage) naming the
// task and the parameter for an unknown name, a value of the wrong type or a value not among the
// choices; the getters then only apply defaults.
class Params {
public:
    Params(const TaskEntry& entry, const nlohmann::json& values);

    bool has(const std::string& name) const;
    std::size_t count(const std::string& name, std::size_t fallback) const;
    double number(const std::string& name, double fallback) const;
    std::vector<std::size_t> counts(const std::string& name, std::vector<std::size_t> fallback) const;
    std::string text(const std::string& name, std::string fallback) const;
    std::vector<std::string> texts(const std::string& name, std::vector<std::string> fallback) const;
    // Keys in the order the object lists them (nlohmann sorts them: by key).
    std::vector<std::pair<std::string, std::string>> map(const std::string& name) const;
    const nlohmann::json& json() const { return values_; }

private:
    const ParamSpec& spec(const std::string& name) const;
    const TaskEntry& entry_;
    nlohmann::json values_;
};

}  // namespace hubbench::suites
