// ResultStore: the read side. Filters are bound parameters of fixed SQL ("?1 IS NULL OR ..."), so
// no query text ever depends on user data.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <tuple>

#include "results/canonical_json.hpp"
#include "results/store.hpp"

namespace hubbench::results {

namespace {

// Columns 0..14 of every result query; load_results() reads them in this order.
constexpr const char* result_columns = R"sql(
    SELECT r.id, r.run_id, ru.started_at, ru.hubbench_commit, ru.hubbench_version, mo.repo_id, mo.commit_sha,
           r.task, d.sha256, d.name, r.parameters, r.status, r.error, r.seconds, r.recorded_at
    FROM results r
    JOIN runs ru ON ru.id = r.run_id
    JOIN models mo ON mo.id = r.model_id
    JOIN datasets d ON d.id = r.dataset_id
)sql";

constexpr const char* run_columns = R"sql(
    SELECT id, uuid, label, status, started_at, finished_at, hubbench_version, hubbench_commit, host_name, cpu_model,
           cpu_cores, memory_bytes, os, blas, threads, command_line, night, shard
    FROM runs
)sql";

template <typename E>
E parse_enum(const Statement& s, int column, std::optional<E> (*parse)(std::string_view), const fs::path& path) {
    auto text = s.column_text(column);
    auto value = parse(text);
    if (!value) {
        throw Error(ErrorKind::invalid_input,
                    path.string() + ": column '" + s.column_name(column) + "' has unknown value '" + text + "'");
    }
    return *value;
}

RunRow read_run(const Statement& s, const fs::path& path) {
    RunRow row;
    row.id = RunId{s.column_int64(0)};
    row.uuid = s.column_text(1);
    row.info.label = s.column_text(2);
    row.status = parse_enum(s, 3, parse_run_status, path);
    row.started_at = s.column_text(4);
    row.finished_at = s.column_optional_text(5);
    row.info.hubbench_version = s.column_text(6);
    row.info.hubbench_commit = s.column_text(7);
    row.info.host.host_name = s.column_text(8);
    row.info.host.cpu_model = s.column_text(9);
    row.info.host.cpu_cores = static_cast<int>(s.column_int64(10));
    row.info.host.memory_bytes = s.column_int64(11);
    row.info.host.os = s.column_text(12);
    row.info.blas = s.column_text(13);
    row.info.threads = static_cast<int>(s.column_int64(14));
    row.info.night = s.column_text(16);
    row.info.shard = s.column_text(17);
    try {
        row.info.command_line = nlohmann::json::parse(s.column_text(15)).get<std::vector<std::string>>();
    } catch (const nlohmann::json::exception&) {
        throw Error(ErrorKind::invalid_input, path.string() + ": run " + std::to_string(row.id.value) +
                                                  ": command_line is not a JSON array of strings");
    }
    return row;
}

// Columns first..first+5: name, value, stderr, n, unit, higher_is_better.
Metric read_metric(const Statement& s, int first) {
    return Metric{s.column_text(first),          s.column_double(first + 1),
                  s.column_optional_double(first + 2), s.column_int64(first + 3),
                  s.column_optional_text(first + 4), s.column_optional_bool(first + 5)};
}

}  // namespace

std::vector<ResultRow> ResultStore::load_results(Statement& query) const {
    // One read snapshot for results and their metrics, so a result replaced meanwhile by another
    // process cannot come back with the wrong metrics.
    Transaction snapshot(*db_, TransactionKind::deferred);
    std::vector<ResultRow> rows;
    while (query.step()) {
        ResultRow row;
        row.id = ResultId{query.column_int64(0)};
        row.run = RunId{query.column_int64(1)};
        row.run_started_at = query.column_text(2);
        row.hubbench_commit = query.column_text(3);
        row.key.hubbench_version = query.column_text(4);
        row.key.model = {query.column_text(5), query.column_text(6)};
        row.key.task = query.column_text(7);
        row.key.dataset_sha256 = query.column_text(8);
        row.dataset_name = query.column_text(9);
        row.key.parameters = query.column_text(10);
        row.status = parse_enum(query, 11, parse_result_status, path());
        row.error = query.column_optional_text(12).value_or("");
        row.seconds = query.column_optional_double(13);
        row.recorded_at = query.column_text(14);
        rows.push_back(std::move(row));
    }
    query.reset();
    auto& metrics = db_->cached(
        "SELECT name, value, stderr, n, unit, higher_is_better FROM metrics WHERE result_id = ? ORDER BY name");
    for (auto& row : rows) {
        metrics.reset();
        metrics.bind_all(row.id.value);
        while (metrics.step()) row.metrics.push_back(read_metric(metrics, 0));
    }
    metrics.reset();
    snapshot.commit();
    return rows;
}

