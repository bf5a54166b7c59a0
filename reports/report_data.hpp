// The report model: everything a renderer shows, gathered from a ResultStore for one run and its
// baseline, in a neutral form (no Markdown, no HTML). Every renderer reads only this, so the four
// formats cannot disagree. Nothing is measured here; the only arithmetic is the comparison with
// the baseline (results::classify_change), deltas, and unit scaling for display.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reports/meanings.hpp"
#include "reports/significance.hpp"
#include "results/records.hpp"
#include "results/store.hpp"

namespace hubbench::reports {

enum class BaselineMode {
    previous,      // the most recent earlier run with the same label as the reported run
    none,          // no comparison
    explicit_run,  // ReportSelection::baseline_run
};

struct ReportSelection {
    std::optional<results::RunId> run;       // unset: the latest run (with `label`: the latest so labelled)
    BaselineMode baseline = BaselineMode::previous;
    results::RunId baseline_run{};           // used when baseline == explicit_run
    std::optional<std::string> label;        // restricts the choice of "latest" (and must match an explicit run)
    // A night (the runs sharing a night id: a nightly job's shards and their resumptions) reported
    // as one run; with last_night, the latest night (with `label`: the latest so labelled). The
    // baseline `previous` is then the previous night of the same label.
    std::optional<std::string> night;
    bool last_night = false;
    // Regression thresholds, as relative tolerances for results::classify_change: a change within
    // the threshold (or within two combined standard errors) is "same". Speed and memory figures
    // are noisier than quality figures, hence their own threshold.
    double relative_tolerance = 0.01;
    double speed_relative_tolerance = 0.05;
};

// This run's value of a metric against the baseline's.
struct Comparison {
    results::Change change = results::Change::unknown;
    double baseline_value = 0.0;
    std::optional<double> baseline_std_error;
    std::optional<std::string> baseline_commit;   // the model commit the baseline measured
    double delta = 0.0;                           // value - baseline_value (NaN if either is infinite)
    std::optional<double> relative_delta;         // delta / |baseline_value|; unset when that is 0 or not finite
};

struct MetricValue {
    std::string name;                      // as stored, "bits_per_byte"
    MetricInfo info;                       // label, display unit, pseudo, ...
    double value = 0.0;                    // as stored (finite or ±inf)
    std::optional<double> std_error;
    std::int64_t n = 0;
    std::optional<std::string> unit;       // as stored
    // As stored; when the value carries none, its stored meaning's direction (so that regressions
    // are found in databases written before schema v2).
    std::optional<bool> higher_is_better;
    std::optional<Comparison> vs_baseline;
};

// Served-load results: the speed task run against a served model (an OpenAI-compatible server)
// writes one result per load level, its parameters carrying "concurrency" (clients keeping one
// request in flight each) or "request_rate" (requests per second). Those rows are gathered in
// ReportData::serving, apart from the ordinary speed rows.
enum class LoadKind { concurrency, request_rate };
const char* load_kind_name(LoadKind kind);  // "concurrency", "request_rate"

struct LoadLevel {
    LoadKind kind = LoadKind::concurrency;
    double value = 0.0;                    // clients, or requests per second
};

// The load level of a result: set for the speed task when its parameters (canonical JSON) have a
// numeric "concurrency" or "request_rate" ("request_rate" wins when both are there: the rate then
// drives the load, the concurrency only caps it); nullopt for every other result.
std::optional<LoadLevel> load_level_of(std::string_view task, const std::string& parameters);

struct TaskResult {
    results::ResultId id;
    std::string task;
    std::string dataset_name;
    std::string dataset_sha256;
    std::string parameters;                // canonical JSON as stored
    // "stride=128": only the keys that tell this task's rows apart ("method" aside: its own field).
    std::string distinct_parameters;
    std::string method;                    // the "method" parameter ("probe", "likelihood", ...); "" when none
    results::ResultStatus status = results::ResultStatus::ok;
    std::string error;
    std::optional<double> seconds;
    std::vector<MetricValue> metrics;      // in the order of their meanings, then by name
    results::RunId measured_in;            // the run that measured it (a shard of a night, an earlier run reused)
    // Against the other results that answer the same question (the same task, dataset and
    // parameters, the method aside), by the task's primary metric: the best, tied with it, worse,
    // or not tested; unranked when the task ranks nothing.
    Significance significance = Significance::unranked;
    std::string ranked_by;                 // the metric it is ranked by ("" when unranked)
    std::size_t question_size = 0;         // ranked results answering its question, itself included
    // Set on a served-load row (load_level_of): the per-task tables leave it out, the serving
    // section shows it; headlines, history and significance ignore it.
    std::optional<LoadLevel> load;

