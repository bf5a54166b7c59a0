// Migrations on real files: from an empty file, and from a real database of every earlier schema
// version (tests/results/fixtures/schema_v<N>.sql, dumped from files the older code wrote).
#include <doctest/doctest.h>

#include "core/fs.hpp"
#include "results/schema.hpp"
#include "results/store.hpp"
#include "tests/results/helpers.hpp"
#include "tests/results/writer/workload.hpp"
#include "tests/support/support.hpp"

using namespace hubbench;
using namespace hubbench::results;

namespace {

fs::path fixture_sql(int version) {
    return test::source_dir() / "tests" / "results" / "fixtures" / ("schema_v" + std::to_string(version) + ".sql");
}

// Loads a fixture dump into a new file, as the older hubbench left it.
void load_fixture(const fs::path& db_path, int version) {
    Database db(db_path);
    db.execute(read_file(fixture_sql(version)));
    REQUIRE(db.user_version() == version);
}

// Every table's and view's columns (name, type, not null, default, primary key) and every index's
// columns: what a migrated file must share with a new one.
std::vector<std::string> schema_shape(const fs::path& db_path) {
    Database db(db_path, {OpenMode::read_only});
    std::vector<std::string> shape;
    auto objects = db.prepare(
        "SELECT type, name, tbl_name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name");
    while (objects.step()) {
        auto type = objects.column_text(0), name = objects.column_text(1);
        shape.push_back(type + " " + name + " on " + objects.column_text(2));
        auto columns = db.prepare(
            type == "index" ? "SELECT quote(seqno) || ' ' || quote(name) FROM pragma_index_info(?)"
                            : "SELECT quote(name) || ' ' || quote(type) || ' ' || quote(\"notnull\") || ' ' || "
                              "quote(dflt_value) || ' ' || quote(pk) FROM pragma_table_xinfo(?)");
        columns.bind_all(name);
        while (columns.step()) shape.push_back("  " + columns.column_text(0));
    }
    return shape;
}

// Loads the version-N fixture (5 results; 6 in versions 3 and 4), opens it with a writable store (which
// migrates it) and checks the outcome is a sound database of the current version.
void migrate_fixture(const fs::path& path, int version) {
    load_fixture(path, version);
    CHECK(test::count_rows(path, "SELECT count(*) FROM results") == (version >= 3 ? 6 : 5));
    { ResultStore store(path); }
    Database db(path, {OpenMode::read_only});
    CHECK(db.user_version() == current_schema_version());
    CHECK(test::integrity(path) == "ok");
    CHECK(test::foreign_key_problems(path) == 0);
}

}  // namespace

