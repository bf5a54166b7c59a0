#include "results/schema.hpp"

#include <string>

#include "core/log.hpp"

namespace hubbench::results {

namespace {

// Version 1: runs with their provenance, the models and datasets they measured, one result per
// (run, model, task, dataset, parameters) with its metrics, and the trials of the model search.
// STRICT tables make SQLite reject a value of the wrong type instead of storing it as given;
// CHECKs keep statuses and hashes honest, so a row can never claim what it is not.
constexpr const char* schema_v1 = R"sql(
CREATE TABLE runs (
    id               INTEGER PRIMARY KEY,
    uuid             TEXT NOT NULL UNIQUE,
    label            TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'interrupted')),
    started_at       TEXT NOT NULL,
    finished_at      TEXT,
    hubbench_version TEXT NOT NULL,
    hubbench_commit  TEXT NOT NULL,
    host_name        TEXT NOT NULL,
    cpu_model        TEXT NOT NULL,
    cpu_cores        INTEGER NOT NULL,
    memory_bytes     INTEGER NOT NULL,
    os               TEXT NOT NULL,
    blas             TEXT NOT NULL,
    threads          INTEGER NOT NULL,
    command_line     TEXT NOT NULL CHECK (json_valid(command_line))
) STRICT;
CREATE INDEX runs_started ON runs (started_at);

CREATE TABLE models (
    id           INTEGER PRIMARY KEY,
    repo_id      TEXT NOT NULL,
    commit_sha   TEXT NOT NULL,
    architecture TEXT,
    model_type   TEXT,
    parameters   INTEGER,
    dtype        TEXT,
    kind         TEXT CHECK (kind IN ('encoder', 'decoder', 'encoder-decoder')),
    licence      TEXT,
    size_bytes   INTEGER,
    UNIQUE (repo_id, commit_sha)
) STRICT;

CREATE TABLE datasets (
    id     INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
    name   TEXT NOT NULL,
    path   TEXT NOT NULL,
    bytes  INTEGER NOT NULL CHECK (bytes >= 0)
) STRICT;

CREATE TABLE results (
    id          INTEGER PRIMARY KEY,
    run_id      INTEGER NOT NULL REFERENCES runs (id),
    model_id    INTEGER NOT NULL REFERENCES models (id),
    task        TEXT NOT NULL,
    dataset_id  INTEGER NOT NULL REFERENCES datasets (id),
    parameters  TEXT NOT NULL CHECK (json_valid(parameters)),
    status      TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'skipped')),
    error       TEXT,
    seconds     REAL,
    recorded_at TEXT NOT NULL,
    UNIQUE (run_id, model_id, task, dataset_id, parameters)
) STRICT;
CREATE INDEX results_key ON results (model_id, task, dataset_id, parameters);

CREATE TABLE metrics (
    id        INTEGER PRIMARY KEY,
    result_id INTEGER NOT NULL REFERENCES results (id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    value     REAL NOT NULL,
    stderr    REAL,
    n         INTEGER NOT NULL CHECK (n >= 0),
    UNIQUE (result_id, name)
) STRICT;

CREATE TABLE trials (
    id          INTEGER PRIMARY KEY,
    run_id      INTEGER NOT NULL REFERENCES runs (id),
    repo_id     TEXT NOT NULL,
    commit_sha  TEXT,
    stage       TEXT NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('selected', 'skipped', 'failed')),
    reason      TEXT NOT NULL DEFAULT '',
    details     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details)),
    recorded_at TEXT NOT NULL,
    UNIQUE (run_id, repo_id, stage)
) STRICT;
)sql";

// Version 2: a metric says its unit and which direction is better, so reports can flag a regression
// without a table of metric names; per-sample values (e.g. each STS pair's cosine) can be kept for
// later re-analysis; and metric_provenance spells out the trace of every metric row.
constexpr const char* schema_v2 = R"sql(
ALTER TABLE metrics ADD COLUMN unit TEXT;
ALTER TABLE metrics ADD COLUMN higher_is_better INTEGER CHECK (higher_is_better IN (0, 1));

CREATE TABLE samples (
    result_id INTEGER NOT NULL REFERENCES results (id) ON DELETE CASCADE,
    metric    TEXT NOT NULL,
    idx       INTEGER NOT NULL CHECK (idx >= 0),
    value     REAL NOT NULL,
    PRIMARY KEY (result_id, metric, idx)
) STRICT, WITHOUT ROWID;

CREATE VIEW metric_provenance AS
SELECT m.id AS metric_id, m.name AS metric, m.value, m.stderr, m.n, m.unit,
       r.id AS result_id, r.task, r.parameters, r.status, r.recorded_at,
       mo.repo_id, mo.commit_sha AS model_commit,
       d.name AS dataset, d.sha256 AS dataset_sha256,
       ru.id AS run_id, ru.uuid AS run_uuid, ru.started_at AS run_started_at,
       ru.hubbench_version, ru.hubbench_commit, ru.host_name, ru.cpu_model
