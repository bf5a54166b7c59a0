#include <doctest/doctest.h>

#include <fstream>

#include "core/fs.hpp"
#include "results/merge.hpp"
#include "results/store.hpp"
#include "tests/results/helpers.hpp"
#include "tests/results/writer/workload.hpp"
#include "tests/support/support.hpp"

using namespace hubbench;
using namespace hubbench::results;
using hubbench::test::error_of;

namespace {

// Writes results [first, first + count) of `task` in one run, the way one shard would.
void write_shard(const fs::path& path, const std::string& task, long first, long count) {
    ResultStore store(path, {OpenMode::create, std::chrono::milliseconds(10'000), false});
    auto run = store.begin_run(RunInfo{});
    test::register_workload(store, run);
    for (long i = first; i < first + count; ++i) store.record_result(run, test::workload_result(task, i));
    store.finish_run(run, RunStatus::ok);
}

std::int64_t rows(const fs::path& path) {
    return test::count_rows(path, R"sql(SELECT (SELECT count(*) FROM runs) + (SELECT count(*) FROM models) +
        (SELECT count(*) FROM datasets) + (SELECT count(*) FROM results) + (SELECT count(*) FROM metrics) +
        (SELECT count(*) FROM samples) + (SELECT count(*) FROM trials))sql");
}

}  // namespace

TEST_SUITE("integration") {
TEST_CASE("shards A and B merged equal one process that wrote everything and merging again adds nothing") {
    TempDir dir("results");
    auto a = dir.path() / "a.db", b = dir.path() / "b.db", merged = dir.path() / "merged.db";
    auto single = dir.path() / "single.db";
    write_shard(a, "perplexity", 0, 60);
    write_shard(b, "perplexity", 60, 60);
    write_shard(single, "perplexity", 0, 120);

    auto stats = merge_databases({a, b}, merged);
    CHECK(stats.runs == 2);
    CHECK(stats.models == test::workload_models);
    CHECK(stats.datasets == 1);
    CHECK(stats.results == 120);
    CHECK(stats.trials == 2 * test::workload_models);
    CHECK(test::dump_results(merged) == test::dump_results(single));
    CHECK(test::integrity(merged) == "ok");
    CHECK(test::foreign_key_problems(merged) == 0);

    auto before = rows(merged);
    auto again = merge_databases({a, b}, merged);
    CHECK(again.added() == 0);
    CHECK(again.replaced == 0);
    CHECK(merge_databases({b}, merged).added() == 0);
    CHECK(rows(merged) == before);
    CHECK(test::dump_results(merged) == test::dump_results(single));

    // Merging the merged file into another is idempotent too, and the order does not matter.
    auto other = dir.path() / "other.db";
    merge_databases({b, a}, other);
    merge_databases({merged}, other);
    CHECK(rows(other) == before);
    CHECK(test::dump_results(other) == test::dump_results(single));
}

TEST_CASE("a run merged while running takes its final status on the next merge") {
    TempDir dir("results");
    auto shard = dir.path() / "shard.db", merged = dir.path() / "merged.db";
    ResultStore store(shard);
    auto run = store.begin_run(RunInfo{});
    test::register_workload(store, run);
    store.record_result(run, test::workload_result("sts", 0));
    merge_databases({shard}, merged);
    store.record_result(run, test::workload_result("sts", 1));
    store.finish_run(run, RunStatus::ok);
    auto stats = merge_databases({shard}, merged);
    CHECK(stats.runs == 0);
    CHECK(stats.runs_updated == 1);
    CHECK(stats.results == 1);
    ResultStore target(merged, {OpenMode::read_only});
    REQUIRE(target.runs().size() == 1);
    CHECK(target.runs()[0].status == RunStatus::ok);
    CHECK(target.runs()[0].uuid == store.runs()[0].uuid);
    CHECK(test::dump_results(merged) == test::dump_results(shard));
}

TEST_CASE("merging into a database with its own results keeps both") {
    TempDir dir("results");
    auto a = dir.path() / "a.db", target = dir.path() / "target.db";
    write_shard(a, "perplexity", 0, 10);
    write_shard(target, "sts", 0, 10);
    merge_databases({a}, target);
    CHECK(test::count_rows(target, "SELECT count(*) FROM results") == 20);
    CHECK(test::count_rows(target, "SELECT count(*) FROM models") == test::workload_models);
}

TEST_CASE("a source with an older schema is merged from a migrated copy and left untouched") {
    TempDir dir("results");
    auto old = dir.path() / "v1.db", merged = dir.path() / "merged.db";
    {
        Database db(old);
        db.execute(read_file(test::source_dir() / "tests/results/fixtures/schema_v1.sql"));
    }
    auto bytes = read_file(old);
    auto stats = merge_databases({old}, merged);
    CHECK(stats.results == 5);
    CHECK(stats.metrics == 10);
    CHECK(read_file(old) == bytes);
    CHECK(test::count_rows(old, "PRAGMA user_version") == 1);
    CHECK(test::dump_results(merged).size() == 5);
}

TEST_CASE("a missing or corrupt input is an error naming it and nothing is written") {
    TempDir dir("results");
    auto good = dir.path() / "good.db", missing = dir.path() / "missing.db";
    auto text = dir.path() / "text.db", broken = dir.path() / "broken.db";
    auto existing = dir.path() / "existing.db", fresh = dir.path() / "fresh.db";
    write_shard(good, "perplexity", 0, 5);
    write_shard(broken, "perplexity", 5, 40);
    test::corrupt_second_page(broken);
    std::ofstream(text) << "not a database";
    write_shard(existing, "sts", 0, 5);
    auto existing_bytes = read_file(existing);

    for (const auto& bad : {missing, text, broken}) {
        CAPTURE(bad);
        auto message = error_of([&] { merge_databases({good, bad}, existing); });
        CHECK(message.rfind(bad.string() + ": ", 0) == 0);
        CHECK(message.find('\n') == std::string::npos);
        CHECK(read_file(existing) == existing_bytes);
        CHECK_FALSE(error_of([&] { merge_databases({good, bad}, fresh); }).empty());
        CHECK_FALSE(fs::exists(fresh));
    }
    CHECK(error_of([&] { merge_databases({text}, fresh); }).find("not a SQLite database") != std::string::npos);
    CHECK(error_of([&] { merge_databases({missing}, fresh); }).find("no such results database") != std::string::npos);
    CHECK(error_of([&] { merge_databases({broken}, fresh); }).find("corrupt") != std::string::npos);
    // Nothing but the files the test made.
    std::size_t files = 0;
    for (const auto& entry : fs::directory_iterator(dir.path())) {
        (void)entry;
        ++files;
    }
    CHECK(files == 4);
}

TEST_CASE("the target cannot also be an input") {
    TempDir dir("results");
    auto a = dir.path() / "a.db";
    write_shard(a, "perplexity", 0, 3);
    CHECK(error_of([&] { merge_databases({a}, dir.path() / "." / "a.db"); }).find("is also the merge target") !=
          std::string::npos);
    CHECK_THROWS_AS(merge_databases({}, dir.path() / "b.db"), Error);
}
}
