// The deterministic workload that results-writer and the results tests share: which models and
// datasets exist, and what result number i of a task looks like. Tests compare databases written by
// different process histories (killed and resumed, sharded, merged) against this one definition.
#pragma once
#include <csignal>
#include <nlohmann/json.hpp>
#include <string>

#include "results/canonical_json.hpp"
#include "results/database.hpp"
#include "results/store.hpp"

namespace hubbench::test {

inline constexpr int workload_models = 4;

inline results::ModelRecord workload_model(int m) {
    results::ModelRecord model;
    model.repo_id = "fixtures/model-" + std::to_string(m);
    model.commit_sha = std::string(39, "0123456789"[m % 10]) + "f";
    model.architecture = "GPT2LMHeadModel";
    model.model_type = "gpt2";
    model.parameters = 1'000'000 + m;
    model.dtype = "float32";
    model.kind = ModelKind::decoder;
    model.licence = "mit";
    model.size_bytes = 4'000'000 + m;
    return model;
}

// WikiText-2 raw test split as shipped in assets/ (sha256sum and size of the real file).
inline results::DatasetRecord workload_dataset() {
    return {"wikitext-2-raw/test", "assets/datasets/wikitext-2-raw/wiki.test.raw",
            "173c87a53759e0201f33e0ccf978e510c2042d7f2cb78229d9a50d79b9e7dd08", 1290590};
}

inline void register_workload(results::ResultStore& store, results::RunId run) {
    for (int m = 0; m < workload_models; ++m) {
        store.upsert_model(workload_model(m));
        store.record_trial(run, {workload_model(m).repo_id, workload_model(m).commit_sha, "search",
                                 results::TrialOutcome::selected, "", R"({"downloads":)" + std::to_string(m) + "}"});
    }
    store.upsert_dataset(workload_dataset());
}

// Result i of `task`: unique key per i (model i % 4, window i / 4); every 50th is skipped.
inline results::ResultRecord workload_result(const std::string& task, long i) {
    results::ResultRecord r;
    int m = static_cast<int>(i % workload_models);
    r.key.model = {workload_model(m).repo_id, workload_model(m).commit_sha};
    r.key.task = task;
    r.key.dataset_sha256 = workload_dataset().sha256;
    r.key.parameters = results::canonical_json({{"window", 128 + i / workload_models}, {"stride", 64}});
    if (i % 50 == 49) {
        r.status = results::ResultStatus::skipped;
        r.error = "window longer than the model's context";
        return r;
    }
    r.seconds = 0.5 + 0.001 * static_cast<double>(i);
    r.metrics = {{"bits_per_byte", 1.0 / (1.0 + static_cast<double>(i)), std::nullopt, 5000, "bits", false},
                 {"perplexity", 10.0 + 0.25 * static_cast<double>(i), 0.01 * static_cast<double>(i), 1000 + i,
                  std::nullopt, false}};
    // A few per-sample rows on every tenth result.
    if (i % 10 == 0) r.samples = {{"perplexity", 0, 9.5}, {"perplexity", 1, 10.5 + static_cast<double>(i)}};
    return r;
}

// Opens a second connection, writes the result row and one metric of `record` inside a
// transaction, and dies by SIGKILL before COMMIT.
[[noreturn]] inline void write_half_a_result_and_die(const std::string& db_path, results::RunId run,
                                                     const results::ResultRecord& record) {
    results::Database db(db_path);
    results::Transaction tx(db);
    db.prepare(R"sql(
        INSERT INTO results (run_id, model_id, task, dataset_id, parameters, status, recorded_at)
        VALUES (?, (SELECT id FROM models WHERE repo_id = ? AND commit_sha = ?), ?,
                (SELECT id FROM datasets WHERE sha256 = ?), ?, 'ok', 'now'))sql")
        .bind_all(run.value, record.key.model.repo_id, record.key.model.commit_sha, record.key.task,
                  record.key.dataset_sha256, record.key.parameters)
        .run();
    db.prepare("INSERT INTO metrics (result_id, name, value, n) VALUES (?, 'perplexity', 1.0, 1)")
        .bind_all(db.last_insert_rowid())
        .run();
    std::raise(SIGKILL);
    std::abort();  // not reached
}

}  // namespace hubbench::test
