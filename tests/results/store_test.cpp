#include <doctest/doctest.h>

#include "core/fs.hpp"
#include "results/provenance.hpp"
#include "results/schema.hpp"
#include "results/store.hpp"
#include "tests/results/helpers.hpp"
#include "tests/results/writer/workload.hpp"

using namespace hubbench;
using namespace hubbench::results;
using hubbench::test::error_of;

namespace {

RunInfo test_run_info(const std::string& label = "suite-a") {
    return current_run_info({"hubbench", "run", "suite.yaml"}, "OpenBLAS 0.3.21", 2, label);
}

struct Fixture {
    TempDir dir{"results"};
    fs::path path = dir.path() / "hubbench.db";
    ResultStore store{path};
    RunId run = store.begin_run(test_run_info());
    Fixture() { test::register_workload(store, run); }
};


}  // namespace

TEST_SUITE("unit") {
TEST_CASE("a new run records its provenance") {
    Fixture f;
    auto run = f.store.run(f.run);
    REQUIRE(run.has_value());
    CHECK(run->status == RunStatus::running);
    CHECK(run->uuid.size() == 36);
    CHECK(run->info.label == "suite-a");
    CHECK(run->info.hubbench_version == hubbench::version());
    CHECK(run->info.hubbench_commit == hubbench::git_commit());
    CHECK(run->info.blas == "OpenBLAS 0.3.21");
    CHECK(run->info.threads == 2);
    CHECK(run->info.command_line == std::vector<std::string>{"hubbench", "run", "suite.yaml"});
    CHECK(run->info.host.cpu_cores > 0);
    CHECK(run->info.host.memory_bytes > 0);
    CHECK(run->info.host.os.rfind("Linux ", 0) == 0);
    CHECK_FALSE(run->info.host.cpu_model.empty());
    CHECK(run->started_at.size() == 24);
    CHECK_FALSE(run->finished_at.has_value());
    f.store.finish_run(f.run, RunStatus::ok);
    run = f.store.run(f.run);
    CHECK(run->status == RunStatus::ok);
    CHECK(run->finished_at.has_value());
    CHECK(*run->finished_at >= run->started_at);
}

TEST_CASE("a run asking for all cores (threads 0) records the core count") {
    const auto all = current_run_info({"hubbench"}, "OpenBLAS", 0, "x");
    CHECK(all.host.cpu_cores > 0);
    CHECK(all.threads == all.host.cpu_cores);
    CHECK(current_run_info({"hubbench"}, "OpenBLAS", 3, "x").threads == 3);
}

TEST_CASE("a recorded result is found by its key and comes back whole") {
    Fixture f;
    auto record = test::workload_result("perplexity", 3);
    CHECK_FALSE(f.store.find_result(record.key).has_value());
    auto id = f.store.record_result(f.run, record);
    auto found = f.store.find_result(record.key);
    REQUIRE(found.has_value());
    CHECK(found->id == id);
    CHECK(found->run == f.run);
    CHECK(found->key == record.key);
    CHECK(found->status == ResultStatus::ok);
    CHECK(found->seconds == record.seconds);
    CHECK(found->dataset_name == "wikitext-2-raw/test");
    REQUIRE(found->metrics.size() == 2);
    // Sorted by name.
    CHECK(found->metrics[0].name == "bits_per_byte");
    CHECK(found->metrics[0].value == 0.25);
    CHECK_FALSE(found->metrics[0].std_error.has_value());
    CHECK(found->metrics[1].name == "perplexity");
    CHECK(found->metrics[1].value == 10.75);
    CHECK(found->metrics[1].std_error == 0.03);
    CHECK(found->metrics[1].n == 1003);
}

TEST_CASE("the key matches parameters however they are spelled and nothing else") {
    Fixture f;
    auto record = test::workload_result("perplexity", 0);
    record.key.parameters = R"({ "window": 128.0, "stride": 64 })";
    f.store.record_result(f.run, record);
    auto key = record.key;
    key.parameters = R"({"stride":64,"window":128})";
    CHECK(f.store.find_result(key).has_value());
    auto other = key;
    other.parameters = R"({"stride":64,"window":129})";
    CHECK_FALSE(f.store.find_result(other).has_value());
    other = key;
    other.hubbench_version = "0.0.1";
    CHECK_FALSE(f.store.find_result(other).has_value());
    other = key;
    other.model.commit_sha = test::workload_model(1).commit_sha;
    CHECK_FALSE(f.store.find_result(other).has_value());
    other = key;
    other.task = "pppl";
    CHECK_FALSE(f.store.find_result(other).has_value());
}

TEST_CASE("failed results are retried and skipped results count as done") {
    Fixture f;
    auto record = test::workload_result("perplexity", 1);
    record.status = ResultStatus::failed;
    record.error = "out of memory";
    record.metrics.clear();
    f.store.record_result(f.run, record);
    CHECK_FALSE(f.store.find_result(record.key).has_value());
    record.status = ResultStatus::skipped;
    record.error = "model has no masked LM head";
    f.store.record_result(f.run, record);
    auto found = f.store.find_result(record.key);
    REQUIRE(found.has_value());
    CHECK(found->status == ResultStatus::skipped);
    CHECK(found->error == "model has no masked LM head");
}

TEST_CASE("recording a key twice in one run replaces it and a later run adds a row") {
    Fixture f;
    auto record = test::workload_result("perplexity", 2);
    f.store.record_result(f.run, record);
    record.metrics[1].value = 99.0;
    f.store.record_result(f.run, record);
    CHECK(test::count_rows(f.path, "SELECT count(*) FROM results") == 1);
    CHECK(test::count_rows(f.path, "SELECT count(*) FROM metrics") == 2);
    CHECK(f.store.find_result(record.key)->metrics[1].value == 99.0);

    auto second = f.store.begin_run(test_run_info());
    record.metrics[1].value = 98.0;
    auto id = f.store.record_result(second, record);
    CHECK(test::count_rows(f.path, "SELECT count(*) FROM results") == 2);
    CHECK(f.store.find_result(record.key)->id == id);
}

TEST_CASE("invalid results are refused before anything is written") {
    Fixture f;
    auto base = test::workload_result("perplexity", 4);
    auto nan = base;
    nan.metrics[0].value = std::nan("");
    CHECK(error_of([&] { f.store.record_result(f.run, nan); }).find("bits_per_byte is NaN") != std::string::npos);
    auto twice = base;
    twice.metrics.push_back(twice.metrics[0]);
    CHECK(error_of([&] { f.store.record_result(f.run, twice); }).find("given twice") != std::string::npos);
    auto silent = base;
    silent.status = ResultStatus::failed;
    CHECK(error_of([&] { f.store.record_result(f.run, silent); }).find("needs an error message") != std::string::npos);
    auto bad_json = base;
    bad_json.key.parameters = "{window}";
    CHECK_THROWS_AS(f.store.record_result(f.run, bad_json), Error);
    auto unknown_model = base;
    unknown_model.key.model.repo_id = "nobody/nothing";
    CHECK(error_of([&] { f.store.record_result(f.run, unknown_model); }).find("model not registered") != std::string::npos);
    auto unknown_dataset = base;
    unknown_dataset.key.dataset_sha256 = std::string(64, 'e');
    CHECK(error_of([&] { f.store.record_result(f.run, unknown_dataset); }).find("not registered") != std::string::npos);
    auto other_version = base;
    other_version.key.hubbench_version = "0.0.1";
    CHECK_THROWS_AS(f.store.record_result(f.run, other_version), Error);
    CHECK_THROWS_AS(f.store.record_result(RunId{999}, base), Error);
    CHECK(test::count_rows(f.path, "SELECT count(*) FROM results") == 0);
    CHECK(test::count_rows(f.path, "SELECT count(*) FROM metrics") == 0);
}

TEST_CASE("datasets are identified by content and a size that disagrees is refused") {
    Fixture f;
    auto d = test::workload_dataset();
    d.name = "wikitext-2-raw/test (copy)";
    d.path = "/elsewhere/wiki.test.raw";
    f.store.upsert_dataset(d);
    auto stored = f.store.dataset(d.sha256);
    REQUIRE(stored.has_value());
    CHECK(stored->name == "wikitext-2-raw/test");  // the first name seen is kept
    d.bytes += 1;
    CHECK_THROWS_AS(f.store.upsert_dataset(d), Error);
    d.sha256 = "ABC";
    CHECK(error_of([&] { f.store.upsert_dataset(d); }).find("64 lowercase hex") != std::string::npos);
}

TEST_CASE("model fields are filled in later but never erased") {
    Fixture f;
    ModelRecord sparse;
    sparse.repo_id = "org/new-model";
    sparse.commit_sha = std::string(40, 'a');
    f.store.upsert_model(sparse);
    CHECK_FALSE(f.store.model({"org/new-model", std::string(40, 'a')})->parameters.has_value());
    auto full = sparse;
    full.parameters = 1234;
    full.kind = ModelKind::encoder;
    f.store.upsert_model(full);
    f.store.upsert_model(sparse);
    auto m = f.store.model({"org/new-model", std::string(40, 'a')});
    CHECK(m->parameters == 1234);
    CHECK(m->kind == ModelKind::encoder);
    CHECK(test::count_rows(f.path, "SELECT count(*) FROM models WHERE repo_id = 'org/new-model'") == 1);
}

TEST_CASE("trials record why a candidate was skipped and a repeat replaces the outcome") {
    Fixture f;
    f.store.record_trial(f.run, {"org/huge", std::nullopt, "pull", TrialOutcome::skipped, "larger than --max-size",
                                 R"({"bytes": 1e12})"});
    f.store.record_trial(f.run, {"org/huge", std::nullopt, "pull", TrialOutcome::failed, "HTTP 404", "{}"});
    auto trials = f.store.trials_of_run(f.run);
    REQUIRE(trials.size() == test::workload_models + 1);
    CHECK(trials.back().trial.repo_id == "org/huge");
    CHECK(trials.back().trial.outcome == TrialOutcome::failed);
    CHECK(trials.back().trial.reason == "HTTP 404");
    CHECK(trials[0].trial.details == R"({"downloads":0})");
}

TEST_CASE("history lists a metric over runs oldest first with its provenance") {
    Fixture f;
    auto record = test::workload_result("perplexity", 5);
    f.store.record_result(f.run, record);
    f.store.finish_run(f.run, RunStatus::ok);
    auto second = f.store.begin_run(test_run_info());
    record.metrics[1].value = 12.5;
    f.store.record_result(second, record);
    f.store.record_result(second, test::workload_result("sts", 6));

    ResultFilter filter;
    filter.model = "fixtures/model-1";
    filter.task = "perplexity";
    filter.metric = "perplexity";
    auto points = f.store.history(filter);
    REQUIRE(points.size() == 2);
    CHECK(points[0].run == f.run);
    CHECK(points[0].metric.value == 11.25);
    CHECK(points[1].run == second);
    CHECK(points[1].metric.value == 12.5);
    CHECK(points[0].time <= points[1].time);
    CHECK(points[1].model.commit_sha == test::workload_model(1).commit_sha);
    CHECK(points[1].dataset_sha256 == test::workload_dataset().sha256);
    CHECK(points[1].hubbench_commit == hubbench::git_commit());
    CHECK(f.store.history().size() == 6);
    filter.model = "fixtures/nothing";
    CHECK(f.store.history(filter).empty());
}

TEST_CASE("latest results keep the newest ok result of each key across runs") {
    Fixture f;
    f.store.record_result(f.run, test::workload_result("perplexity", 0));
    f.store.record_result(f.run, test::workload_result("perplexity", 1));
    auto second = f.store.begin_run(test_run_info());
    auto newer = test::workload_result("perplexity", 0);
    newer.metrics[1].value = 7.0;
    f.store.record_result(second, newer);
    auto failed = test::workload_result("perplexity", 1);
    failed.status = ResultStatus::failed;
    failed.error = "crashed";
    f.store.record_result(second, failed);

    auto latest = f.store.latest_results();
    REQUIRE(latest.size() == 2);
    CHECK(latest[0].key.model.repo_id == "fixtures/model-0");
    CHECK(latest[0].run == second);
    CHECK(latest[0].metrics[1].value == 7.0);
    CHECK(latest[1].key.model.repo_id == "fixtures/model-1");
    CHECK(latest[1].run == f.run);  // the failed retry does not hide the good result
    ResultFilter only_ppl;
    only_ppl.metric = "perplexity";
    for (const auto& row : f.store.latest_results(only_ppl)) CHECK(row.metrics.size() == 1);
}

TEST_CASE("compare_runs pairs each metric of two runs and keeps unpaired ones") {
    Fixture f;
    f.store.record_result(f.run, test::workload_result("perplexity", 0));
    f.store.record_result(f.run, test::workload_result("perplexity", 1));
    auto second = f.store.begin_run(test_run_info());
    auto worse = test::workload_result("perplexity", 0);
    worse.metrics[1].value = 20.0;
    f.store.record_result(second, worse);
    f.store.record_result(second, test::workload_result("perplexity", 2));

    auto pairs = f.store.compare_runs(f.run, second);
    REQUIRE(pairs.size() == 6);
    int both = 0, only_a = 0, only_b = 0;
    for (const auto& p : pairs) {
        if (p.a && p.b) ++both;
        if (p.a && !p.b) ++only_a;
        if (!p.a && p.b) ++only_b;
        if (p.repo_id == "fixtures/model-0" && p.metric == "perplexity") {
            CHECK(p.a->value == 10.0);
            CHECK(p.b->value == 20.0);
            CHECK(p.commit_a == p.commit_b);
        }
    }
    CHECK(both == 2);
    CHECK(only_a == 2);
    CHECK(only_b == 2);
}

TEST_CASE("classify_change reads the direction and treats noise as the same") {
    MetricPair p;
    p.a = Metric{"perplexity", 10.0, 0.5, 100, std::nullopt, false};
    p.b = Metric{"perplexity", 10.9, 0.5, 100, std::nullopt, false};
    CHECK(classify_change(p) == Change::same);  // within 2 * sqrt(0.5^2 + 0.5^2) = 1.41
    p.b->value = 12.0;
    CHECK(classify_change(p) == Change::worse);
    p.b->value = 8.0;
    CHECK(classify_change(p) == Change::better);
    p.a->std_error.reset();
    p.b->value = 10.05;
    CHECK(classify_change(p) == Change::same);  // within 1 %
    p.b->value = 10.2;
    CHECK(classify_change(p, 0.01) == Change::worse);
    CHECK(classify_change(p, 0.05) == Change::same);
    p.a->higher_is_better.reset();
    p.b->higher_is_better.reset();
    CHECK(classify_change(p) == Change::unknown);
    p.b->higher_is_better = true;
    CHECK(classify_change(p) == Change::better);
    p.a.reset();
    CHECK(classify_change(p) == Change::unknown);
}

TEST_CASE("per-sample rows are stored with their result and validated") {
    Fixture f;
    auto record = test::workload_result("sts", 0);
    REQUIRE(record.samples.size() == 2);
    auto id = f.store.record_result(f.run, record);
    CHECK(f.store.samples_of_result(id) == record.samples);
    auto unknown = test::workload_result("sts", 1);
    unknown.samples = {{"spearman", 0, 0.5}};
    CHECK(error_of([&] { f.store.record_result(f.run, unknown); }).find("unknown metric") != std::string::npos);
    auto twice = test::workload_result("sts", 1);
    twice.samples = {{"perplexity", 3, 0.5}, {"perplexity", 3, 0.6}};
    CHECK(error_of([&] { f.store.record_result(f.run, twice); }).find("given twice") != std::string::npos);
    // Replacing the result replaces its samples too.
    record.samples = {{"perplexity", 7, 1.0}};
    id = f.store.record_result(f.run, record);
    CHECK(f.store.samples_of_result(id) == record.samples);
    CHECK(test::count_rows(f.path, "SELECT count(*) FROM samples") == 1);
}

TEST_CASE("runs are listed oldest first and filtered by label") {
    Fixture f;
    f.store.begin_run(test_run_info("suite-b"));
    f.store.begin_run(test_run_info("suite-a"));
    CHECK(f.store.runs().size() == 3);
    auto a = f.store.runs(std::string("suite-a"));
    REQUIRE(a.size() == 2);
    CHECK(a[0].id == f.run);
    CHECK_FALSE(f.store.run(RunId{12345}).has_value());
    CHECK_THROWS_AS(f.store.finish_run(RunId{12345}, RunStatus::ok), Error);
}
}

