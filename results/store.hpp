// ResultStore: the typed face of the results database. The harness writes through it (runs, models,
// datasets, results with their metrics, trials); the report renderers and `hubbench history` read
// through it. All SQL of hubbench lives behind this class (and merge/check).
//
// Guarantees:
// - every result is written with its metrics in one transaction: a crash or SIGKILL leaves either
//   the whole result or none of it, and the next run resumes by skipping what find_result() finds;
// - several processes may write the same file at once (WAL, busy timeout, and each write
//   transaction retried on SQLITE_BUSY), and no row is lost;
// - each metric row leads to one result, one run (hubbench version + commit, host), one model
//   (repo + commit) and one dataset (sha256), all enforced by NOT NULL foreign keys.
#pragma once
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "results/database.hpp"
#include "results/records.hpp"

namespace hubbench::results {

inline constexpr const char* default_database_path = "hubbench.db";

struct StoreOptions {
    // create: for writers (`run`, `eval --db`). read_write: the file must exist, older schemas are
    // migrated (`history`). read_only: nothing is written; the schema must already be current.
    OpenMode mode = OpenMode::create;
    std::chrono::milliseconds busy_timeout{10'000};
    bool durable = true;        // see DatabaseOptions::durable
    int busy_attempts = 50;     // whole-transaction retries after the busy timeout ran out
};

class ResultStore {
public:
    // Opens (or creates) the database and brings its schema to the current version. Throws a
    // one-line Error naming the file when it is missing (read modes), not SQLite, corrupt, from
    // another application, or from a newer hubbench.
    explicit ResultStore(const fs::path& path, StoreOptions options = {});
    // For readers (reports, `hubbench history`): read-only when the schema is current, so a
    // database on a read-only disk can be reported on; read-write only to migrate an older file.
    // The file must exist.
    static ResultStore open_for_reading(const fs::path& path);
    ~ResultStore();
    ResultStore(ResultStore&&) noexcept;
    ResultStore& operator=(ResultStore&&) noexcept;

    const fs::path& path() const;

    // ---- writing (each call is one transaction) ----

    // Starts a run (status running) with a fresh uuid and the current UTC time.
    RunId begin_run(const RunInfo& info);
    // Ends a run with ok, failed or interrupted. A run killed before this stays "running".
    void finish_run(RunId run, RunStatus status);
    // Inserts the model, or fills in fields that were unknown before (known fields are kept).
    void upsert_model(const ModelRecord& model);
    // Inserts the dataset unless its sha256 is known. Throws when the same sha256 comes with a
    // different size (one of them is lying).
    void upsert_dataset(const DatasetRecord& dataset);

    // The most recent ok or skipped result for `key`, from any run (failed results are retried);
    // with a night id, only from the runs of that night (a night measures afresh, and resumes).
    // The harness calls this before evaluating, and skips the work unless --force.
    std::optional<ResultRow> find_result(const ResultKey& key, const std::optional<std::string>& night = std::nullopt) const;

    // Stores one result with all its metrics, atomically. The model and dataset of the key must
    // have been upserted, and key.hubbench_version must be the run's. Recording the same key twice
    // in one run replaces the first (so a retried evaluation does not duplicate rows); a key done
    // in an earlier run gets a new row in this run (--force re-measures, history keeps both).
    // Throws Error(invalid_input) for NaN values, duplicate or empty metric names, parameters
    // that are not JSON, or a failed/skipped status without an error message.
    ResultId record_result(RunId run, const ResultRecord& result);

    // Records that `run` used `result` (found by find_result) instead of measuring it again, so the
    // run's results include it while the history keeps one measurement (schema v3).
    void record_reuse(RunId run, ResultId result);

    // Records what a task and its metrics mean (from the task registry), replacing an earlier
    // description of the same task or metric. The harness calls it before storing the task's results.
    void describe_task(const TaskMeaning& task, const std::vector<MetricMeaningRow>& metrics);

    // Records what the search did with a candidate. One row per (run, repo, stage); recording it
    // again replaces the outcome.
    void record_trial(RunId run, const TrialRecord& trial);

    // ---- reading ----

    std::vector<RunRow> runs(const std::optional<std::string>& label = std::nullopt) const;  // oldest first
    std::optional<RunRow> run(RunId id) const;
    // Every status, sorted by key: what the run measured, and the results it reused from earlier
    // runs (their ResultRow::run is the run that measured them).
    std::vector<ResultRow> results_of_run(RunId run) const;
    // The same for several runs taken as one (the shards of a night, oldest first): one row per
    // (repo, task, dataset, parameters), the latest run's where runs overlap (a resumed shard).
    std::vector<ResultRow> results_of_runs(const std::vector<RunId>& runs) const;
    // Nights (runs with a night id), ordered by their first run's start; with a label, only its.
    std::vector<NightRow> nights(const std::optional<std::string>& label = std::nullopt) const;
    std::optional<ResultRow> result(ResultId id) const;
    // The newest ok result of each (repo, task, dataset, parameters), across runs and model
    // commits: the current state of every model, however the runs were split or resumed.
    std::vector<ResultRow> latest_results(const ResultFilter& filter = {}) const;
    // Every metric value of ok results matching the filter, oldest run first.
    std::vector<HistoryPoint> history(const ResultFilter& filter = {}) const;
    // Metrics of ok results in run a and run b, paired by (repo, task, dataset, parameters,
    // metric) and sorted by that key; unpaired metrics come with one side empty.
    std::vector<MetricPair> compare_runs(RunId a, RunId b) const;
    // The same between two sets of runs, each taken as one (results_of_runs).
    std::vector<MetricPair> compare_runs(const std::vector<RunId>& a, const std::vector<RunId>& b) const;
    std::vector<TrialRow> trials_of_run(RunId run) const;
    std::vector<Sample> samples_of_result(ResultId result) const;  // sorted by (metric, index)
    std::optional<ModelRecord> model(const ModelRef& ref) const;
    // What every described task and metric means (schema v4); empty for results stored before.
    std::vector<TaskMeaning> task_meanings() const;        // by position, then name
    std::vector<MetricMeaningRow> metric_meanings() const;  // by task, position, name
    std::optional<DatasetRecord> dataset(const std::string& sha256) const;

    // The connection itself, for merge/check and tests; not needed by the harness or reports.
    Database& database() const { return *db_; }

private:
    template <typename F>
    auto write(F&& work) const;
    std::vector<ResultRow> load_results(Statement& query) const;

    std::unique_ptr<Database> db_;
    StoreOptions options_;
};

// Current time as ISO 8601 UTC with milliseconds ("2024-05-01T12:00:00.123Z"); sorts as text.
std::string utc_now();

}  // namespace hubbench::results
