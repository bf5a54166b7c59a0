// ResultStore: opening, and everything that writes. Queries are in store_queries.cpp.
#include "results/store.hpp"

#include <chrono>
#include <cmath>
#include <ctime>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "results/canonical_json.hpp"
#include "results/schema.hpp"

namespace hubbench::results {

namespace {

std::string random_uuid() {
    // RFC 4122 version 4 layout; only uniqueness across shards matters here.
    static thread_local std::mt19937_64 rng{[] {
        std::random_device device;
        std::seed_seq seed{device(), device(), device(), device(),
                           static_cast<unsigned>(std::chrono::steady_clock::now().time_since_epoch().count())};
        return std::mt19937_64(seed);
    }()};
    std::uint64_t hi = rng(), lo = rng();
    hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;
    lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
    char text[37];
    std::snprintf(text, sizeof text, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                  static_cast<unsigned>((hi >> 16) & 0xffff), static_cast<unsigned>(hi & 0xffff),
                  static_cast<unsigned>(lo >> 48), static_cast<unsigned long long>(lo & 0xffffffffffffULL));
    return text;
}

bool is_sha256(const std::string& s) {
    if (s.size() != 64) return false;
    for (char c : s) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
}

void require(bool condition, const fs::path& path, const std::string& message) {
    if (!condition) throw Error(ErrorKind::invalid_input, path.string() + ": " + message);
}

std::string describe(const ResultKey& key) {
    return key.model.repo_id + "@" + key.model.commit_sha + " " + key.task;
}

std::optional<std::string> optional_kind(const std::optional<ModelKind>& kind) {
    if (!kind) return std::nullopt;
    return std::string(model_kind_name(*kind));
}

}  // namespace

std::string utc_now() {
    auto now = std::chrono::system_clock::now();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
    char out[40];
    std::snprintf(out, sizeof out, "%s.%03dZ", text, static_cast<int>(ms));
    return out;
}

ResultStore::ResultStore(const fs::path& path, StoreOptions options) : options_(options) {
    db_ = std::make_unique<Database>(path, DatabaseOptions{options.mode, options.busy_timeout, options.durable});
    if (options.mode == OpenMode::read_only) {
        int version = schema_version(*db_);
        if (version == 0) {
            throw Error(ErrorKind::invalid_input, path.string() + ": not a hubbench results database (no schema)");
        }
        if (version != current_schema_version()) {
            throw Error(ErrorKind::unsupported, path.string() + ": schema version " + std::to_string(version) +
                                                    " is older than " + std::to_string(current_schema_version()) +
                                                    "; open it once for writing (e.g. 'hubbench history') to migrate");
        }
    } else {
        migrate(*db_);
    }
}

ResultStore ResultStore::open_for_reading(const fs::path& path) {
    int version = 0;
    {
        Database probe(path, {OpenMode::read_only});
        version = schema_version(probe);
    }
    // An empty file (version 0) is refused by the read-only open rather than given tables.
    if (version == current_schema_version() || version == 0) return ResultStore(path, {OpenMode::read_only});
    return ResultStore(path, {OpenMode::read_write});
}

ResultStore::~ResultStore() = default;
ResultStore::ResultStore(ResultStore&&) noexcept = default;
ResultStore& ResultStore::operator=(ResultStore&&) noexcept = default;

const fs::path& ResultStore::path() const { return db_->path(); }

template <typename F>
auto ResultStore::write(F&& work) const {
    return retry_on_busy(
        [&] {
            Transaction tx(*db_);
            if constexpr (std::is_void_v<decltype(work())>) {
                work();
                tx.commit();
            } else {
                auto value = work();
                tx.commit();
                return value;
            }
        },
        options_.busy_attempts);
}

RunId ResultStore::begin_run(const RunInfo& info) {
    std::string command_line = nlohmann::json(info.command_line).dump();
    return write([&] {
        db_->cached(R"sql(
            INSERT INTO runs (uuid, label, status, started_at, hubbench_version, hubbench_commit, host_name,
                              cpu_model, cpu_cores, memory_bytes, os, blas, threads, command_line, night, shard)
            VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql")
            .bind_all(random_uuid(), info.label, utc_now(), info.hubbench_version, info.hubbench_commit,
                      info.host.host_name, info.host.cpu_model, info.host.cpu_cores, info.host.memory_bytes,
                      info.host.os, info.blas, info.threads, command_line, info.night, info.shard)
            .run();
        return RunId{db_->last_insert_rowid()};
    });
}

void ResultStore::finish_run(RunId run, RunStatus status) {
    if (status == RunStatus::running) {
        throw Error(ErrorKind::internal, path().string() + ": finish_run needs ok, failed or interrupted");
    }
    write([&] {
        db_->cached("UPDATE runs SET status = ?, finished_at = ? WHERE id = ?")
            .bind_all(to_string(status), utc_now(), run.value)
            .run();
        if (db_->changes() == 0) {
            throw Error(ErrorKind::not_found, path().string() + ": no run " + std::to_string(run.value));
        }
    });
}

void ResultStore::upsert_model(const ModelRecord& m) {
    require(!m.repo_id.empty(), path(), "a model needs a repo id");
    require(!m.commit_sha.empty(), path(), "model " + m.repo_id + " needs a commit");
    write([&] {
        // Fields already known are kept: a later, less informed caller cannot erase them.
        db_->cached(upsert_model_sql)
            .bind_all(m.repo_id, m.commit_sha, m.architecture, m.model_type, m.parameters, m.dtype,
                      optional_kind(m.kind), m.licence, m.size_bytes)
            .run();
    });
}

void ResultStore::upsert_dataset(const DatasetRecord& d) {
    require(!d.name.empty(), path(), "a dataset needs a name");
    require(is_sha256(d.sha256), path(), "dataset " + d.name + ": sha256 must be 64 lowercase hex digits, got '" +
                                             d.sha256 + "'");
    require(d.bytes >= 0, path(), "dataset " + d.name + ": negative size");
    write([&] {
        db_->cached("INSERT INTO datasets (sha256, name, path, bytes) VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING")
            .bind_all(d.sha256, d.name, d.path, d.bytes)
            .run();
        auto& known = db_->cached("SELECT bytes FROM datasets WHERE sha256 = ?").bind_all(d.sha256);
        known.step();
        auto bytes = known.column_int64(0);
        known.reset();
        require(bytes == d.bytes, path(), "dataset " + d.name + " (sha256 " + d.sha256 + ") was recorded with " +
                                              std::to_string(bytes) + " bytes, now " + std::to_string(d.bytes));
    });
}

ResultId ResultStore::record_result(RunId run, const ResultRecord& r) {
    const auto what = describe(r.key);
    require(!r.key.task.empty(), path(), what + ": a result needs a task");
    require(r.status == ResultStatus::ok || !r.error.empty(), path(),
            what + ": a " + to_string(r.status) + " result needs an error message saying why");
    require(!r.seconds || std::isfinite(*r.seconds), path(), what + ": seconds must be finite");
    std::set<std::string> names;
    for (const auto& m : r.metrics) {
        require(!m.name.empty(), path(), what + ": a metric needs a name");
        require(names.insert(m.name).second, path(), what + ": metric " + m.name + " given twice");
        require(!std::isnan(m.value), path(), what + ": metric " + m.name + " is NaN");
        require(!m.std_error || !std::isnan(*m.std_error), path(), what + ": stderr of " + m.name + " is NaN");
        require(m.n >= 0, path(), what + ": metric " + m.name + " has a negative n");
    }
    std::set<std::pair<std::string, std::int64_t>> sample_keys;
    for (const auto& sample : r.samples) {
        require(names.count(sample.metric) == 1, path(), what + ": sample of unknown metric '" + sample.metric + "'");
        require(sample.index >= 0, path(), what + ": sample index of " + sample.metric + " is negative");
        require(!std::isnan(sample.value), path(), what + ": sample " + std::to_string(sample.index) + " of " +
                                                       sample.metric + " is NaN");
        require(sample_keys.emplace(sample.metric, sample.index).second, path(),
                what + ": sample " + std::to_string(sample.index) + " of " + sample.metric + " given twice");
    }
    std::string parameters = canonical_json_text(r.key.parameters);
    std::optional<std::string> error = r.error.empty() ? std::nullopt : std::optional<std::string>(r.error);

    return write([&] {
        auto& run_row = db_->cached("SELECT hubbench_version FROM runs WHERE id = ?").bind_all(run.value);
        if (!run_row.step()) throw Error(ErrorKind::not_found, path().string() + ": no run " + std::to_string(run.value));
        std::string run_version = run_row.column_text(0);
        run_row.reset();
        if (run_version != r.key.hubbench_version) {
            throw Error(ErrorKind::internal, path().string() + ": " + what + ": key is for hubbench " +
                                                 r.key.hubbench_version + " but run " + std::to_string(run.value) +
                                                 " is hubbench " + run_version);
        }
        auto& model = db_->cached("SELECT id FROM models WHERE repo_id = ? AND commit_sha = ?")
                          .bind_all(r.key.model.repo_id, r.key.model.commit_sha);
        if (!model.step()) {
            throw Error(ErrorKind::not_found, path().string() + ": " + what + ": model not registered (upsert_model first)");
        }
        auto model_id = model.column_int64(0);
        model.reset();
        auto& dataset = db_->cached("SELECT id FROM datasets WHERE sha256 = ?").bind_all(r.key.dataset_sha256);
        if (!dataset.step()) {
            throw Error(ErrorKind::not_found, path().string() + ": " + what + ": dataset " + r.key.dataset_sha256 +
                                                  " not registered (upsert_dataset first)");
        }
        auto dataset_id = dataset.column_int64(0);
        dataset.reset();

        // Same key twice in one run: the newer replaces the older (metrics go by ON DELETE CASCADE).
        db_->cached(R"sql(DELETE FROM results WHERE run_id = ? AND model_id = ? AND task = ? AND dataset_id = ?
                          AND parameters = ?)sql")
            .bind_all(run.value, model_id, r.key.task, dataset_id, parameters)
            .run();
        db_->cached(R"sql(
            INSERT INTO results (run_id, model_id, task, dataset_id, parameters, status, error, seconds, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?))sql")
            .bind_all(run.value, model_id, r.key.task, dataset_id, parameters, to_string(r.status), error, r.seconds,
                      utc_now())
            .run();
        ResultId id{db_->last_insert_rowid()};
        auto& metric = db_->cached(R"sql(
            INSERT INTO metrics (result_id, name, value, stderr, n, unit, higher_is_better)
            VALUES (?, ?, ?, ?, ?, ?, ?))sql");
        for (const auto& m : r.metrics) {
            metric.reset();
            metric.bind_all(id.value, m.name, m.value, m.std_error, m.n, m.unit, m.higher_is_better).run();
        }
        if (!r.samples.empty()) {
            auto& sample = db_->cached("INSERT INTO samples (result_id, metric, idx, value) VALUES (?, ?, ?, ?)");
            for (const auto& x : r.samples) {
                sample.reset();
                sample.bind_all(id.value, x.metric, x.index, x.value).run();
            }
        }
        return id;
    });
}

void ResultStore::describe_task(const TaskMeaning& task, const std::vector<MetricMeaningRow>& metrics) {
    require(!task.task.empty() && !task.label.empty(), path(), "a task description needs a name and a label");
    for (const auto& m : metrics) {
        require(m.task == task.task, path(), "metric " + m.name + " is described under task " + m.task + ", not " + task.task);
        require(!m.name.empty() && !m.meaning.label.empty(), path(), task.task + ": a metric description needs a name and a label");
    }
    write([&] {
        db_->cached(R"sql(
            INSERT INTO task_meanings (task, label, position, primary_metric) VALUES (?, ?, ?, ?)
            ON CONFLICT (task) DO UPDATE SET label = excluded.label, position = excluded.position,
                primary_metric = excluded.primary_metric)sql")
            .bind_all(task.task, task.label, task.position, task.primary_metric)
            .run();
        auto& metric = db_->cached(upsert_metric_meaning_sql);
        for (const auto& m : metrics) {
            const MetricMeaning& x = m.meaning;
            metric.reset();
            metric.bind_all(m.task, m.name, x.label, x.unit, x.higher_is_better, x.pseudo, x.speed, x.auxiliary, x.headline,
                            x.headline_rank, x.position)
                .run();
        }
    });
}

void ResultStore::record_trial(RunId run, const TrialRecord& t) {
    require(!t.repo_id.empty(), path(), "a trial needs a repo id");
    require(!t.stage.empty(), path(), "trial of " + t.repo_id + " needs a stage");
    std::string details = canonical_json_text(t.details);
    write([&] {
        db_->cached(R"sql(
            INSERT INTO trials (run_id, repo_id, commit_sha, stage, outcome, reason, details, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (run_id, repo_id, stage) DO UPDATE SET
                commit_sha = excluded.commit_sha, outcome = excluded.outcome, reason = excluded.reason,
                details = excluded.details, recorded_at = excluded.recorded_at)sql")
            .bind_all(run.value, t.repo_id, t.commit_sha, t.stage, to_string(t.outcome), t.reason, details, utc_now())
            .run();
    });
}

void ResultStore::record_reuse(RunId run, ResultId result) {
    write([&] {
        db_->cached("INSERT OR IGNORE INTO reuses (run_id, result_id) VALUES (?, ?)").bind_all(run.value, result.value).run();
    });
}

}  // namespace hubbench::results