FROM metrics m
JOIN results r ON r.id = m.result_id
JOIN models mo ON mo.id = r.model_id
JOIN datasets d ON d.id = r.dataset_id
JOIN runs ru ON ru.id = r.run_id;
)sql";

// Version 3: a run that finds a result already measured (same key, from an earlier or a killed run)
// does not measure it again; it records that it used it, so the run's report and comparisons
// include it without a duplicated measurement in the history.
constexpr const char* schema_v3 = R"sql(
CREATE TABLE reuses (
    run_id    INTEGER NOT NULL REFERENCES runs (id),
    result_id INTEGER NOT NULL REFERENCES results (id) ON DELETE CASCADE,
    PRIMARY KEY (run_id, result_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX reuses_result ON reuses (result_id);
)sql";

// Version 4: what each metric and task means (label, unit, direction, pseudo, speed, headline,
// display order), written by the harness from the task registry with every result, so that
// reports and SQL users read meanings from the file rather than guessing them from names.
constexpr const char* schema_v4 = R"sql(
CREATE TABLE metric_meanings (
    task             TEXT NOT NULL,
    name             TEXT NOT NULL,
    label            TEXT NOT NULL,
    unit             TEXT NOT NULL DEFAULT '',
    higher_is_better INTEGER CHECK (higher_is_better IN (0, 1)),
    pseudo           INTEGER NOT NULL DEFAULT 0 CHECK (pseudo IN (0, 1)),
    speed            INTEGER NOT NULL DEFAULT 0 CHECK (speed IN (0, 1)),
    auxiliary        INTEGER NOT NULL DEFAULT 0 CHECK (auxiliary IN (0, 1)),
    headline         TEXT NOT NULL DEFAULT '',
    headline_rank    INTEGER NOT NULL DEFAULT 0,
    position         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (task, name)
) STRICT, WITHOUT ROWID;

CREATE TABLE task_meanings (
    task           TEXT NOT NULL PRIMARY KEY,
    label          TEXT NOT NULL,
    position       INTEGER NOT NULL DEFAULT 0,
    primary_metric TEXT NOT NULL DEFAULT ''
) STRICT, WITHOUT ROWID;
)sql";

// Version 5: the runs of one night (the shards of a nightly job, and their resumptions) share a
// night id, so a night is reported and compared as one unit; `shard` says which part ("2/3") each
// run measured, the per-shard provenance of the night.
constexpr const char* schema_v5 = R"sql(
ALTER TABLE runs ADD COLUMN night TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN shard TEXT NOT NULL DEFAULT '';
CREATE INDEX runs_night ON runs (label, night);
)sql";

}  // namespace

bool has_schema_objects(Database& db) {
    Statement count(db, "SELECT count(*) FROM sqlite_schema");
    count.step();
    return count.column_int64(0) > 0;
}

const std::vector<Migration>& migrations() {
    static const std::vector<Migration> steps = {
        {1, "runs, models, datasets, results, metrics, trials", schema_v1},
        {2, "metric unit and direction, per-sample rows, metric_provenance view", schema_v2},
        {3, "results a run reused instead of measuring again", schema_v3},
        {4, "metric and task meanings from the task registry", schema_v4},
        {5, "night ids and shards of runs", schema_v5},
    };
    return steps;
}

int current_schema_version() { return migrations().back().version; }

int schema_version(Database& db) {
    int version = db.user_version();
    if (version < 0 || version > current_schema_version()) {
        throw Error(ErrorKind::unsupported, db.path().string() + ": schema version " + std::to_string(version) +
                                                " is newer than this hubbench supports (" +
                                                std::to_string(current_schema_version()) + "); upgrade hubbench");
    }
    return version;
}

void migrate(Database& db, int target) {
    if (schema_version(db) >= target) return;
    if (db.read_only()) {
        throw Error(ErrorKind::io, db.path().string() + ": schema version " + std::to_string(db.user_version()) +
                                       " needs migrating, but the database is open read-only");
    }
    for (const auto& step : migrations()) {
        if (step.version > target) break;
        retry_on_busy([&] {
            Transaction tx(db);
            // Read inside the write lock: another process may have applied this step meanwhile.
            int version = schema_version(db);
            if (version >= step.version) return;
            if (version == 0 && has_schema_objects(db)) {
                // Tables but no schema version: another application's file. Adding ours would
                // mix two applications' data.
                throw Error(ErrorKind::invalid_input, db.path().string() +
                                                          ": a SQLite database, but not a hubbench results database "
                                                          "(it has tables and no schema version)");
            }
            log::debug("{}: migrating to schema version {} ({})", db.path().string(), step.version, step.description);
            db.execute(step.sql);
            db.set_user_version(step.version);
            tx.commit();
        });
    }
}

}  // namespace hubbench::results
