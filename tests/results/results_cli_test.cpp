// The results commands through the real hubbench binary: history, db check, merge.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>

#include "core/fs.hpp"
#include "results/store.hpp"
#include "tests/results/helpers.hpp"
#include "tests/results/writer/workload.hpp"
#include "tests/support/support.hpp"

using namespace hubbench;
using namespace hubbench::results;

namespace {

// Two runs measuring result 5 (fixtures/model-1) with different perplexities, plus one sts result.
void write_history(const fs::path& path) {
    ResultStore store(path);
    auto first = store.begin_run(RunInfo{});
    test::register_workload(store, first);
    store.record_result(first, test::workload_result("perplexity", 5));
    store.finish_run(first, RunStatus::ok);
    auto second = store.begin_run(RunInfo{});
    auto record = test::workload_result("perplexity", 5);
    record.metrics[1].value = 12.5;
    store.record_result(second, record);
    store.record_result(second, test::workload_result("sts", 6));
    store.finish_run(second, RunStatus::ok);
}

bool one_error_line(const test::ProcessResult& r, const std::string& start) {
    return r.err.rfind("hubbench: error: " + start, 0) == 0 && std::count(r.err.begin(), r.err.end(), '\n') == 1;
}

}  // namespace

TEST_SUITE("integration") {
TEST_CASE("history prints a metric over time as JSON with its provenance") {
    TempDir dir("results");
    auto db = dir.path() / "h.db";
    write_history(db);
    auto r = test::run_hubbench({"history", "--db", db.string(), "--model", "fixtures/model-1", "--task", "perplexity",
                                 "--metric", "perplexity", "--format", "json"});
    REQUIRE(r.exit_code == 0);
    auto list = nlohmann::json::parse(r.out);
    REQUIRE(list.size() == 2);
    CHECK(list[0]["value"] == 11.25);  // 10 + 0.25 * 5
    CHECK(list[1]["value"] == 12.5);
    CHECK(list[0]["stderr"] == 0.05);
    CHECK(list[0]["n"] == 1005);
    CHECK(list[0]["time"] <= list[1]["time"]);
    CHECK(list[1]["model_commit"] == test::workload_model(1).commit_sha);
    CHECK(list[1]["dataset_sha256"] == test::workload_dataset().sha256);
    CHECK(list[1]["hubbench_commit"] == hubbench::git_commit());
    CHECK(list[1]["parameters"] == nlohmann::json{{"stride", 64}, {"window", 129}});
    CHECK(list[1]["higher_is_better"] == false);
}

TEST_CASE("history prints a table with one line per value") {
    TempDir dir("results");
    auto db = dir.path() / "h.db";
    write_history(db);
    auto r = test::run_hubbench({"history", "--db", db.string(), "--metric", "perplexity"});
    REQUIRE(r.exit_code == 0);
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 4);  // header + 3 values
    CHECK(r.out.rfind("time ", 0) == 0);
    CHECK(r.out.find("fixtures/model-1") != std::string::npos);
    CHECK(r.out.find("11.25 ± 0.05") != std::string::npos);
    CHECK(r.out.find("12.5 ± 0.05") != std::string::npos);
    auto none = test::run_hubbench({"history", "--db", db.string(), "--model", "nobody/nothing"});
    CHECK(none.exit_code == 0);
    CHECK(none.out.empty());
}

TEST_CASE("history as csv and markdown carries the json values") {
    TempDir dir("results");
    auto db = dir.path() / "h.db";
    write_history(db);
    auto csv = test::run_hubbench({"history", "--db", db.string(), "--metric", "perplexity", "--format", "csv"});
    REQUIRE(csv.exit_code == 0);
    std::vector<std::string> lines;
    for (std::size_t start = 0, end; (end = csv.out.find("\r\n", start)) != std::string::npos; start = end + 2)
        lines.push_back(csv.out.substr(start, end - start));
    REQUIRE(lines.size() == 4);  // header + 3 values, CRLF
    CHECK(lines[0].rfind("time,run,result,model,model_commit,task,dataset,dataset_sha256,parameters,metric,value,stderr,n,", 0) == 0);
    CHECK(csv.out.find(",11.25,0.05,1005,") != std::string::npos);
    CHECK(csv.out.find(",12.5,0.05,") != std::string::npos);
    CHECK(csv.out.find(R"(,"{""stride"":64,""window"":129}",)") != std::string::npos);  // quoted, quotes doubled
    auto md = test::run_hubbench({"history", "--db", db.string(), "--metric", "perplexity", "--format", "md"});
    REQUIRE(md.exit_code == 0);
    CHECK(md.out.rfind("| time | run | model |", 0) == 0);
    CHECK(std::count(md.out.begin(), md.out.end(), '\n') == 5);  // header, rule, 3 rows
    CHECK(md.out.find("fixtures/model-1") != std::string::npos);
    CHECK(md.out.find("11.25 ± 0.05") != std::string::npos);
    auto bad = test::run_hubbench({"history", "--db", db.string(), "--format", "xml"});
    CHECK(bad.exit_code == 2);
    CHECK(one_error_line(bad, "history: --format must be table, json, csv or md"));
}