TEST_SUITE("integration") {
TEST_CASE("every metric row traces to a model commit and dataset hash and hubbench commit") {
    Fixture f;
    for (long i = 0; i < 20; ++i) f.store.record_result(f.run, test::workload_result("perplexity", i));
    // Plain SQL over the file, not the store's own queries: follow each metric's foreign keys.
    Database db(f.path, {OpenMode::read_only});
    auto s = db.prepare(R"sql(
        SELECT m.id, mo.commit_sha, d.sha256, ru.hubbench_commit, ru.hubbench_version, r.parameters, m.name, m.value
        FROM metrics m
        LEFT JOIN results r ON r.id = m.result_id
        LEFT JOIN models mo ON mo.id = r.model_id
        LEFT JOIN datasets d ON d.id = r.dataset_id
        LEFT JOIN runs ru ON ru.id = r.run_id)sql");
    int rows = 0;
    while (s.step()) {
        ++rows;
        auto commit = s.column_text(1);
        CHECK((commit == test::workload_model(0).commit_sha || commit == test::workload_model(1).commit_sha ||
               commit == test::workload_model(2).commit_sha || commit == test::workload_model(3).commit_sha));
        CHECK(s.column_text(2) == test::workload_dataset().sha256);
        CHECK(s.column_text(3) == hubbench::git_commit());
        CHECK(s.column_text(4) == hubbench::version());
    }
    CHECK(rows == 2 * 20);
    CHECK(test::foreign_key_problems(f.path) == 0);
    // The metric_provenance view spells out the same trace.
    CHECK(test::count_rows(f.path, R"sql(SELECT count(*) FROM metric_provenance
                                         WHERE model_commit IS NOT NULL AND dataset_sha256 IS NOT NULL
                                           AND hubbench_commit IS NOT NULL)sql") == rows);
}
}