    const MetricValue* metric(std::string_view name) const;  // nullptr when not measured
};

struct ModelRow {
    std::string repo_id;
    std::string commit_sha;
    std::string commit_short;              // first 7 characters
    std::optional<ModelKind> kind;
    std::optional<std::int64_t> parameters;
    std::optional<std::string> dtype;
    std::optional<std::string> licence;
    std::optional<std::string> architecture;
    std::optional<std::int64_t> size_bytes;
    std::vector<TaskResult> results;       // ok results of the run: by task order, then key (served-load rows too)
    std::size_t failures = 0;              // failed results of this model in the run
    std::size_t not_applicable = 0;        // skipped results: tasks or methods it cannot do by design
    // One cell per ReportData::headline_columns entry. The first ok result that has the figure
    // fills it; among several metrics for one figure the meanings' headline_rank decides (e.g. the
    // longest prefill length).
    std::vector<std::optional<MetricValue>> headline;
};

struct HeadlineColumn {
    Headline figure = Headline::none;
    std::string label;                     // "bits/byte", or "prefill tok/s @512" when every cell agrees
    bool higher_is_better = false;
    bool any_pseudo = false;               // some cell comes from pseudo-log-likelihood
};

// One metric measured in both runs (or in one of them), with the verdict.
struct ChangeRow {
    std::string repo_id;
    std::optional<std::string> commit_baseline, commit_current;
    std::string task;
    std::string dataset_name;
    std::string dataset_sha256;
    std::string parameters;
    std::string metric;
    MetricInfo info;
    std::optional<results::Metric> baseline, current;
    results::Change change = results::Change::unknown;
    std::optional<double> delta, relative_delta;
    double tolerance = 0.0;                // the relative threshold applied
};

struct FailedResult {
    std::string repo_id;
    std::string commit_sha;
    std::string task;
    std::string dataset_name;
    std::string dataset_sha256;
    std::string parameters;
    results::ResultStatus status = results::ResultStatus::failed;
    std::string error;
};

// The best result of one model kind in a question.
struct KindBest {
    std::string repo_id;
    std::string commit_sha;
    std::string method;                    // "" when the task has none
    MetricValue value;                     // the metric it is ranked by
    std::optional<double> items_per_second;
    Significance significance = Significance::unranked;  // its mark within the question
};

// Encoder or decoder? For one question, the best encoder against the best decoder.
struct KindPick {
    std::string task;
    std::string dataset_name;
    std::string dataset_sha256;
    std::string parameters;                // canonical JSON of the question: "method" removed
    std::string distinct_parameters;       // what tells it apart from the task's other questions
    std::optional<KindBest> encoder, decoder;  // unset: no model of that kind answered it
    std::optional<ModelKind> pick;    // the better of the two by the ranking metric
    // The other kind's best against the pick (paired bootstrap between the two): tied ("either:
    // within noise"), worse, or unknown (no comparable per-item samples); unranked with one kind.
    Significance runner_up = Significance::unranked;
    std::optional<ModelKind> faster;  // by items/s, when both have it
    std::optional<double> speedup;             // faster items/s over the slower's
};

struct FailedTrial {
    std::string repo_id;
    std::optional<std::string> commit_sha;
    std::string stage;
    results::TrialOutcome outcome = results::TrialOutcome::failed;
    std::string reason;
    std::string details;                   // canonical JSON object
};

struct ChangeCounts {
    std::size_t better = 0, worse = 0, same = 0, unknown = 0;
    std::size_t only_current = 0, only_baseline = 0;   // measured in one run only
};

// One headline figure over the last nights (or runs) of the reported label, a line per model.
struct HistoryLine {
    std::string repo_id;
    std::optional<ModelKind> kind;
    std::vector<std::optional<double>> values;  // one per HistoryChart::points entry; unset: not measured then
};

struct HistoryChart {
    Headline figure = Headline::none;
    std::string label;                     // the headline column's label
    std::string metric;                    // the stored metric name behind it
    bool higher_is_better = false;
    std::vector<std::string> points;       // oldest first, the reported night (or run) last
    std::vector<HistoryLine> lines;
};

// One load level of a served model: a served-load result.
struct ServingLevel {
    LoadLevel load;
    TaskResult result;                     // a copy of the row in ModelRow::results