std::optional<ResultRow> ResultStore::find_result(const ResultKey& key, const std::optional<std::string>& night) const {
    std::string parameters = canonical_json_text(key.parameters);
    auto& query = db_->cached(std::string(result_columns) + R"sql(
        WHERE mo.repo_id = ?1 AND mo.commit_sha = ?2 AND r.task = ?3 AND d.sha256 = ?4 AND r.parameters = ?5
          AND ru.hubbench_version = ?6 AND r.status IN ('ok', 'skipped') AND (?7 IS NULL OR ru.night = ?7)
        ORDER BY r.recorded_at DESC, r.id DESC LIMIT 1)sql");
    query.bind_all(key.model.repo_id, key.model.commit_sha, key.task, key.dataset_sha256, parameters,
                   key.hubbench_version, night);
    auto rows = load_results(query);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
}

std::vector<RunRow> ResultStore::runs(const std::optional<std::string>& label) const {
    auto& query = db_->cached(std::string(run_columns) + " WHERE ?1 IS NULL OR label = ?1 ORDER BY started_at, id");
    query.bind_all(label);
    std::vector<RunRow> rows;
    while (query.step()) rows.push_back(read_run(query, path()));
    query.reset();
    return rows;
}

std::optional<RunRow> ResultStore::run(RunId id) const {
    auto& query = db_->cached(std::string(run_columns) + " WHERE id = ?");
    query.bind_all(id.value);
    std::optional<RunRow> row;
    if (query.step()) row = read_run(query, path());
    query.reset();
    return row;
}

std::vector<ResultRow> ResultStore::results_of_run(RunId run) const {
    auto& query = db_->cached(std::string(result_columns) +
                              " WHERE r.run_id = ?1 OR r.id IN (SELECT result_id FROM reuses WHERE run_id = ?1)"
                              " ORDER BY mo.repo_id, r.task, d.name, r.parameters, r.id");
    query.bind_all(run.value);
    return load_results(query);
}

std::vector<ResultRow> ResultStore::results_of_runs(const std::vector<RunId>& runs) const {
    if (runs.size() == 1) return results_of_run(runs.front());
    using Key = std::tuple<std::string, std::string, std::string, std::string>;
    std::map<Key, ResultRow> latest;
    for (auto run : runs) {
        for (auto& row : results_of_run(run)) {
            Key key{row.key.model.repo_id, row.key.task, row.key.dataset_sha256, row.key.parameters};
            latest.insert_or_assign(std::move(key), std::move(row));
        }
    }
    std::vector<ResultRow> rows;
    rows.reserve(latest.size());
    for (auto& [key, row] : latest) rows.push_back(std::move(row));
    // results_of_run's order: repo, task, dataset name, parameters.
    std::stable_sort(rows.begin(), rows.end(), [](const ResultRow& a, const ResultRow& b) {
        return std::tie(a.key.model.repo_id, a.key.task, a.dataset_name, a.key.parameters) <
               std::tie(b.key.model.repo_id, b.key.task, b.dataset_name, b.key.parameters);
    });
    return rows;
}

std::vector<NightRow> ResultStore::nights(const std::optional<std::string>& label) const {
    std::vector<NightRow> nights;
    std::map<std::pair<std::string, std::string>, std::size_t> index;  // (label, night) -> position
    for (auto& run : runs(label)) {  // oldest first, so each night's runs and the nights come in order
        if (run.info.night.empty()) continue;
        auto key = std::make_pair(run.info.label, run.info.night);
        auto it = index.find(key);
        if (it == index.end()) {
            it = index.emplace(key, nights.size()).first;
            nights.push_back({run.info.night, run.info.label, {}});
        }
        nights[it->second].runs.push_back(std::move(run));
    }
    return nights;
}

std::optional<ResultRow> ResultStore::result(ResultId id) const {
    auto& query = db_->cached(std::string(result_columns) + " WHERE r.id = ?");
    query.bind_all(id.value);
    auto rows = load_results(query);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
}

