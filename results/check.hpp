// `hubbench db check`: is this file a sound hubbench results database? SQLite's own integrity and
// foreign-key checks, plus a comparison of its tables, columns, indexes and views with what the
// migrations produce for its schema version.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace hubbench::results {

namespace fs = std::filesystem;

struct CheckReport {
    fs::path path;
    std::vector<std::string> integrity;             // {"ok"}, or what PRAGMA integrity_check found
    int schema_version = 0;                         // PRAGMA user_version
    int current_version = 0;                        // what this hubbench writes
    std::vector<std::string> schema_problems;       // differences from the schema of that version
    std::vector<std::string> foreign_key_problems;  // PRAGMA foreign_key_check, one line per row
    std::string journal_mode;                       // "wal" for files hubbench wrote
    std::int64_t runs = 0, unfinished_runs = 0, results = 0, metrics = 0;

    // Integrity ok, schema as expected, no dangling references. Unfinished runs (killed before
    // finish_run) are reported but are not a fault: their committed results are valid.
    bool ok() const;
};

// Opens `path` read-only and writes nothing (an older schema is reported, not migrated). Throws
// Error naming the file when it is missing or not a SQLite database at all.
CheckReport check_database(const fs::path& path);

}  // namespace hubbench::results
