// `hubbench nightly` end to end: the real binary, the fixture models, real SQLite files. What a
// team's scheduler relies on: a night measures afresh (and resumes only itself), shards of a night
// merge into one night that equals an unsharded one, and the exit code says 0 / 3 / 4.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>
#include <nlohmann/json.hpp>

#include "core/fs.hpp"
#include "results/database.hpp"
#include "results/store.hpp"
#include "tests/hub/hub_test_util.hpp"
#include "tests/support/support.hpp"

using namespace hubbench;
namespace fs = std::filesystem;

namespace {

fs::path nightly_suite() { return test::source_dir() / "tests/harness/data/nightly_suite.yaml"; }

fs::path models_file(const fs::path& dir, const std::vector<std::string>& models) {
    std::string text = "# the night's models\n\n";
    for (const auto& m : models) text += "  " + m + "   # a comment\n";
    const fs::path path = dir / "models.txt";
    write_file_atomic(path, text);
    return path;
}

std::vector<std::string> nightly_args(const fs::path& db, const fs::path& models, const std::string& night,
                                      std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"nightly", "--suite", nightly_suite().string(), "--models-file", models.string(), "--db", db.string(),
                                  "--label", "team", "--night", night, "--threads", "1",
                                  // Quality numbers repeat exactly; timings (sentences/s, ...) do not under a loaded CTest.
                                  "--speed-threshold", "1000"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

// A quarter of a model's weight file zeroed in the middle (header and the first half kept): a
// model that still loads and runs, with worse numbers. scripts/cluster-test plants the same.
void damage_weights(const fs::path& model_dir) {
    const fs::path weights = model_dir / "model.safetensors";
    const auto size = static_cast<std::streamoff>(fs::file_size(weights));
    std::fstream file(weights, std::ios::in | std::ios::out | std::ios::binary);
    REQUIRE(file);
    file.seekp(size / 2);
    const std::string zeros(static_cast<std::size_t>(size / 4), '\0');
    file.write(zeros.data(), static_cast<std::streamsize>(zeros.size()));
    REQUIRE(file.good());
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

results::ResultStore open_read_only(const fs::path& db) {
    results::StoreOptions options;
    options.mode = results::OpenMode::read_only;
    return results::ResultStore(db, options);
}

// (model, task, parameters, metric) -> value over a night's ok results; timings aside.
std::map<std::string, double> night_values(const fs::path& db, const std::string& night) {
    auto store = open_read_only(db);
    std::vector<results::RunId> runs;
    for (const auto& n : store.nights()) {
        if (n.id == night)
            for (const auto& r : n.runs) runs.push_back(r.id);
    }
    std::map<std::string, double> values;
    for (const auto& row : store.results_of_runs(runs)) {
        if (row.status != results::ResultStatus::ok) continue;
        for (const auto& m : row.metrics) {
            if (m.name.find("seconds") != std::string::npos || m.name.ends_with("_per_second")) continue;
            values[row.key.model.repo_id + " " + row.key.task + " " + row.key.parameters + " " + m.name] = m.value;
        }
    }
    return values;
}

}  // namespace

TEST_SUITE("integration") {
TEST_CASE("a night without a baseline exits 0 and the next night measures afresh and compares with it") {
    TempDir dir;
    const fs::path db = dir.path() / "history.db";
    const auto models = models_file(dir.path(), {test::fixture("tiny-gpt2").string(), test::fixture("tiny-bert").string()});
    const fs::path md = dir.path() / "first.md", json = dir.path() / "first.json";
    auto first = test::run_hubbench(nightly_args(db, models, "n1", {"-o", md.string(), "-o", json.string()}));
    INFO(first.err);
    REQUIRE(first.exit_code == 0);
    CHECK(contains(first.out, "night n1: run 1 ok: 3 measured, 0 reused, 1 skipped"));
    CHECK(contains(first.out, "0 regressions, 0 failed results, 0 failed models in night n1 (team) (no baseline: no earlier night labelled 'team'); exit 0"));
    const auto report = test::read_json(json);
    CHECK(report.at("night") == "n1");
    CHECK(report.at("verdict").at("exit_code") == 0);
    CHECK(report.at("runs").size() == 1);
    CHECK(report.at("runs")[0].at("night") == "n1");
    CHECK(contains(read_file(md), "# hubbench report: night n1 (team)"));

    // The second night reuses nothing of the first, and equal numbers are no regression.
    auto second = test::run_hubbench(nightly_args(db, models, "n2"));
    INFO(second.err);
    REQUIRE(second.exit_code == 0);
    CHECK(contains(second.out, "night n2: run 2 ok: 3 measured, 0 reused, 1 skipped"));
    CHECK(contains(second.out, "0 regressions, 0 failed results, 0 failed models in night n2 (team) since night n1 (team); exit 0"));
    CHECK(night_values(db, "n1") == night_values(db, "n2"));
    CHECK(night_values(db, "n1").size() >= 4);

    // A regression planted in the second night's stored bits per byte: `nightly finish` exits 3,
    // names it, and every report format carries it.
    {
        results::Database raw(db);
        raw.execute(
            "UPDATE metrics SET value = value * 1.10 WHERE name = 'bits_per_byte' AND result_id IN "
            "(SELECT r.id FROM results r JOIN runs ru ON ru.id = r.run_id WHERE ru.night = 'n2')");
        REQUIRE(raw.changes() == 1);
    }
    const fs::path html = dir.path() / "n2.html", n2json = dir.path() / "n2.json", csv = dir.path() / "n2.csv";
    auto finish = test::run_hubbench({"nightly", "finish", "--db", db.string(), "--label", "team", "--speed-threshold", "1000", "-o",
                                      html.string(), "-o", n2json.string(), "-o", csv.string()});
    INFO(finish.err);
    CHECK(finish.exit_code == 3);
    CHECK(contains(finish.out, "regression  tiny-gpt2  perplexity ("));
    CHECK(contains(finish.out, "(+10%, threshold 1%)"));
    CHECK(contains(finish.out, "1 regression, 0 failed results, 0 failed models in night n2 (team) since night n1 (team); exit 3"));
    CHECK(test::read_json(n2json).at("verdict").at("exit_code") == 3);
    CHECK(test::read_json(n2json).at("baseline_night") == "n1");
    const std::string page = read_file(html);
    CHECK(contains(page, "Regressions since night n1 (team)"));
    // The history: each headline figure over both nights, the nights on the x axis.
    CHECK(contains(page, "<section id=\"history\">"));
    CHECK(contains(page, "rotate(30)\" font-size=\"9\" fill=\"#4b5563\">n1</text>"));
    CHECK(contains(page, "rotate(30)\" font-size=\"9\" fill=\"#4b5563\">n2</text>"));
    CHECK(contains(read_file(csv), ",worse,"));
    // A threshold above the planted change lets it pass.
    auto lenient = test::run_hubbench({"nightly", "finish", "--db", db.string(), "--night", "n2", "--threshold", "20", "--speed-threshold", "1000"});
    CHECK(lenient.exit_code == 0);
    // report --last-night and --night show the same night.
    auto last = test::run_hubbench({"report", "--db", db.string(), "--last-night", "--format", "json"});
    REQUIRE(last.exit_code == 0);
    CHECK(nlohmann::json::parse(last.out).at("night") == "n2");
    auto unknown = test::run_hubbench({"report", "--db", db.string(), "--night", "n9"});
    CHECK(unknown.exit_code != 0);
    CHECK(contains(unknown.err, "no night 'n9' in " + db.string() + " (nights: n1, n2)"));
}

TEST_CASE("a night whose model fails to load exits 4 and names it") {
    TempDir dir;
    const fs::path broken = dir.path() / "broken-model";
    fs::create_directories(broken);
    write_file_atomic(broken / "config.json", "{\"model_type\": \"t5\", \"architectures\": [\"T5Model\"]}");
    const auto models = models_file(dir.path(), {broken.string(), test::fixture("tiny-gpt2").string()});
    auto r = test::run_hubbench(nightly_args(dir.path() / "h.db", models, "n1"));
    INFO(r.err);
    CHECK(r.exit_code == 4);
    CHECK(contains(r.out, "failed      " + broken.string() + "  (load)  "));
    CHECK(contains(r.out, "0 regressions, 0 failed results, 1 failed model in night n1 (team)"));
}

TEST_CASE("the shards of a night merge into one night equal to an unsharded night with per-shard provenance") {
    TempDir dir;
    const auto models = models_file(dir.path(), {test::fixture("tiny-gpt2").string(), test::fixture("tiny-bert").string(),
                                                 test::fixture("tiny-llama").string()});
    const fs::path whole = dir.path() / "whole.db";
    REQUIRE(test::run_hubbench(nightly_args(whole, models, "night-a")).exit_code == 0);

    // Two Kubernetes Indexed Job pods, each into its own database; a sharded night exits 0 and
    // leaves the verdict to `nightly finish`.
    std::vector<std::string> shards;
    for (const char* index : {"0", "1"}) {
        const fs::path shard = dir.path() / (std::string("shard-") + index + ".db");
        auto r = test::run_hubbench(nightly_args(shard, models, "night-a", {"--shard", "auto"}), "",
                                    {{"JOB_COMPLETION_INDEX", index}, {"HUBBENCH_SHARDS", "2"}});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        CHECK(contains(r.out, "hubbench nightly finish --db NIGHT.db --night night-a"));
        shards.push_back(shard.string());
    }
    // A shard run again resumes: it measures nothing its night has.
    auto again = test::run_hubbench(nightly_args(shards[0], models, "night-a", {"--shard", "1/2"}));
    REQUIRE(again.exit_code == 0);
    CHECK(contains(again.out, "0 measured, 4 reused"));

    const fs::path merged = dir.path() / "night.db";
    std::vector<std::string> merge{"merge"};
    merge.insert(merge.end(), shards.begin(), shards.end());
    merge.insert(merge.end(), {"--into", merged.string()});
    REQUIRE(test::run_hubbench(merge).exit_code == 0);
    CHECK(night_values(merged, "night-a") == night_values(whole, "night-a"));
    CHECK(night_values(merged, "night-a").size() >= 6);

    auto finish = test::run_hubbench({"nightly", "finish", "--db", merged.string(), "--night", "night-a", "--speed-threshold", "1000"});
    INFO(finish.err);
    CHECK(finish.exit_code == 0);
    auto report = test::run_hubbench({"report", "--db", merged.string(), "--night", "night-a", "--format", "json"});
    REQUIRE(report.exit_code == 0);
    const auto j = nlohmann::json::parse(report.out);
    CHECK(j.at("models").size() == 3);
    REQUIRE(j.at("runs").size() == 3);  // shard 1, shard 2, and shard 1 resumed
    std::multiset<std::string> shard_names;
    for (const auto& run : j.at("runs")) shard_names.insert(run.at("shard").get<std::string>());
    CHECK(shard_names == std::multiset<std::string>{"1/2", "1/2", "2/2"});
    CHECK(j.at("run").at("status") == "ok");
    // Each result names the shard run that measured it.
    std::set<std::int64_t> measured_in;
    for (const auto& m : j.at("models"))
        for (const auto& res : m.at("results")) measured_in.insert(res.at("run").get<std::int64_t>());
    CHECK(measured_in.size() == 2);
    auto md = test::run_hubbench({"report", "--db", merged.string(), "--night", "night-a"});
    CHECK(contains(md.out, "| 2/2 (run "));
}

TEST_CASE("nightly refuses a bad models file with its line and column and writes nothing") {
    TempDir dir;
    const fs::path db = dir.path() / "h.db";
    const fs::path file = dir.path() / "models.txt";
    write_file_atomic(file, "# models\nfixtures/tiny-gpt2\nfixtures/tiny-bert extra\n");
    auto r = test::run_hubbench({"nightly", "--models-file", file.string(), "--db", db.string()});
    CHECK(r.exit_code == 1);
    CHECK(contains(r.err, file.string() + ":3:20: one model per line ('fixtures/tiny-bert' is followed by 'extra')"));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    write_file_atomic(file, "# nothing\n\n");
    r = test::run_hubbench({"nightly", "--models-file", file.string(), "--db", db.string()});
    CHECK(contains(r.err, "lists no model"));
    r = test::run_hubbench({"nightly", "--models-file", (dir.path() / "missing.txt").string(), "--db", db.string()});
    CHECK(contains(r.err, "missing.txt: cannot read the models file"));
    r = test::run_hubbench({"nightly", "finish", "--db", (dir.path() / "none.db").string()});
    CHECK(r.exit_code != 0);
    CHECK(contains(r.err, "none.db: no such results database"));
    CHECK_FALSE(fs::exists(db));
}

TEST_CASE("nightly --dry-run prints the night id and the plan and writes nothing") {
    TempDir dir;
    const fs::path db = dir.path() / "h.db";
    const auto models = models_file(dir.path(), {test::fixture("tiny-gpt2").string()});
    auto r = test::run_hubbench(nightly_args(db, models, "n7", {"--dry-run"}));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out, "night n7 (label team)"));
    CHECK(contains(r.out, "total: 2 rows, 0 stored and reused, 2 to measure"));
    CHECK_FALSE(fs::exists(db));
}

TEST_CASE("a metric that comes out NaN is a failed result naming it and the night exits 4") {
    TempDir dir;
    const fs::path model = dir.path() / "damaged-gpt2";
    fs::copy(test::fixture("tiny-gpt2"), model, fs::copy_options::recursive);
    damage_weights(model);
    const fs::path db = dir.path() / "h.db";
    auto r = test::run_hubbench(nightly_args(db, models_file(dir.path(), {model.string()}), "n1"));
    INFO(r.err);
    CHECK(r.exit_code == 4);
    CHECK(contains(r.out, "failed      damaged-gpt2  sts (stsbenchmark/sts-test.csv, {\"limit\":16})  spearman_cosine is NaN"));
    CHECK(contains(r.out, "0 regressions, 1 failed result, 0 failed models in night n1"));
    CHECK(contains(r.out, "1 measured, 0 reused, 0 skipped, 1 failed"));
    // The perplexity row is stored as measured; the sts row as failed, with its reason.
    auto store = open_read_only(db);
    std::map<std::string, results::ResultStatus> status;
    for (const auto& row : store.results_of_runs({results::RunId{1}})) status[row.key.task] = row.status;
    CHECK(status == std::map<std::string, results::ResultStatus>{{"perplexity", results::ResultStatus::ok},
                                                                   {"sts", results::ResultStatus::failed}});
}

TEST_CASE("a night pulls every repo id so a new commit of main on the Hub is measured as such") {
    TempDir root, cache, dir;
    fs::create_directories(root.path() / "fixtures");
    fs::copy(test::fixture("tiny-gpt2"), root.path() / "fixtures/tiny-gpt2", fs::copy_options::recursive);
    hubtest::Child mirror({test::hubbench_binary().string(), "mirror", "serve", "--root", root.path().string()});
    const std::string url = mirror.read_line();
    REQUIRE(url.rfind("http://127.0.0.1:", 0) == 0);
    const std::map<std::string, std::string> env{{"HF_ENDPOINT", url}, {"HF_HUB_CACHE", cache.path().string()},
                                                 {"HF_HUB_OFFLINE", "0"}, {"HUBBENCH_PROGRESS", "plain"}};
    const fs::path db = dir.path() / "h.db";
    const auto models = models_file(dir.path(), {"fixtures/tiny-gpt2"});
    auto first = test::run_hubbench(nightly_args(db, models, "n1"), "", env);
    INFO(first.err);
    REQUIRE(first.exit_code == 0);

    damage_weights(root.path() / "fixtures/tiny-gpt2");  // a new commit of main on the mirror
    auto second = test::run_hubbench(nightly_args(db, models, "n2"), "", env);
    INFO(second.err);
    CHECK(second.exit_code == 3);
    CHECK(contains(second.out, "regression  fixtures/tiny-gpt2  perplexity"));
    std::set<std::string> commits;
    auto store = open_read_only(db);
    for (const auto& night : store.nights())
        for (const auto& row : store.results_of_runs({night.runs.at(0).id})) commits.insert(row.key.model.commit_sha);
    CHECK(commits.size() == 2);  // each night's rows name the commit it measured
    CHECK(mirror.stop(SIGINT) == 0);
}
}