std::vector<ResultRow> ResultStore::latest_results(const ResultFilter& filter) const {
    // row_number() over each (repo, task, dataset, parameters) picks the newest ok result.
    auto& query = db_->cached(std::string(result_columns) + R"sql(
        WHERE r.id IN (
            SELECT id FROM (
                SELECT r2.id, row_number() OVER (PARTITION BY m2.repo_id, r2.task, r2.dataset_id, r2.parameters
                                                 ORDER BY r2.recorded_at DESC, r2.id DESC) AS newest
                FROM results r2
                JOIN runs ru2 ON ru2.id = r2.run_id
                JOIN models m2 ON m2.id = r2.model_id
                WHERE r2.status = 'ok' AND (?1 IS NULL OR m2.repo_id = ?1) AND (?2 IS NULL OR r2.task = ?2)
                  AND (?3 IS NULL OR ru2.label = ?3))
            WHERE newest = 1)
        ORDER BY mo.repo_id, r.task, d.name, r.parameters)sql");
    query.bind_all(filter.model, filter.task, filter.label);
    auto rows = load_results(query);
    if (filter.metric) {
        for (auto& row : rows) {
            std::erase_if(row.metrics, [&](const Metric& m) { return m.name != *filter.metric; });
        }
        std::erase_if(rows, [](const ResultRow& row) { return row.metrics.empty(); });
    }
    return rows;
}

std::vector<HistoryPoint> ResultStore::history(const ResultFilter& filter) const {
    auto& query = db_->cached(R"sql(
        SELECT ru.id, ru.started_at, r.id, mo.repo_id, mo.commit_sha, r.task, d.name, d.sha256, r.parameters,
               ru.hubbench_version, ru.hubbench_commit, m.name, m.value, m.stderr, m.n, m.unit, m.higher_is_better
        FROM metrics m
        JOIN results r ON r.id = m.result_id
        JOIN runs ru ON ru.id = r.run_id
        JOIN models mo ON mo.id = r.model_id
        JOIN datasets d ON d.id = r.dataset_id
        WHERE r.status = 'ok' AND (?1 IS NULL OR mo.repo_id = ?1) AND (?2 IS NULL OR r.task = ?2)
          AND (?3 IS NULL OR m.name = ?3) AND (?4 IS NULL OR ru.label = ?4)
        ORDER BY ru.started_at, ru.id, mo.repo_id, r.task, d.name, r.parameters, m.name)sql");
    query.bind_all(filter.model, filter.task, filter.metric, filter.label);
    std::vector<HistoryPoint> points;
    while (query.step()) {
        HistoryPoint p;
        p.run = RunId{query.column_int64(0)};
        p.time = query.column_text(1);
        p.result = ResultId{query.column_int64(2)};
        p.model = {query.column_text(3), query.column_text(4)};
        p.task = query.column_text(5);
        p.dataset_name = query.column_text(6);
        p.dataset_sha256 = query.column_text(7);
        p.parameters = query.column_text(8);
        p.hubbench_version = query.column_text(9);
        p.hubbench_commit = query.column_text(10);
        p.metric = read_metric(query, 11);
        points.push_back(std::move(p));
    }
    query.reset();
    return points;
}

std::vector<MetricPair> ResultStore::compare_runs(RunId a, RunId b) const {
    return compare_runs(std::vector<RunId>{a}, std::vector<RunId>{b});
}

std::vector<MetricPair> ResultStore::compare_runs(const std::vector<RunId>& a, const std::vector<RunId>& b) const {
    using Key = std::tuple<std::string, std::string, std::string, std::string, std::string>;
    std::map<Key, MetricPair> pairs;
    auto add = [&](const std::vector<RunId>& runs, bool first) {
        for (const auto& row : results_of_runs(runs)) {
            if (row.status != ResultStatus::ok) continue;
            for (const auto& m : row.metrics) {
                Key key{row.key.model.repo_id, row.key.task, row.key.dataset_sha256, row.key.parameters, m.name};
                auto& pair = pairs[key];
                pair.repo_id = row.key.model.repo_id;
                pair.task = row.key.task;
                pair.dataset_sha256 = row.key.dataset_sha256;
                pair.parameters = row.key.parameters;
                pair.metric = m.name;
                (first ? pair.commit_a : pair.commit_b) = row.key.model.commit_sha;
                (first ? pair.a : pair.b) = m;
            }
        }
    };
    add(a, true);
    add(b, false);
    std::vector<MetricPair> out;
    out.reserve(pairs.size());
    for (auto& [key, pair] : pairs) out.push_back(std::move(pair));
    return out;
}

