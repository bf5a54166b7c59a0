// The values that go into the results database and come back out of it. Plain structs, no SQL:
// the harness fills the *Record types, the report renderers read the *Row types.
#pragma once
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model_kind.hpp"
#include "core/version.hpp"

namespace hubbench::results {

// Row ids, typed so a run id cannot be passed where a result id is expected.
struct RunId {
    std::int64_t value = 0;
    friend auto operator<=>(const RunId&, const RunId&) = default;
};
struct ResultId {
    std::int64_t value = 0;
    friend auto operator<=>(const ResultId&, const ResultId&) = default;
};

enum class RunStatus { running, ok, failed, interrupted };
enum class ResultStatus { ok, failed, skipped };
enum class TrialOutcome { selected, skipped, failed };

// Names as stored ("running", "encoder-decoder", ...); parse_* return nullopt for other text.
const char* to_string(RunStatus status);
const char* to_string(ResultStatus status);
const char* to_string(TrialOutcome outcome);
std::optional<RunStatus> parse_run_status(std::string_view text);
std::optional<ResultStatus> parse_result_status(std::string_view text);
std::optional<TrialOutcome> parse_trial_outcome(std::string_view text);

// The machine a run happened on (results/provenance.hpp fills it from /proc and uname).
struct HostInfo {
    std::string host_name;
    std::string cpu_model;           // "/proc/cpuinfo" model name
    int cpu_cores = 0;               // online logical CPUs
    std::int64_t memory_bytes = 0;   // physical memory
    std::string os;                  // "Linux 6.1.0-18-amd64 x86_64"
};

// Provenance of one run: what code ran where, how.
struct RunInfo {
    std::string label;                                 // free text, e.g. the suite name or "nightly"
    std::string hubbench_version = hubbench::version();
    std::string hubbench_commit = hubbench::git_commit();
    HostInfo host;
    std::string blas;                                  // e.g. "OpenBLAS 0.3.21"
    int threads = 1;                                   // compute threads used
    std::vector<std::string> command_line;             // argv; stored as a JSON array
    // The night this run belongs to ("" when it is not part of one): the shards of a nightly job
    // and their resumptions share it, and a night is reported as one unit.
    std::string night;
    std::string shard;                                 // "2/3" when the run measured one shard, else ""
};

struct ModelRecord {
    std::string repo_id;      // "openai-community/gpt2", "fixtures/tiny-gpt2"
    std::string commit_sha;   // the exact revision measured
    std::optional<std::string> architecture;   // config.json "architectures"[0]
    std::optional<std::string> model_type;     // config.json "model_type"
    std::optional<std::int64_t> parameters;
    std::optional<std::string> dtype;          // "float32", "bfloat16", ...
    std::optional<ModelKind> kind;
    std::optional<std::string> licence;
    std::optional<std::int64_t> size_bytes;    // on disk
};

// Datasets are identified by content: two paths with the same sha256 are one dataset.
struct DatasetRecord {
    std::string name;        // "wikitext-2-raw/test"
    std::string path;        // where it was read from (first one seen is kept)
    std::string sha256;      // 64 lowercase hex digits of the file's bytes
    std::int64_t bytes = 0;
};

struct ModelRef {
    std::string repo_id;
    std::string commit_sha;
    friend bool operator==(const ModelRef&, const ModelRef&) = default;
};

// What makes two measurements "the same work": re-running a key that is already done is skipped.
struct ResultKey {
    ModelRef model;
    std::string task;                  // "perplexity", "pppl", "sts", "speed"
    std::string dataset_sha256;
    std::string parameters = "{}";     // canonical JSON (results/canonical_json.hpp); checked on write
    std::string hubbench_version = hubbench::version();
    friend bool operator==(const ResultKey&, const ResultKey&) = default;
};

struct Metric {
    std::string name;                  // "perplexity", "spearman", "tokens_per_second"
    double value = 0.0;                // finite or ±inf; NaN is refused
    std::optional<double> std_error;   // standard error of `value`, when the suite estimates it
    std::int64_t n = 0;                // how many observations (tokens, pairs, repetitions)
    std::optional<std::string> unit;   // "nats", "tokens/s", ... (schema v2)
    std::optional<bool> higher_is_better;  // the direction of "better" (schema v2); unknown if unset
};

// What a metric means, as the task that writes it declares it (suites' task registry), stored once
// per (task, metric) (schema v4): reports, `history` and SQL users read the label, unit and
// direction from the database instead of guessing them from the name.
struct MetricMeaning {
    std::string label;                     // "bits/byte", "prefill tok/s @512"
    std::string unit;                      // of the stored value: "", "nats", "tok/s", "ms", "MiB", "s"
    std::optional<bool> higher_is_better;  // unset: no direction (counts, sums that grow with n)
    bool pseudo = false;                   // from masked-LM pseudo-log-likelihood, not a true likelihood
    bool speed = false;                    // a timing or memory figure: noisy, own regression threshold
    bool auxiliary = false;                // counts and sums: in CSV/JSON and full lists only
    std::string headline;                  // the overview column it can fill ("bits_per_byte", ...), or ""
    int headline_rank = 0;                 // among several candidates for one column, higher wins
    int position = 0;                      // display order within its task
    friend bool operator==(const MetricMeaning&, const MetricMeaning&) = default;
};

struct MetricMeaningRow {
    std::string task;
    std::string name;
    MetricMeaning meaning;
};

// What a task is, for reports: its label, its place among tasks and the metric that ranks models.
struct TaskMeaning {
    std::string task;                      // "classification"
    std::string label;                     // "Classification"
    int position = 0;
    std::string primary_metric;            // "accuracy"; "" when models are not ranked by one figure
};

// One per-sample value behind a metric, e.g. the cosine of STS pair `index` (schema v2).
struct Sample {
    std::string metric;
    std::int64_t index = 0;
    double value = 0.0;
    friend bool operator==(const Sample&, const Sample&) = default;
};

struct ResultRecord {
    ResultKey key;
    ResultStatus status = ResultStatus::ok;
    std::string error;                 // why it failed or was skipped; empty when ok
    std::optional<double> seconds;     // wall time of the evaluation
    std::vector<Metric> metrics;       // names unique within a result
    std::vector<Sample> samples;       // optional; (metric, index) unique within a result
};

// A candidate the search considered, and what became of it.
struct TrialRecord {
    std::string repo_id;
    std::optional<std::string> commit_sha;   // unknown when it failed before resolving
    std::string stage;                       // "search", "pull", "load", "eval", ...
    TrialOutcome outcome = TrialOutcome::selected;
    std::string reason;                      // why it was skipped or failed
    std::string details = "{}";              // any JSON object; stored canonical
};

// ---- What queries return ----------------------------------------------------------------------

struct RunRow {
    RunId id;
    std::string uuid;                      // identifies the run across merged shard databases
    RunStatus status = RunStatus::running;
    std::string started_at;                // ISO 8601 UTC, "2024-05-01T12:00:00.123Z"
    std::optional<std::string> finished_at;
    RunInfo info;
};

// The runs of one night (RunInfo::night), oldest first: its shards and their resumptions.
struct NightRow {
    std::string id;                        // the night id, "nightly-2026-12-03"
    std::string label;                     // the label its runs share
    std::vector<RunRow> runs;
    const std::string& started_at() const { return runs.front().started_at; }
};

struct ResultRow {
    ResultId id;
    RunId run;
    std::string run_started_at;
    std::string hubbench_commit;           // of the run that measured it
    ResultKey key;
    std::string dataset_name;
    ResultStatus status = ResultStatus::ok;
    std::string error;
    std::optional<double> seconds;
    std::string recorded_at;
    std::vector<Metric> metrics;           // sorted by name
};

struct TrialRow {
    RunId run;
    TrialRecord trial;
    std::string recorded_at;
};

// Unset fields match everything.
struct ResultFilter {
    std::optional<std::string> model;      // repo id
    std::optional<std::string> task;
    std::optional<std::string> metric;     // only for history(): keep this metric only
    std::optional<std::string> label;      // runs with this label only
};

// One metric value of one ok result, with everything needed to trace it.
struct HistoryPoint {
    RunId run;
    std::string time;                      // the run's started_at
    ResultId result;
    ModelRef model;
    std::string task;
    std::string dataset_name;
    std::string dataset_sha256;
    std::string parameters;
    Metric metric;
    std::string hubbench_version;
    std::string hubbench_commit;
};

// The same metric of the same (repo, task, dataset, parameters) in two runs; either side may be
// missing when only one run measured it.
struct MetricPair {
    std::string repo_id;
    std::string task;
    std::string dataset_sha256;
    std::string parameters;
    std::string metric;
    std::optional<std::string> commit_a, commit_b;   // model commits (may differ between runs)
    std::optional<Metric> a, b;
};

enum class Change { better, worse, same, unknown };
const char* to_string(Change change);

// How b compares to a. `same` when |b - a| is within max(relative_tolerance * |a|,
// 2 * sqrt(se_a^2 + se_b^2)) (two combined standard errors, when the suite gave them); otherwise
// better or worse by the metric's higher_is_better (b's, else a's). `unknown` when a side is
// missing, the direction is not recorded, or a value is infinite.
Change classify_change(const MetricPair& pair, double relative_tolerance = 0.01);

}  // namespace hubbench::results
