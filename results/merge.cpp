#include "results/merge.hpp"

#include <unistd.h>

#include <map>
#include <memory>
#include <random>

#include "core/interrupt.hpp"
#include "core/log.hpp"
#include "results/database.hpp"
#include "results/schema.hpp"
#include "results/store.hpp"

namespace hubbench::results {

namespace {

// A source opened for reading, or (older schema) its migrated copy in memory.
struct Source {
    fs::path path;
    std::unique_ptr<Database> file;
    std::unique_ptr<Database> memory;
    Database& db() { return memory ? *memory : *file; }
};

void check_integrity(Database& db) {
    auto check = db.prepare("PRAGMA integrity_check");
    std::string first;
    int problems = 0;
    while (check.step()) {
        auto line = check.column_text(0);
        if (line == "ok") continue;
        if (problems++ == 0) first = line;
    }
    if (problems > 0) {
        throw Error(ErrorKind::invalid_input, db.path().string() + ": database is corrupt (integrity_check: " + first +
                                                  (problems > 1 ? " and " + std::to_string(problems - 1) + " more" : "") +
                                                  ")");
    }
}

Source open_source(const fs::path& path) {
    Source source{path, std::make_unique<Database>(path, DatabaseOptions{OpenMode::read_only}), nullptr};
    check_integrity(*source.file);
    int version = schema_version(*source.file);  // throws for a newer schema
    if (version == 0) {
        throw Error(ErrorKind::invalid_input, path.string() + ": not a hubbench results database (no schema)");
    }
    if (version < current_schema_version()) {
        log::debug("{}: schema version {}; merging from a migrated copy in memory", path.string(), version);
        source.memory = std::make_unique<Database>(":memory:");
        source.file->backup_into(*source.memory);
        migrate(*source.memory);
    }
    return source;
}

bool same_file(const fs::path& a, const fs::path& b) {
    std::error_code ec;
    if (fs::exists(a, ec) && fs::exists(b, ec)) return fs::equivalent(a, b, ec);
    return fs::weakly_canonical(a, ec) == fs::weakly_canonical(b, ec);
}

// Copies one source into the target inside the caller's transaction.
class Copier {
public:
    Copier(Database& source, Database& target, MergeStats& stats) : src_(source), dst_(target), stats_(stats) {}

    void run() {
        // One read snapshot of the source: a shard still being written cannot show a result
        // whose run was added after the runs were copied.
        Transaction snapshot(src_, TransactionKind::deferred);
        copy_runs();
        copy_models();
        copy_datasets();
        copy_results();
        copy_trials();
        copy_reuses();
        copy_meanings();
        snapshot.commit();
    }

private:
    std::optional<std::int64_t> lookup(Statement& s) {
        std::optional<std::int64_t> id;
        if (s.step()) id = s.column_int64(0);
        s.reset();
        return id;
    }

    std::int64_t mapped(const std::map<std::int64_t, std::int64_t>& ids, std::int64_t id, const char* what) {
        auto it = ids.find(id);
        if (it == ids.end()) {
            throw Error(ErrorKind::invalid_input, src_.path().string() + ": dangling " + what + " id " + std::to_string(id));
        }
        return it->second;
    }

