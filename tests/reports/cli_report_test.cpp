// `hubbench report` as a user runs it: the real binary on a real database file.
#include <doctest/doctest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/fs.hpp"
#include "tests/reports/fixture.hpp"
#include "tests/support/support.hpp"

using namespace hubbench;
using hubbench::test::ReportFixture;
using hubbench::test::run_hubbench;

namespace {

std::size_t line_count(const std::string& text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

}  // namespace

TEST_SUITE("integration") {
TEST_CASE("hubbench report prints markdown for the latest run by default") {
    ReportFixture f;
    auto r = run_hubbench({"report", "--db", f.path.string()});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.out.rfind("# hubbench report: run 3 (nightly)\n", 0) == 0);
    CHECK(r.out.find("## Regressions since run 1 (nightly)") != std::string::npos);
    CHECK(r.out.find("| **fixtures/tiny-gpt2** `1111111` | decoder | 124.4M | 1.600 ± 0.010 |") != std::string::npos);
}

TEST_CASE("hubbench report selects runs baselines labels and formats") {
    ReportFixture f;
    const std::string db = f.path.string();
    auto json = run_hubbench({"report", "--db", db, "--run", "1", "--format", "json"});
    REQUIRE_MESSAGE(json.exit_code == 0, json.err);
    auto j = nlohmann::json::parse(json.out);
    CHECK(j.at("run").at("id") == 1);
    CHECK(j.at("baseline").is_null());

    json = run_hubbench({"report", "--db", db, "--baseline", "2", "--format", "json"});
    REQUIRE_MESSAGE(json.exit_code == 0, json.err);
    CHECK(nlohmann::json::parse(json.out).at("baseline").at("id") == 2);

    json = run_hubbench({"report", "--db", db, "--label", "adhoc", "--baseline", "none", "--format", "json"});
    REQUIRE_MESSAGE(json.exit_code == 0, json.err);
    j = nlohmann::json::parse(json.out);
    CHECK(j.at("run").at("id") == 2);
    CHECK(j.at("baseline").is_null());

    // A run can be named by its uuid too.
    const std::string uuid = nlohmann::json::parse(run_hubbench({"report", "--db", db, "--format", "json"}).out).at("run").at("uuid");
    json = run_hubbench({"report", "--db", db, "--run", uuid, "--format", "json"});
    REQUIRE_MESSAGE(json.exit_code == 0, json.err);
    CHECK(nlohmann::json::parse(json.out).at("run").at("id") == 3);

    // --threshold moves the line between "same" and "worse": at 8% the 6.7% rise of bits per byte
    // is within it, the 10% rise of token PPL is not.
    json = run_hubbench({"report", "--db", db, "--threshold", "8", "--format", "json"});
    REQUIRE_MESSAGE(json.exit_code == 0, json.err);
    CHECK(nlohmann::json::parse(json.out).at("counts").at("worse") == 1);

    auto csv = run_hubbench({"report", "--db", db, "--format", "csv"});
    REQUIRE_MESSAGE(csv.exit_code == 0, csv.err);
    CHECK(csv.out.rfind("run_id,run_uuid,run_label,repo_id,", 0) == 0);
    CHECK(line_count(csv.out) == 33);  // header + 30 metric rows + 1 failed + 1 not applicable result
}

TEST_CASE("hubbench report writes a file atomically and takes the format from its name") {
    ReportFixture f;
    const fs::path out = f.dir.path() / "out" / "report.html";
    fs::create_directories(out.parent_path());
    auto r = run_hubbench({"report", "--db", f.path.string(), "--output", out.string(), "-q"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.out.empty());
    REQUIRE(fs::exists(out));
    auto html = read_file(out);
    CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(html.find("document.body.dataset.ready") != std::string::npos);
    // Only the report is left in the folder: no temp file.
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(out.parent_path())) ++files;
    CHECK(files == 1);
    // --format wins over the extension.
    r = run_hubbench({"report", "--db", f.path.string(), "--output", out.string(), "--format", "md", "-q"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(read_file(out).rfind("# hubbench report", 0) == 0);
}

TEST_CASE("hubbench report fails with one line for a missing or empty database or an unknown run") {
    TempDir dir("reports-cli");
    const fs::path missing = dir.path() / "nothing.db";
    auto r = run_hubbench({"report", "--db", missing.string()});
    CHECK(r.exit_code == 1);
    CHECK(r.err == "hubbench: error: " + missing.string() + ": no such results database (run `hubbench run` first, or pass --db PATH)\n");
    CHECK(r.out.empty());
    CHECK_FALSE(fs::exists(missing));  // never created

    const fs::path empty = dir.path() / "empty.db";
    { results::ResultStore create(empty); }
    r = run_hubbench({"report", "--db", empty.string()});
    CHECK(r.exit_code == 1);
    CHECK(r.err == "hubbench: error: no runs in " + empty.string() + ": run `hubbench run` first\n");

    ReportFixture f;
    r = run_hubbench({"report", "--db", f.path.string(), "--run", "42"});
    CHECK(r.exit_code == 1);
    CHECK(r.err == "hubbench: error: no run 42 in " + f.path.string() + " (runs: 1, 2, 3)\n");

    r = run_hubbench({"report", "--db", f.path.string(), "--format", "pdf"});
    CHECK(r.exit_code == 2);
    CHECK(r.err == "hubbench: error: report: --format 'pdf' is not one of md, csv, json, html\n");

    r = run_hubbench({"report", "--db", f.path.string(), "--baseline", "latest"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("--baseline 'latest' is not a run id") != std::string::npos);
}

TEST_CASE("hubbench report --help lists its options") {
    auto r = run_hubbench({"report", "--help"});
    CHECK(r.exit_code == 0);
    for (const char* option : {"--db", "--run", "--baseline", "--label", "--format", "--output", "--threshold", "--speed-threshold"}) {
        CHECK_MESSAGE(r.out.find(option) != std::string::npos, option);
    }
}
}
