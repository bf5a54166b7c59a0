#include <doctest/doctest.h>

#include <fstream>

#include "core/fs.hpp"
#include "results/check.hpp"
#include "results/schema.hpp"
#include "results/store.hpp"
#include "tests/results/helpers.hpp"
#include "tests/results/writer/workload.hpp"
#include "tests/support/support.hpp"

using namespace hubbench;
using namespace hubbench::results;

namespace {

void write_some(const fs::path& path, long count) {
    ResultStore store(path);
    auto run = store.begin_run(RunInfo{});
    test::register_workload(store, run);
    for (long i = 0; i < count; ++i) store.record_result(run, test::workload_result("perplexity", i));
}

}  // namespace

TEST_SUITE("integration") {
TEST_CASE("a database written by the store passes the check") {
    TempDir dir("results");
    auto path = dir.path() / "h.db";
    write_some(path, 12);
    auto report = check_database(path);
    CHECK(report.ok());
    CHECK(report.integrity == std::vector<std::string>{"ok"});
    CHECK(report.schema_version == current_schema_version());
    CHECK(report.schema_problems.empty());
    CHECK(report.foreign_key_problems.empty());
    CHECK(report.journal_mode == "wal");
    CHECK(report.runs == 1);
    CHECK(report.unfinished_runs == 1);
    CHECK(report.results == 12);
    CHECK(report.metrics == 24);
}

TEST_CASE("an older schema passes the check and is not migrated by it") {
    TempDir dir("results");
    auto path = dir.path() / "v1.db";
    {
        Database db(path);
        db.execute(read_file(test::source_dir() / "tests/results/fixtures/schema_v1.sql"));
    }
    auto report = check_database(path);
    CHECK(report.ok());
    CHECK(report.schema_version == 1);
    CHECK(report.results == 5);
    CHECK(test::count_rows(path, "PRAGMA user_version") == 1);
}

TEST_CASE("a dangling reference fails the foreign key check") {
    TempDir dir("results");
    auto path = dir.path() / "h.db";
    write_some(path, 2);
    {
        Database db(path);
        db.execute("PRAGMA foreign_keys = OFF");
        db.execute("INSERT INTO metrics (result_id, name, value, n) VALUES (4242, 'orphan', 1.0, 1)");
    }
    auto report = check_database(path);
    CHECK_FALSE(report.ok());
    REQUIRE(report.foreign_key_problems.size() == 1);
    CHECK(report.foreign_key_problems[0].find("metrics row") == 0);
    CHECK(report.foreign_key_problems[0].find("missing results row") != std::string::npos);
}

TEST_CASE("a schema that differs from its version fails the schema check") {
    TempDir dir("results");
    auto path = dir.path() / "h.db";
    write_some(path, 1);
    {
        Database db(path);
        db.execute("DROP INDEX results_key; CREATE TABLE extra (x INTEGER)");
    }
    auto report = check_database(path);
    CHECK_FALSE(report.ok());
    CHECK(report.schema_problems == std::vector<std::string>{"missing index results_key", "unexpected table extra"});
}

TEST_CASE("a damaged file is reported as not ok rather than crashing") {
    TempDir dir("results");
    auto path = dir.path() / "h.db";
    write_some(path, 40);
    test::corrupt_second_page(path);
    auto report = check_database(path);
    CHECK_FALSE(report.ok());
    CHECK(report.integrity != std::vector<std::string>{"ok"});
    CHECK_FALSE(report.integrity.empty());
}

TEST_CASE("an empty file or another application's database is not ok") {
    TempDir dir("results");
    auto empty = dir.path() / "empty.db";
    std::ofstream(empty).close();
    auto report = check_database(empty);
    CHECK_FALSE(report.ok());
    CHECK(report.schema_problems[0].find("not a hubbench results database") != std::string::npos);
    auto text = dir.path() / "text.db";
    std::ofstream(text) << "hello";
    CHECK(test::error_of([&] { check_database(text); }).rfind(text.string() + ": not a SQLite database", 0) == 0);
    CHECK(test::error_of([&] { check_database(dir.path() / "none.db"); }).find("no such results database") !=
          std::string::npos);
}
}