    void copy_runs() {
        auto s = src_.prepare(R"sql(
            SELECT id, uuid, label, status, started_at, finished_at, hubbench_version, hubbench_commit, host_name,
                   cpu_model, cpu_cores, memory_bytes, os, blas, threads, command_line, night, shard
            FROM runs ORDER BY id)sql");
        while (s.step()) {
            auto uuid = s.column_text(1);
            auto status = s.column_text(3);
            auto finished = s.column_optional_text(5);
            auto& find = dst_.cached("SELECT id FROM runs WHERE uuid = ?").bind_all(uuid);
            if (auto id = lookup(find)) {
                // Merged earlier while it was still running: take the final status now.
                if (status != "running") {
                    dst_.cached("UPDATE runs SET status = ?, finished_at = ? WHERE id = ? AND status = 'running'")
                        .bind_all(status, finished, *id)
                        .run();
                    stats_.runs_updated += dst_.changes();
                }
                runs_[s.column_int64(0)] = *id;
                continue;
            }
            dst_.cached(R"sql(
                INSERT INTO runs (uuid, label, status, started_at, finished_at, hubbench_version, hubbench_commit,
                                  host_name, cpu_model, cpu_cores, memory_bytes, os, blas, threads, command_line, night,
                                  shard)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql")
                .bind_all(uuid, s.column_text(2), status, s.column_text(4), finished, s.column_text(6), s.column_text(7),
                          s.column_text(8), s.column_text(9), s.column_int64(10), s.column_int64(11), s.column_text(12),
                          s.column_text(13), s.column_int64(14), s.column_text(15), s.column_text(16), s.column_text(17))
                .run();
            runs_[s.column_int64(0)] = dst_.last_insert_rowid();
            ++stats_.runs;
        }
    }

    // Meanings are descriptions, not measurements: the source's replace the target's.
    void copy_meanings() {
        auto tasks = src_.prepare("SELECT task, label, position, primary_metric FROM task_meanings");
        while (tasks.step()) {
            dst_.cached(R"sql(INSERT INTO task_meanings (task, label, position, primary_metric) VALUES (?, ?, ?, ?)
                              ON CONFLICT (task) DO UPDATE SET label = excluded.label, position = excluded.position,
                              primary_metric = excluded.primary_metric)sql")
                .bind_all(tasks.column_text(0), tasks.column_text(1), tasks.column_int64(2), tasks.column_text(3))
                .run();
        }
        auto metrics = src_.prepare(R"sql(SELECT task, name, label, unit, higher_is_better, pseudo, speed, auxiliary,
                                                 headline, headline_rank, position FROM metric_meanings)sql");
        while (metrics.step()) {
            dst_.cached(upsert_metric_meaning_sql)
                .bind_all(metrics.column_text(0), metrics.column_text(1), metrics.column_text(2), metrics.column_text(3),
                          metrics.column_optional_bool(4), metrics.column_bool(5), metrics.column_bool(6),
                          metrics.column_bool(7), metrics.column_text(8), metrics.column_int64(9), metrics.column_int64(10))
                .run();
        }
    }

    void copy_models() {
        auto s = src_.prepare(R"sql(
            SELECT id, repo_id, commit_sha, architecture, model_type, parameters, dtype, kind, licence, size_bytes
            FROM models ORDER BY id)sql");
        while (s.step()) {
            auto repo = s.column_text(1), commit = s.column_text(2);
            auto& find = dst_.cached("SELECT id FROM models WHERE repo_id = ? AND commit_sha = ?").bind_all(repo, commit);
            bool known = lookup(find).has_value();
            // Same statement as upsert_model: fill in what the target did not know, keep what it did.
            dst_.cached(upsert_model_sql)
                .bind_all(repo, commit, s.column_optional_text(3), s.column_optional_text(4), s.column_optional_int64(5),
                          s.column_optional_text(6), s.column_optional_text(7), s.column_optional_text(8),
                          s.column_optional_int64(9))
                .run();
            if (!known) ++stats_.models;
            auto& again = dst_.cached("SELECT id FROM models WHERE repo_id = ? AND commit_sha = ?").bind_all(repo, commit);
            models_[s.column_int64(0)] = lookup(again).value();
        }
    }

    void copy_datasets() {
        auto s = src_.prepare("SELECT id, sha256, name, path, bytes FROM datasets ORDER BY id");
        while (s.step()) {
            auto sha = s.column_text(1);
            auto bytes = s.column_int64(4);
            auto& find = dst_.cached("SELECT id, bytes FROM datasets WHERE sha256 = ?").bind_all(sha);
            if (find.step()) {
                auto id = find.column_int64(0), known_bytes = find.column_int64(1);
                find.reset();
                if (known_bytes != bytes) {
                    throw Error(ErrorKind::invalid_input, src_.path().string() + ": dataset " + sha + " has " +
                                                              std::to_string(bytes) + " bytes, but " +
                                                              std::to_string(known_bytes) + " in " + dst_.path().string());
                }
                datasets_[s.column_int64(0)] = id;
                continue;
            }
            find.reset();
            dst_.cached("INSERT INTO datasets (sha256, name, path, bytes) VALUES (?, ?, ?, ?)")
                .bind_all(sha, s.column_text(2), s.column_text(3), bytes)
                .run();
            datasets_[s.column_int64(0)] = dst_.last_insert_rowid();
            ++stats_.datasets;
        }
    }

    void copy_results() {
        auto s = src_.prepare(R"sql(
            SELECT id, run_id, model_id, task, dataset_id, parameters, status, error, seconds, recorded_at
            FROM results ORDER BY id)sql");
        while (s.step()) {
            throw_if_interrupted();  // rolls the whole merge back
            auto run = mapped(runs_, s.column_int64(1), "run");
            auto model = mapped(models_, s.column_int64(2), "model");
            auto dataset = mapped(datasets_, s.column_int64(4), "dataset");
            auto task = s.column_text(3), parameters = s.column_text(5), recorded_at = s.column_text(9);
            auto& find = dst_.cached(R"sql(SELECT id, recorded_at FROM results WHERE run_id = ? AND model_id = ?
                                            AND task = ? AND dataset_id = ? AND parameters = ?)sql")
                             .bind_all(run, model, task, dataset, parameters);
            std::vector<std::int64_t> reusing_runs;  // runs in the target that reused the replaced copy
            if (find.step()) {
                auto id = find.column_int64(0);
                auto known_at = find.column_text(1);
                find.reset();
                // The same result of the same run: keep the newer copy (a shard that re-recorded
                // a key after an earlier merge); metrics and samples go with it by cascade.
                if (known_at >= recorded_at) {
                    results_[s.column_int64(0)] = id;
                    continue;
                }
                auto& reusers = dst_.cached("SELECT run_id FROM reuses WHERE result_id = ?").bind_all(id);
                while (reusers.step()) reusing_runs.push_back(reusers.column_int64(0));
                reusers.reset();
                dst_.cached("DELETE FROM results WHERE id = ?").bind_all(id).run();
                ++stats_.replaced;
                --stats_.results;
            }
            find.reset();
            dst_.cached(R"sql(
                INSERT INTO results (run_id, model_id, task, dataset_id, parameters, status, error, seconds, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?))sql")
                .bind_all(run, model, task, dataset, parameters, s.column_text(6), s.column_optional_text(7),
                          s.column_optional_double(8), recorded_at)
                .run();
            ++stats_.results;
            const std::int64_t inserted = dst_.last_insert_rowid();
            results_[s.column_int64(0)] = inserted;
            for (auto reuser : reusing_runs) {
                dst_.cached("INSERT OR IGNORE INTO reuses (run_id, result_id) VALUES (?, ?)").bind_all(reuser, inserted).run();
            }
            copy_children(s.column_int64(0), inserted);
        }
    }

    void copy_children(std::int64_t src_result, std::int64_t dst_result) {
        auto& metrics = src_.cached(
            "SELECT name, value, stderr, n, unit, higher_is_better FROM metrics WHERE result_id = ? ORDER BY id");
        metrics.bind_all(src_result);
        auto& insert_metric = dst_.cached(R"sql(
            INSERT INTO metrics (result_id, name, value, stderr, n, unit, higher_is_better)
            VALUES (?, ?, ?, ?, ?, ?, ?))sql");
        while (metrics.step()) {
            insert_metric.reset();
            insert_metric
                .bind_all(dst_result, metrics.column_text(0), metrics.column_double(1), metrics.column_optional_double(2),
                          metrics.column_int64(3), metrics.column_optional_text(4), metrics.column_optional_int64(5))
                .run();
            ++stats_.metrics;
        }
        metrics.reset();
        auto& samples = src_.cached("SELECT metric, idx, value FROM samples WHERE result_id = ?");
        samples.bind_all(src_result);
        auto& insert_sample = dst_.cached("INSERT INTO samples (result_id, metric, idx, value) VALUES (?, ?, ?, ?)");
        while (samples.step()) {
            insert_sample.reset();
            insert_sample.bind_all(dst_result, samples.column_text(0), samples.column_int64(1), samples.column_double(2))
                .run();
            ++stats_.samples;
        }
        samples.reset();
    }

    void copy_trials() {
        auto s = src_.prepare(R"sql(
            SELECT run_id, repo_id, commit_sha, stage, outcome, reason, details, recorded_at FROM trials ORDER BY id)sql");
        while (s.step()) {
            auto run = mapped(runs_, s.column_int64(0), "run");
            auto repo = s.column_text(1), stage = s.column_text(3), recorded_at = s.column_text(7);
            auto& find = dst_.cached("SELECT recorded_at FROM trials WHERE run_id = ? AND repo_id = ? AND stage = ?")
                             .bind_all(run, repo, stage);
            bool known = find.step();
            bool newer = known && recorded_at > find.column_text(0);
            find.reset();
            if (known && !newer) continue;
            dst_.cached(R"sql(
                INSERT INTO trials (run_id, repo_id, commit_sha, stage, outcome, reason, details, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (run_id, repo_id, stage) DO UPDATE SET
                    commit_sha = excluded.commit_sha, outcome = excluded.outcome, reason = excluded.reason,
                    details = excluded.details, recorded_at = excluded.recorded_at)sql")
                .bind_all(run, repo, s.column_optional_text(2), stage, s.column_text(4), s.column_text(5),
                          s.column_text(6), recorded_at)
                .run();
            if (!known) ++stats_.trials;
        }
    }

    Database& src_;
    Database& dst_;
    MergeStats& stats_;
    // A run's reuse of a result, once both are in the target (a reused result replaced by a newer
    // copy above is found through the copy's id).
    void copy_reuses() {
        auto s = src_.prepare("SELECT run_id, result_id FROM reuses ORDER BY run_id, result_id");
        while (s.step()) {
            auto run = mapped(runs_, s.column_int64(0), "run");
            auto result = mapped(results_, s.column_int64(1), "result");
            dst_.cached("INSERT OR IGNORE INTO reuses (run_id, result_id) VALUES (?, ?)").bind_all(run, result).run();
        }
    }

    std::map<std::int64_t, std::int64_t> runs_, models_, datasets_, results_;  // source id -> target id
};

MergeStats merge_into(std::vector<Source>& sources, const fs::path& target) {
    ResultStore store(target);  // creates or migrates the target's schema
    Database& db = store.database();
    return retry_on_busy([&] {
        MergeStats stats;
        Transaction tx(db);
        for (auto& source : sources) {
            Copier(source.db(), db, stats).run();
        }
        tx.commit();
        return stats;
    });
}

void remove_database_files(const fs::path& path) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path.string() + suffix, ec);
}

}  // namespace

MergeStats merge_databases(const std::vector<fs::path>& sources, const fs::path& target) {
    if (sources.empty()) throw Error(ErrorKind::usage, "merge: no input databases given");
    // Check every input before touching the target, so a bad one leaves nothing half-merged.
    std::vector<Source> opened;
    for (const auto& path : sources) {
        if (same_file(path, target)) {
            throw Error(ErrorKind::usage, path.string() + ": is also the merge target; merge into a different file");
        }
        opened.push_back(open_source(path));
    }

    std::error_code ec;
    if (fs::exists(target, ec)) {
        {
            Database probe(target, {OpenMode::read_only});
            check_integrity(probe);
        }
        return merge_into(opened, target);
    }

    // A new target is built beside its final place and renamed in only when complete.
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    if (!fs::is_directory(dir, ec)) {
        throw Error(ErrorKind::not_found, target.string() + ": directory " + dir.string() + " does not exist");
    }
    fs::path temp = dir / ("." + target.filename().string() + ".merge-" + std::to_string(rng() % 1000000000) + ".tmp");
    try {
        auto stats = merge_into(opened, temp);  // the store is closed (and the WAL folded in) on return
        fs::rename(temp, target);
        remove_database_files(temp);
        return stats;
    } catch (const fs::filesystem_error& e) {
        remove_database_files(temp);
        throw Error(ErrorKind::io, target.string() + ": cannot move the merged database into place: " + e.code().message());
    } catch (...) {
        remove_database_files(temp);
        throw;
    }
}

}  // namespace hubbench::results