TEST_CASE("history on a missing or non-SQLite or corrupt file is one line naming it") {
    TempDir dir("results");
    auto missing = dir.path() / "missing.db";
    auto r = test::run_hubbench({"history", "--db", missing.string()});
    CHECK(r.exit_code == 1);
    CHECK(one_error_line(r, missing.string() + ": no such results database"));
    CHECK_FALSE(fs::exists(missing));

    auto text = dir.path() / "notes.db";
    std::ofstream(text) << "not a database at all";
    r = test::run_hubbench({"history", "--db", text.string()});
    CHECK(r.exit_code == 1);
    CHECK(one_error_line(r, text.string() + ": not a SQLite database"));

    auto broken = dir.path() / "broken.db";
    write_history(broken);
    test::corrupt_second_page(broken);
    r = test::run_hubbench({"history", "--db", broken.string()});
    CHECK(r.exit_code == 1);
    CHECK(one_error_line(r, broken.string() + ": "));

    r = test::run_hubbench({"history", "--db", text.string(), "--format", "xml"});
    CHECK(r.exit_code == 2);
}

TEST_CASE("db check exits 0 on a sound database and 1 with a one-line error otherwise") {
    TempDir dir("results");
    auto db = dir.path() / "h.db";
    write_history(db);
    auto r = test::run_hubbench({"db", "check", "--db", db.string()});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("integrity: ok\n") != std::string::npos);
    CHECK(r.out.find("foreign keys: ok\n") != std::string::npos);
    CHECK(r.out.find("results: 3\n") != std::string::npos);
    CHECK(r.out.find("status: ok\n") != std::string::npos);
    CHECK(r.err.empty());

    {
        Database raw(db);
        raw.execute("PRAGMA foreign_keys = OFF; DELETE FROM runs WHERE id = 1");
    }
    r = test::run_hubbench({"db", "check", "--db", db.string()});
    CHECK(r.exit_code == 1);
    CHECK(r.out.find("foreign keys: 5 problems") != std::string::npos);  // run 1 had a result and 4 trials
    CHECK(one_error_line(r, db.string() + ": database check failed"));

    auto broken = dir.path() / "broken.db";
    write_history(broken);
    test::corrupt_second_page(broken);
    r = test::run_hubbench({"db", "check", "--db", broken.string()});
    CHECK(r.exit_code == 1);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);

    auto text = dir.path() / "notes.db";
    std::ofstream(text) << "hello";
    r = test::run_hubbench({"db", "check", "--db", text.string()});
    CHECK(r.exit_code == 1);
    CHECK(one_error_line(r, text.string() + ": not a SQLite database"));
    CHECK(test::run_hubbench({"db", "vacuum"}).exit_code == 2);
}

TEST_CASE("merge combines shards and a second merge adds nothing") {
    TempDir dir("results");
    auto a = dir.path() / "a.db", b = dir.path() / "b.db", c = dir.path() / "c.db";
    write_history(a);
    {
        ResultStore store(b);
        auto run = store.begin_run(RunInfo{});
        test::register_workload(store, run);
        store.record_result(run, test::workload_result("pppl", 1));
    }
    auto r = test::run_hubbench({"merge", a.string(), b.string(), "--into", c.string()});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out == "merged 2 databases into " + c.string() +
                       ": added 3 runs, 4 models, 1 datasets, 4 results, 8 metrics, 0 samples, 8 trials\n");
    r = test::run_hubbench({"merge", a.string(), b.string(), "--into", c.string()});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find(": added 0 runs, 0 models, 0 datasets, 0 results, 0 metrics, 0 samples, 0 trials\n") !=
          std::string::npos);
    CHECK(test::count_rows(c, "SELECT count(*) FROM results") == 4);
}

TEST_CASE("merge with a missing or corrupt input writes nothing and says which file") {
    TempDir dir("results");
    auto a = dir.path() / "a.db", missing = dir.path() / "missing.db", c = dir.path() / "c.db";
    auto text = dir.path() / "text.db";
    write_history(a);
    std::ofstream(text) << "garbage";
    auto r = test::run_hubbench({"merge", a.string(), missing.string(), "--into", c.string()});
    CHECK(r.exit_code == 1);
    CHECK(one_error_line(r, missing.string() + ": no such results database"));
    CHECK_FALSE(fs::exists(c));
    r = test::run_hubbench({"merge", a.string(), text.string(), "--into", c.string()});
    CHECK(r.exit_code == 1);
    CHECK(one_error_line(r, text.string() + ": not a SQLite database"));
    CHECK_FALSE(fs::exists(c));
    CHECK(test::run_hubbench({"merge", a.string()}).exit_code == 2);
    CHECK(test::run_hubbench({"merge", "--into", c.string()}).exit_code == 2);
}

TEST_CASE("the results commands have help") {
    for (const char* command : {"history", "merge", "db"}) {
        auto r = test::run_hubbench({command, "--help"});
        CHECK_MESSAGE(r.exit_code == 0, command);
        CHECK(r.out.find(std::string("usage: hubbench ") + command) == 0);
    }
}
}
