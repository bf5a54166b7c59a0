// Real processes against real database files: a writer killed with SIGKILL and resumed, and two
// writers sharing one file. The writer is tests/results/writer/writer_main.cpp.
#include <doctest/doctest.h>

#include "core/fs.hpp"
#include "results/store.hpp"
#include "tests/results/helpers.hpp"
#include "tests/results/writer/workload.hpp"

using namespace hubbench;
using namespace hubbench::results;

namespace {

int run_writer(const fs::path& db, const std::string& task, long count, std::vector<std::string> extra = {}) {
    std::vector<std::string> argv{test::writer_binary(), "--db", db.string(), "--task", task, "--count",
                                  std::to_string(count)};
    argv.insert(argv.end(), extra.begin(), extra.end());
    test::Child child(argv);
    while (!child.read_line().empty()) {
    }
    return child.wait();
}

}  // namespace

TEST_SUITE("integration") {
TEST_CASE("a writer killed inside a transaction then resumed leaves the same rows as an uninterrupted one") {
    TempDir dir("results");
    auto reference = dir.path() / "reference.db";
    auto resumed = dir.path() / "resumed.db";
    REQUIRE(run_writer(reference, "perplexity", 120) == 0);

    // Dies after 70 results with result 70's row and one metric written but not committed.
    CHECK(run_writer(resumed, "perplexity", 120, {"--die-mid-result", "70"}) == 128 + SIGKILL);
    CHECK(test::integrity(resumed) == "ok");
    CHECK(test::count_rows(resumed, "SELECT count(*) FROM results") == 70);
    // No half-written result: every ok result has both metrics.
    CHECK(test::count_rows(resumed, R"sql(SELECT count(*) FROM results r WHERE status = 'ok'
                                          AND (SELECT count(*) FROM metrics m WHERE m.result_id = r.id) <> 2)sql") == 0);
    CHECK(test::count_rows(resumed, "SELECT count(*) FROM runs WHERE status = 'running'") == 1);

    REQUIRE(run_writer(resumed, "perplexity", 120) == 0);
    CHECK(test::integrity(resumed) == "ok");
    CHECK(test::foreign_key_problems(resumed) == 0);
    auto expected = test::dump_results(reference);
    REQUIRE(expected.size() == 120);
    CHECK(test::dump_results(resumed) == expected);
    // The resumed run wrote only what the killed one had not.
    ResultStore store(resumed, {OpenMode::read_only});
    auto runs = store.runs();
    REQUIRE(runs.size() == 2);
    CHECK(runs[0].status == RunStatus::running);
    CHECK(runs[1].status == RunStatus::ok);
    CHECK(store.results_of_run(runs[0].id).size() == 70);
    CHECK(store.results_of_run(runs[1].id).size() == 50);
}

TEST_CASE("a writer killed at an arbitrary moment and resumed loses nothing and duplicates nothing") {
    TempDir dir("results");
    auto reference = dir.path() / "reference.db";
    auto resumed = dir.path() / "resumed.db";
    REQUIRE(run_writer(reference, "sts", 300) == 0);
    {
        test::Child child({test::writer_binary(), "--db", resumed.string(), "--task", "sts", "--count", "300"});
        // Kill while it is writing: after result 150 is reported, the writer is already busy with
        // the next ones, so SIGKILL lands at some point of a later transaction.
        while (child.read_line() != "done 150") {
        }
        child.kill_now();
        CHECK(child.wait() == 128 + SIGKILL);
    }
    CHECK(test::integrity(resumed) == "ok");
    auto partial = test::count_rows(resumed, "SELECT count(*) FROM results");
    CHECK(partial >= 151);
    CHECK(partial < 300);
    REQUIRE(run_writer(resumed, "sts", 300) == 0);
    CHECK(test::integrity(resumed) == "ok");
    CHECK(test::dump_results(resumed) == test::dump_results(reference));
}

TEST_CASE("two processes writing 1000 results each into one file lose none") {
    TempDir dir("results");
    auto shared = dir.path() / "shared.db";
    {
        test::Child a({test::writer_binary(), "--db", shared.string(), "--task", "a", "--count", "1000"});
        test::Child b({test::writer_binary(), "--db", shared.string(), "--task", "b", "--count", "1000"});
        std::string last_a, last_b, line;
        while (!(line = a.read_line()).empty()) last_a = line;
        while (!(line = b.read_line()).empty()) last_b = line;
        CHECK(a.wait() == 0);
        CHECK(b.wait() == 0);
        CHECK(last_a == "finished 1000");
        CHECK(last_b == "finished 1000");
    }
    CHECK(test::integrity(shared) == "ok");
    CHECK(test::count_rows(shared, "SELECT count(*) FROM results WHERE task = 'a'") == 1000);
    CHECK(test::count_rows(shared, "SELECT count(*) FROM results WHERE task = 'b'") == 1000);
    // 20 of each 1000 are skipped results without metrics.
    CHECK(test::count_rows(shared, "SELECT count(*) FROM metrics") == 2 * 2 * 980);
    CHECK(test::count_rows(shared, "SELECT count(*) FROM runs WHERE status = 'ok'") == 2);
    CHECK(test::count_rows(shared, "SELECT count(*) FROM models") == test::workload_models);

    // Every result of both shards equals the single-process definition.
    auto single = dir.path() / "single.db";
    REQUIRE(run_writer(single, "a", 1000) == 0);
    REQUIRE(run_writer(single, "b", 1000) == 0);
    CHECK(test::dump_results(shared) == test::dump_results(single));
}
}
