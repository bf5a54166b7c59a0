// The results schema as numbered forward migrations. `PRAGMA user_version` holds the number of the
// last step applied; a new database runs every step from 1, an older one only the missing steps, so
// both end with the same tables. Steps are never edited once released: a change is a new step
// (tests/results/fixtures/schema_v<N>.sql keeps a real database of each older version).
#pragma once
#include <vector>

#include "results/database.hpp"

namespace hubbench::results {

// Inserts a model (repo_id, commit_sha, architecture, model_type, parameters, dtype, kind, licence,
// size_bytes) or fills in the fields a known one lacks; what is known is never overwritten, so a
// later, less informed writer (or a merged shard) cannot erase it. Used by the store and by merge.
inline constexpr const char* upsert_model_sql = R"sql(
    INSERT INTO models (repo_id, commit_sha, architecture, model_type, parameters, dtype, kind, licence, size_bytes)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (repo_id, commit_sha) DO UPDATE SET
        architecture = coalesce(architecture, excluded.architecture),
        model_type = coalesce(model_type, excluded.model_type),
        parameters = coalesce(parameters, excluded.parameters),
        dtype = coalesce(dtype, excluded.dtype),
        kind = coalesce(kind, excluded.kind),
        licence = coalesce(licence, excluded.licence),
        size_bytes = coalesce(size_bytes, excluded.size_bytes))sql";

// Inserts or replaces what a metric means (task, name, label, unit, higher_is_better, pseudo, speed,
// auxiliary, headline, headline_rank, position): the newest description wins. Store and merge.
inline constexpr const char* upsert_metric_meaning_sql = R"sql(
    INSERT INTO metric_meanings (task, name, label, unit, higher_is_better, pseudo, speed, auxiliary, headline,
                                 headline_rank, position)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (task, name) DO UPDATE SET
        label = excluded.label, unit = excluded.unit, higher_is_better = excluded.higher_is_better,
        pseudo = excluded.pseudo, speed = excluded.speed, auxiliary = excluded.auxiliary,
        headline = excluded.headline, headline_rank = excluded.headline_rank, position = excluded.position)sql";

struct Migration {
    int version;              // user_version after this step
    const char* description;  // one line, for logs and `hubbench db check`
    const char* sql;          // DDL only
};

const std::vector<Migration>& migrations();
int current_schema_version();

// Applies the missing steps up to `target`, each in its own IMMEDIATE transaction that also sets
// user_version, so a crash between steps leaves a valid numbered state and two processes opening
// the same new file do not both apply a step. Throws Error(unsupported) when the file was written
// by a newer hubbench (its version is above the newest step we know).
void migrate(Database& db, int target = current_schema_version());

// True when the database holds any table, index or view. At user_version 0 that means the file
// was written by another application.
bool has_schema_objects(Database& db);

// The schema version of `db`, checked to be one we know (0 = empty database).
int schema_version(Database& db);

}  // namespace hubbench::results
