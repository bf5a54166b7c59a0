#include <doctest/doctest.h>

#include "reports/verdict.hpp"

using namespace hubbench;
using namespace hubbench::reports;

namespace {

// One row of the night's comparison, worse or not, auxiliary or not.
ChangeRow row(const std::string& metric, results::Change change, bool speed, bool auxiliary) {
    ChangeRow c;
    c.repo_id = "org/model";
    c.task = speed ? "speed" : "perplexity";
    c.dataset_name = "wikitext-2-raw/wiki.test.raw";
    c.metric = metric;
    c.info.label = metric;
    c.info.speed = speed;
    c.info.auxiliary = auxiliary;
    c.baseline = results::Metric{metric, 1.0, std::nullopt, 1, std::nullopt, std::nullopt};
    c.current = results::Metric{metric, 2.0, std::nullopt, 1, std::nullopt, std::nullopt};
    c.change = change;
    c.relative_delta = 1.0;
    c.tolerance = 0.1;
    return c;
}

}  // namespace

TEST_SUITE("unit") {
TEST_CASE("the verdict judges headline and speed metrics but not auxiliary phase timings") {
    ReportData report;
    report.changes.push_back(row("tokenize_seconds", results::Change::worse, true, true));
    report.changes.push_back(row("score_seconds", results::Change::worse, true, true));
    report.changes.push_back(row("bits_per_byte", results::Change::better, false, false));
    Verdict calm = judge(report);
    CHECK(calm.regressions.empty());
    CHECK(calm.exit_code == exit_no_regression);
    CHECK(verdict_text(report, calm).find("regression  ") == std::string::npos);

    report.changes.push_back(row("decode_tokens_per_second", results::Change::worse, true, false));
    report.changes.push_back(row("perplexity", results::Change::worse, false, false));
    Verdict alarm = judge(report);
    REQUIRE(alarm.regressions.size() == 2);
    CHECK(alarm.regressions[0]->metric == "decode_tokens_per_second");
    CHECK(alarm.regressions[1]->metric == "perplexity");
    CHECK(alarm.exit_code == exit_regression);
}
}
