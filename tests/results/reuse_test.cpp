// A run that finds a result already stored uses it instead of measuring again (schema v3): the
// run's results include it, the history keeps one measurement, and merging keeps the link.
#include <doctest/doctest.h>

#include "core/fs.hpp"
#include "results/merge.hpp"
#include "results/store.hpp"
#include "tests/results/helpers.hpp"
#include "tests/results/writer/workload.hpp"
#include "tests/support/support.hpp"

using namespace hubbench;
using namespace hubbench::results;

TEST_SUITE("unit") {
TEST_CASE("a reused result appears in the reusing run and once in the history") {
    TempDir dir("results");
    auto path = dir.path() / "h.db";
    ResultStore store(path);
    auto first = store.begin_run(RunInfo{});
    auto record = test::workload_result("perplexity", 1);
    test::register_workload(store, first);
    auto id = store.record_result(first, record);
    store.finish_run(first, RunStatus::ok);

    auto second = store.begin_run(RunInfo{});
    auto found = store.find_result(record.key);
    REQUIRE(found.has_value());
    CHECK(found->id == id);
    store.record_reuse(second, found->id);
    store.record_reuse(second, found->id);  // idempotent
    store.finish_run(second, RunStatus::ok);

    auto rows = store.results_of_run(second);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].id == id);
    CHECK(rows[0].run == first);  // measured by the first run
    CHECK(store.results_of_run(first).size() == 1);
    ResultFilter filter;
    filter.metric = record.metrics[0].name;
    CHECK(store.history(filter).size() == 1);
    // Comparing the two runs pairs the value with itself.
    for (const auto& pair : store.compare_runs(first, second)) {
        REQUIRE(pair.a.has_value());
        REQUIRE(pair.b.has_value());
        CHECK(pair.a->value == pair.b->value);
    }
}

TEST_CASE("merging keeps which run reused which result") {
    TempDir dir("results");
    auto shard = dir.path() / "shard.db", merged = dir.path() / "merged.db";
    auto record = test::workload_result("sts", 3);
    {
        ResultStore store(shard);
        auto first = store.begin_run(RunInfo{});
        test::register_workload(store, first);
        auto id = store.record_result(first, record);
        auto second = store.begin_run(RunInfo{});
        store.record_reuse(second, id);
    }
    merge_databases({shard}, merged);
    merge_databases({shard}, merged);  // idempotent
    CHECK(test::count_rows(merged, "SELECT count(*) FROM reuses") == 1);
    CHECK(test::count_rows(merged, "SELECT count(*) FROM results") == 1);
    ResultStore store(merged);
    auto runs = store.runs();
    REQUIRE(runs.size() == 2);
    CHECK(store.results_of_run(runs[1].id).size() == 1);
}
}
