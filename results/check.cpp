#include "results/check.hpp"

#include <map>

#include "results/database.hpp"
#include "results/schema.hpp"

namespace hubbench::results {

namespace {

// "table runs" -> its columns ("uuid TEXT notnull=1 default=NULL pk=0", ...), "index x" -> its
// columns: enough to tell whether a file has the tables a schema version must have.
using Shape = std::map<std::string, std::vector<std::string>>;

Shape shape_of(Database& db) {
    Shape shape;
    auto objects = db.prepare(
        "SELECT type, name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' AND type IN ('table', 'index', 'view')");
    while (objects.step()) {
        auto type = objects.column_text(0), name = objects.column_text(1);
        auto& columns = shape[type + " " + name];
        auto info = db.prepare(type == "index"
                                   ? "SELECT quote(seqno) || ' ' || quote(name) FROM pragma_index_info(?)"
                                   : "SELECT quote(name) || ' ' || quote(type) || ' notnull=' || \"notnull\" || "
                                     "' default=' || quote(dflt_value) || ' pk=' || pk FROM pragma_table_xinfo(?)");
        info.bind_all(name);
        while (info.step()) columns.push_back(info.column_text(0));
    }
    return shape;
}

std::vector<std::string> compare_shapes(const Shape& expected, const Shape& actual) {
    std::vector<std::string> problems;
    for (const auto& [name, columns] : expected) {
        auto it = actual.find(name);
        if (it == actual.end()) {
            problems.push_back("missing " + name);
        } else if (it->second != columns) {
            problems.push_back(name + " has columns that differ from the schema");
        }
    }
    for (const auto& [name, columns] : actual) {
        if (!expected.count(name)) problems.push_back("unexpected " + name);
    }
    return problems;
}

std::int64_t count(Database& db, const char* sql) {
    auto s = db.prepare(sql);
    s.step();
    return s.column_int64(0);
}

}  // namespace

bool CheckReport::ok() const {
    return integrity == std::vector<std::string>{"ok"} && schema_problems.empty() && foreign_key_problems.empty() &&
           schema_version >= 1 && schema_version <= current_version;
}

CheckReport check_database(const fs::path& path) {
    CheckReport report;
    report.path = path;
    report.current_version = current_schema_version();
    Database db(path, {OpenMode::read_only});  // throws for a missing or non-SQLite file
    try {
        auto check = db.prepare("PRAGMA integrity_check");
        while (check.step()) report.integrity.push_back(check.column_text(0));
    } catch (const Error& e) {
        // Damage bad enough that the check itself cannot run is a finding, not a crash.
        report.integrity.push_back(e.what());
        return report;
    }
    try {
        auto mode = db.prepare("PRAGMA journal_mode");
        if (mode.step()) report.journal_mode = mode.column_text(0);
        report.schema_version = db.user_version();
        if (report.schema_version == 0) {
            report.schema_problems.push_back("no schema version: not a hubbench results database");
            return report;
        }
        if (report.schema_version > report.current_version || report.schema_version < 0) {
            report.schema_problems.push_back("schema version " + std::to_string(report.schema_version) +
                                             " is newer than this hubbench supports");
            return report;
        }
        // What the migrations build for this version, in memory, against what the file has.
        Database expected(":memory:");
        migrate(expected, report.schema_version);
        report.schema_problems = compare_shapes(shape_of(expected), shape_of(db));

        auto fk = db.prepare("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check");
        while (fk.step()) {
            report.foreign_key_problems.push_back(fk.column_text(0) + " row " +
                                                  std::to_string(fk.column_optional_int64(1).value_or(-1)) +
                                                  " refers to a missing " + fk.column_text(2) + " row");
        }
        if (report.schema_problems.empty()) {
            report.runs = count(db, "SELECT count(*) FROM runs");
            report.unfinished_runs = count(db, "SELECT count(*) FROM runs WHERE status = 'running'");
            report.results = count(db, "SELECT count(*) FROM results");
            report.metrics = count(db, "SELECT count(*) FROM metrics");
        }
    } catch (const Error& e) {
        report.schema_problems.push_back(e.what());
    }
    return report;
}

}  // namespace hubbench::results