TEST_SUITE("integration") {
TEST_CASE("the version 1 fixture migrates to the current version with every row intact") {
    TempDir dir("results");
    auto path = dir.path() / "v1.db";
    migrate_fixture(path, 1);
    CHECK(test::count_rows(path, "SELECT count(*) FROM runs") == 3);
    CHECK(test::count_rows(path, "SELECT count(*) FROM results") == 5);
    CHECK(test::count_rows(path, "SELECT count(*) FROM metrics") == 10);
    CHECK(test::count_rows(path, "SELECT count(*) FROM trials") == 12);
    CHECK(test::count_rows(path, "SELECT count(*) FROM metrics WHERE unit IS NOT NULL") == 0);
    CHECK(test::count_rows(path, "SELECT count(*) FROM metric_provenance") == 10);
}

TEST_CASE("a migrated version 1 database reads and writes like a new one") {
    TempDir dir("results");
    auto path = dir.path() / "v1.db";
    load_fixture(path, 1);
    ResultStore store(path);
    auto runs = store.runs();
    REQUIRE(runs.size() == 3);
    CHECK(runs[0].status == RunStatus::running);  // the run killed when the fixture was made
    CHECK(runs[1].info.label == "nightly");
    ResultFilter filter;
    filter.metric = "perplexity";
    auto points = store.history(filter);
    REQUIRE(points.size() == 5);
    CHECK(points[0].metric.value == 10.0);
    CHECK_FALSE(points[0].metric.unit.has_value());
    CHECK_FALSE(points[0].metric.higher_is_better.has_value());
    // The key of a v1 result is found, so a resumed run skips it.
    CHECK(store.find_result(test::workload_result("perplexity", 2).key).has_value());
    auto run = store.begin_run(RunInfo{});
    auto record = test::workload_result("perplexity", 10);
    auto id = store.record_result(run, record);
    auto row = store.result(id);
    REQUIRE(row.has_value());
    CHECK(row->metrics[0].unit == "bits");
    CHECK(row->metrics[1].higher_is_better == false);
    CHECK(store.samples_of_result(id) == record.samples);
}

TEST_CASE("a migrated database has the same tables and columns and indexes as a new one") {
    TempDir dir("results");
    auto fresh = dir.path() / "fresh.db";
    { ResultStore store(fresh); }
    auto expected = schema_shape(fresh);
    CHECK(expected.size() > 50);
    for (int version = 1; version < current_schema_version(); ++version) {
        CAPTURE(version);
        // From the real fixture of that version...
        auto from_fixture = dir.path() / ("fixture_v" + std::to_string(version) + ".db");
        load_fixture(from_fixture, version);
        { ResultStore store(from_fixture); }
        CHECK(schema_shape(from_fixture) == expected);
        // ...and from a file our own steps stopped at that version.
        auto stopped = dir.path() / ("stopped_v" + std::to_string(version) + ".db");
        {
            Database db(stopped);
            migrate(db, version);
            CHECK(db.user_version() == version);
        }
        { ResultStore store(stopped); }
        CHECK(schema_shape(stopped) == expected);
    }
}

TEST_CASE("a read-only store asks for a migration instead of writing") {
    TempDir dir("results");
    auto path = dir.path() / "v1.db";
    load_fixture(path, 1);
    auto message = test::error_of([&] { ResultStore store(path, {OpenMode::read_only}); });
    CHECK(message.find("schema version 1 is older than") != std::string::npos);
    Database db(path, {OpenMode::read_only});
    CHECK(db.user_version() == 1);
}
}

TEST_SUITE("integration") {
TEST_CASE("the version 2 fixture migrates to the current version with its samples intact") {
    TempDir dir("results");
    auto path = dir.path() / "v2.db";
    migrate_fixture(path, 2);
    CHECK(test::count_rows(path, "SELECT count(*) FROM results") == 5);
    CHECK(test::count_rows(path, "SELECT count(*) FROM samples") == 4);
    CHECK(test::count_rows(path, "SELECT count(*) FROM metrics WHERE unit IS NOT NULL") > 0);
    CHECK(test::count_rows(path, "SELECT count(*) FROM reuses") == 0);
}

TEST_CASE("the version 3 fixture migrates with no meanings and stores new ones") {
    TempDir dir("results");
    auto path = dir.path() / "v3.db";
    migrate_fixture(path, 3);
    CHECK(test::count_rows(path, "SELECT count(*) FROM results") == 6);
    ResultStore store(path);
    CHECK(store.metric_meanings().empty());  // nothing described them before v4
    MetricMeaning bpb{"bits/byte", "", false, false, false, false, "bits_per_byte", 2, 10};
    store.describe_task({"perplexity", "Perplexity", 0, "bits_per_byte"}, {{"perplexity", "bits_per_byte", bpb}});
    auto meanings = store.metric_meanings();
    REQUIRE(meanings.size() == 1);
    CHECK(meanings[0].meaning == bpb);
    REQUIRE(store.task_meanings().size() == 1);
    CHECK(store.task_meanings()[0].primary_metric == "bits_per_byte");
}
TEST_CASE("the version 4 fixture migrates with every run outside any night and nights work after it") {
    TempDir dir("results");
    auto path = dir.path() / "v4.db";
    migrate_fixture(path, 4);
    CHECK(test::count_rows(path, "SELECT count(*) FROM runs WHERE night = '' AND shard = ''") == 3);
    ResultStore store(path);
    CHECK(store.nights().empty());
    RunInfo info;
    info.label = "nightly";
    info.night = "nightly-2026-12-03";
    info.shard = "1/2";
    const auto run = store.begin_run(info);
    const auto nights = store.nights();
    REQUIRE(nights.size() == 1);
    CHECK(nights[0].id == "nightly-2026-12-03");
    CHECK(nights[0].label == "nightly");
    REQUIRE(nights[0].runs.size() == 1);
    CHECK(nights[0].runs[0].id == run);
    CHECK(nights[0].runs[0].info.shard == "1/2");
}
}