std::vector<TrialRow> ResultStore::trials_of_run(RunId run) const {
    auto& query = db_->cached(R"sql(
        SELECT repo_id, commit_sha, stage, outcome, reason, details, recorded_at FROM trials
        WHERE run_id = ? ORDER BY id)sql");
    query.bind_all(run.value);
    std::vector<TrialRow> rows;
    while (query.step()) {
        TrialRow row;
        row.run = run;
        row.trial.repo_id = query.column_text(0);
        row.trial.commit_sha = query.column_optional_text(1);
        row.trial.stage = query.column_text(2);
        row.trial.outcome = parse_enum(query, 3, parse_trial_outcome, path());
        row.trial.reason = query.column_text(4);
        row.trial.details = query.column_text(5);
        row.recorded_at = query.column_text(6);
        rows.push_back(std::move(row));
    }
    query.reset();
    return rows;
}

std::vector<Sample> ResultStore::samples_of_result(ResultId id) const {
    auto& query = db_->cached("SELECT metric, idx, value FROM samples WHERE result_id = ? ORDER BY metric, idx");
    query.bind_all(id.value);
    std::vector<Sample> samples;
    while (query.step()) samples.push_back(Sample{query.column_text(0), query.column_int64(1), query.column_double(2)});
    query.reset();
    return samples;
}

std::optional<ModelRecord> ResultStore::model(const ModelRef& ref) const {
    auto& query = db_->cached(R"sql(
        SELECT architecture, model_type, parameters, dtype, kind, licence, size_bytes FROM models
        WHERE repo_id = ? AND commit_sha = ?)sql");
    query.bind_all(ref.repo_id, ref.commit_sha);
    std::optional<ModelRecord> model;
    if (query.step()) {
        ModelRecord m;
        m.repo_id = ref.repo_id;
        m.commit_sha = ref.commit_sha;
        m.architecture = query.column_optional_text(0);
        m.model_type = query.column_optional_text(1);
        m.parameters = query.column_optional_int64(2);
        m.dtype = query.column_optional_text(3);
        if (!query.column_is_null(4)) m.kind = parse_enum(query, 4, parse_model_kind, path());
        m.licence = query.column_optional_text(5);
        m.size_bytes = query.column_optional_int64(6);
        model = std::move(m);
    }
    query.reset();
    return model;
}

std::optional<DatasetRecord> ResultStore::dataset(const std::string& sha256) const {
    auto& query = db_->cached("SELECT name, path, bytes FROM datasets WHERE sha256 = ?");
    query.bind_all(sha256);
    std::optional<DatasetRecord> d;
    if (query.step()) d = DatasetRecord{query.column_text(0), query.column_text(1), sha256, query.column_int64(2)};
    query.reset();
    return d;
}

std::vector<TaskMeaning> ResultStore::task_meanings() const {
    auto& query = db_->cached("SELECT task, label, position, primary_metric FROM task_meanings ORDER BY position, task");
    std::vector<TaskMeaning> tasks;
    while (query.step()) {
        tasks.push_back({query.column_text(0), query.column_text(1), static_cast<int>(query.column_int64(2)), query.column_text(3)});
    }
    query.reset();
    return tasks;
}

std::vector<MetricMeaningRow> ResultStore::metric_meanings() const {
    auto& query = db_->cached(R"sql(
        SELECT task, name, label, unit, higher_is_better, pseudo, speed, auxiliary, headline, headline_rank, position
        FROM metric_meanings ORDER BY task, position, name)sql");
    std::vector<MetricMeaningRow> rows;
    while (query.step()) {
        MetricMeaningRow row{query.column_text(0), query.column_text(1), {}};
        MetricMeaning& m = row.meaning;
        m.label = query.column_text(2);
        m.unit = query.column_text(3);
        m.higher_is_better = query.column_optional_bool(4);
        m.pseudo = query.column_bool(5);
        m.speed = query.column_bool(6);
        m.auxiliary = query.column_bool(7);
        m.headline = query.column_text(8);
        m.headline_rank = static_cast<int>(query.column_int64(9));
        m.position = static_cast<int>(query.column_int64(10));
        rows.push_back(std::move(row));
    }
    query.reset();
    return rows;
}

}  // namespace hubbench::results