    const MetricValue* metric(std::string_view name) const { return result.metric(name); }
};

// The served-load rows of one model that differ only by their level (and the requests sent at
// each, which by default grow with it): one model on one endpoint with the same prompt and output
// lengths (and the same other parameters, dataset included).
struct ServingSeries {
    std::string repo_id;
    std::string commit_sha;
    std::optional<ModelKind> kind;
    std::string endpoint;                  // "completions", "chat"; "" when not stored
    std::optional<std::int64_t> prompt_tokens, output_tokens;
    // The objectives goodput counts against ("slo_ttft_ms", "slo_itl_ms"); unset: none.
    std::optional<double> slo_ttft_ms, slo_itl_ms;
    std::string dataset_name;
    std::string dataset_sha256;
    std::string parameters;                // canonical JSON of the series: its rows' parameters without the level (nor "requests")
    // The parameters besides endpoint and lengths that tell the series apart ("seed=2"); "" when none does.
    std::string distinct_parameters;
    std::vector<ServingLevel> levels;      // concurrency levels ascending, then request rates ascending
};

// What the serving tables show, in order: the metric names of the served-load contract.
struct ServingColumn {
    const char* metric;                    // "ttft_ms_p50"
    const char* label;                     // "TTFT p50 (ms)"
    std::optional<bool> higher_is_better;  // unset for the counts
};
extern const std::vector<ServingColumn> serving_columns;

// How many nights (or runs) the history charts go back, the reported one included.
constexpr std::size_t history_length = 14;

struct ReportData {
    // The reported run. For a night, its first run with the night's span and combined status
    // (the worst of each shard's latest run); `runs` then lists every run of the night.
    results::RunRow run;
    std::optional<results::RunRow> baseline;   // for a night: the previous night, combined the same way
    std::string night, baseline_night;         // night ids ("" when a single run is reported)
    std::vector<results::RunRow> runs;         // the runs behind `run`: one, or the night's, oldest first
    std::vector<results::RunRow> baseline_runs;
    std::string baseline_note;             // why there is no baseline, when there is none
    double relative_tolerance = 0.01;
    double speed_relative_tolerance = 0.05;

    std::vector<HeadlineColumn> headline_columns;   // only figures some model has
    std::vector<ModelRow> models;          // decoders, encoders, then others; by repo id (ignoring case), commit
    std::vector<std::string> tasks;        // tasks with ok results other than served-load rows, in registry order
    Meanings meanings;                     // what the database says each task and metric means
    std::vector<ChangeRow> changes;        // every metric of either run's ok results, sorted by key
    ChangeCounts counts;
    std::vector<FailedResult> failed_results;  // failed results of the run
    // Skipped results: what a model cannot do by design (an encoder asked for perplexity, a
    // decoder for the cloze method); `error` says why. Not failures.
    std::vector<FailedResult> not_applicable;
    // One row per question (a task on a dataset with the same parameters, the method aside) whose
    // task has a primary metric and that an encoder or a decoder answered: by task order, dataset
    // name, parameters.
    std::vector<KindPick> encoder_or_decoder;
    std::vector<FailedTrial> failed_trials;    // failed and skipped trials of the run
    std::size_t selected_trials = 0;
    std::vector<results::DatasetRecord> datasets;  // every dataset the run's results used, by name
    // Each headline figure of the report's models over the last history_length nights of the label
    // (or runs of the label, for a single run), read from the database; empty with fewer than two.
    std::vector<HistoryChart> history;
    // Served-load rows: one series per model (report order), endpoint and parameters, each level
    // once. Empty when the run measured no served model under load.
    std::vector<ServingSeries> serving;
    std::string generator_version;         // the hubbench that rendered the report
    std::string generator_commit;
    std::string database;                  // the store's path, as given
};

// Gathers the report. Throws Error(not_found) with one line naming the database when it has no
// runs ("no runs in hubbench.db: run `hubbench run` first"), when a run id is unknown, or when no
// run carries the label.
ReportData build_report(const results::ResultStore& store, const ReportSelection& selection = {});

// Regressions and improvements: the changes classified worse / better, in key order.
std::vector<const ChangeRow*> changes_of(const ReportData& report, results::Change change);

}  // namespace hubbench::reports
