// `hubbench run` and `hubbench compare` end to end: the real binary, real model folders, a real
// SQLite file, a real mirror on loopback. What is checked is what a user relies on: every task
// stored or skipped with its reason, resume after a crash, and --force.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <thread>

#include "core/fs.hpp"
#include "results/store.hpp"
#include "tests/support/support.hpp"

using namespace hubbench;
namespace fs = std::filesystem;

namespace {

fs::path tiny_suite() { return test::source_dir() / "tests/harness/data/tiny_suite.yaml"; }

std::vector<std::string> run_args(const fs::path& db, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"run", "--suite", tiny_suite().string(), "--db", db.string(), "--threads", "1",
                                  test::fixture("tiny-gpt2").string(), test::fixture("tiny-bert").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

results::ResultStore open_read_only(const fs::path& db) {
    results::StoreOptions options;
    options.mode = results::OpenMode::read_only;
    return results::ResultStore(db, options);
}

// (model, task, parameters) -> metric name -> value, over the newest ok results.
using Values = std::map<std::string, std::map<std::string, double>>;
Values latest_values(const fs::path& db) {
    auto store = open_read_only(db);
    Values values;
    for (const auto& r : store.latest_results()) {
        std::string key = r.key.model.repo_id + " " + r.key.task + " " + r.key.parameters;
        for (const auto& m : r.metrics) {
            // Timings and speed differ from run to run; everything else must not.
            if (r.key.task == "speed" || m.name.find("seconds") != std::string::npos) continue;
            values[key][m.name] = m.value;
        }
    }
    return values;
}

std::size_t count_results(const fs::path& db) {
    std::error_code ec;
    if (!fs::exists(db, ec)) return 0;
    try {
        auto store = open_read_only(db);
        std::size_t n = 0;
        for (const auto& run : store.runs()) n += store.results_of_run(run.id).size();
        return n;
    } catch (const std::exception&) {
        return 0;  // the writer has not created the schema yet
    }
}

}  // namespace

TEST_SUITE("integration") {
TEST_CASE("run stores every task of a suite for an encoder and a decoder and skips what they cannot do") {
    TempDir dir;
    const fs::path db = dir.path() / "h.db";
    auto r = test::run_hubbench(run_args(db));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("7 measured, 0 reused, 3 skipped, 0 failed") != std::string::npos);

    auto store = open_read_only(db);
    auto runs = store.runs();
    REQUIRE(runs.size() == 1);
    CHECK(runs[0].info.label == "tiny");
    auto rows = store.results_of_run(runs[0].id);
    std::map<std::string, std::string> status;  // "model task params" -> status / reason
    for (const auto& row : rows) {
        std::string key = row.key.model.repo_id + " " + row.key.task + " " + row.key.parameters;
        status[key] = std::string(results::to_string(row.status)) + (row.error.empty() ? "" : ": " + row.error);
        CHECK(row.key.model.commit_sha.rfind("local-", 0) == 0);
    }
    CHECK(status.size() == 10);
    CHECK(status["tiny-gpt2 perplexity {\"limit\":600,\"max_length\":64,\"stride\":32}"] == "ok");
    CHECK(status["tiny-gpt2 perplexity {\"limit\":600,\"max_length\":64,\"stride\":64}"] == "ok");
    CHECK(status["tiny-gpt2 pppl {\"limit\":3,\"max_length\":32}"].rfind("skipped: ", 0) == 0);
    CHECK(status["tiny-bert perplexity {\"limit\":600,\"max_length\":64,\"stride\":32}"].find("encoder") != std::string::npos);
    CHECK(status["tiny-bert pppl {\"limit\":3,\"max_length\":32}"] == "ok");
    CHECK(status["tiny-bert sts {\"limit\":24}"] == "ok");

    std::string gpt2_commit;
    for (const auto& row : rows) {
        if (row.key.model.repo_id == "tiny-gpt2") gpt2_commit = row.key.model.commit_sha;
    }
    auto model = store.model({"tiny-gpt2", gpt2_commit});
    REQUIRE(model.has_value());
    CHECK(model->kind == ModelKind::decoder);
    CHECK(model->architecture == "GPT2LMHeadModel");
    for (const auto& row : rows) {
        if (row.key.task != "perplexity" || row.status != results::ResultStatus::ok) continue;
        bool has_ppl = false;
        for (const auto& m : row.metrics) {
            if (m.name == "token_ppl") {
                has_ppl = true;
                CHECK(m.higher_is_better == false);
                CHECK(m.std_error.has_value());
            }
        }
        CHECK(has_ppl);
    }
}

TEST_CASE("strides are result rows of one job and a new stride measures only itself") {
    TempDir dir;
    const fs::path db = dir.path() / "h.db";
    auto suite = [&](const std::string& strides) {
        const fs::path file = dir.path() / "strides.yaml";
        write_file_atomic(file, "name: strides\ntasks:\n  - task: perplexity\n    params: {max_length: 64, limit: 300, stride: " +
                                    strides + "}\n");
        return test::run_hubbench({"run", "--suite", file.string(), "--db", db.string(), "--threads", "1",
                                   test::fixture("tiny-gpt2").string()});
    };
    auto first = suite("[32, 64]");
    INFO(first.err);
    REQUIRE(first.exit_code == 0);
    CHECK(first.out.find("2 measured, 0 reused") != std::string::npos);
    // One eval job ran both strides: their windows share forward passes.
    CHECK(first.err.find("tiny-gpt2 perplexity stride=[32,64] L=64") != std::string::npos);
    auto second = suite("[32, 48]");
    INFO(second.err);
    REQUIRE(second.exit_code == 0);
    CHECK(second.out.find("1 measured, 1 reused") != std::string::npos);

    // What the task and its metrics mean is in the database, from the task registry.
    auto store = open_read_only(db);
    auto tasks = store.task_meanings();
    REQUIRE(tasks.size() == 1);
    CHECK(tasks[0].task == "perplexity");
    CHECK(tasks[0].primary_metric == "bits_per_byte");
    bool described = false;
    for (const auto& m : store.metric_meanings()) {
        if (m.name != "bits_per_byte") continue;
        described = true;
        CHECK(m.meaning.label == "bits/byte");
        CHECK(m.meaning.higher_is_better == false);
        CHECK(m.meaning.headline == "bits_per_byte");
    }
    CHECK(described);
}

TEST_CASE("shard auto splits the models between the tasks of a Slurm array or a Kubernetes Indexed Job") {
    TempDir dir;
    // Which models a shard stored results for.
    auto models_of = [](const fs::path& db) {
        std::set<std::string> models;
        auto store = open_read_only(db);
        for (const auto& run : store.runs())
            for (const auto& row : store.results_of_run(run.id)) models.insert(row.key.model.repo_id);
        return models;
    };
    const std::map<std::string, std::string> slurm_second{
        {"SLURM_ARRAY_TASK_ID", "8"}, {"SLURM_ARRAY_TASK_MIN", "7"}, {"SLURM_ARRAY_TASK_COUNT", "2"}};
    auto r = test::run_hubbench(run_args(dir.path() / "slurm.db", {"--shard", "auto"}), "", slurm_second);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.find("shard 2 of 2 (Slurm array task 8") != std::string::npos);
    CHECK(models_of(dir.path() / "slurm.db") == std::set<std::string>{"tiny-bert"});
    r = test::run_hubbench(run_args(dir.path() / "k8s.db", {"--shard", "auto", "--shards", "2"}), "", {{"JOB_COMPLETION_INDEX", "0"}});
    REQUIRE(r.exit_code == 0);
    CHECK(models_of(dir.path() / "k8s.db") == std::set<std::string>{"tiny-gpt2"});
    // A broken environment stops before any model is loaded, with the variable named.
    r = test::run_hubbench(run_args(dir.path() / "bad.db", {"--shard", "auto"}), "", {{"JOB_COMPLETION_INDEX", "0"}});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("--shards N") != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK_FALSE(fs::exists(dir.path() / "bad.db"));
}

TEST_CASE("run --dry-run shows what is stored and what would be measured and writes nothing") {
    TempDir dir;
    const fs::path db = dir.path() / "h.db";
    auto before = test::run_hubbench(run_args(db, {"--dry-run"}));
    INFO(before.err);
    REQUIRE(before.exit_code == 0);
    CHECK_FALSE(fs::exists(db));  // not even created
    CHECK(before.out.find("(not there yet: nothing stored)") != std::string::npos);
    CHECK(before.out.find("total: 10 rows, 0 stored and reused, 10 to measure") != std::string::npos);

    // After a real run of the first model, its 5 rows are stored and the second model's are not.
    auto first = test::run_hubbench({"run", "--suite", tiny_suite().string(), "--db", db.string(), "--threads", "1",
                                     test::fixture("tiny-gpt2").string()});
    REQUIRE(first.exit_code == 0);
    const std::string stored_bytes = read_file(db);
    auto after = test::run_hubbench(run_args(db, {"--dry-run"}));
    REQUIRE(after.exit_code == 0);
    CHECK(after.out.find("total: 10 rows, 5 stored and reused, 5 to measure") != std::string::npos);
    CHECK(after.out.find("2 rows: 2 stored (run 1), 0 to measure") != std::string::npos);  // gpt2's two strides
    CHECK(read_file(db) == stored_bytes);
    auto forced = test::run_hubbench(run_args(db, {"--dry-run", "--force"}));
    CHECK(forced.out.find("total: 10 rows, 0 stored and reused, 10 to measure (--force measures every row)") != std::string::npos);
    // The other shard's models are listed apart.
    auto shard = test::run_hubbench(run_args(db, {"--dry-run", "--shard", "2/2"}));
    CHECK(shard.out.find("1 of 2 models in shard 2 of 2") != std::string::npos);
    CHECK(shard.out.find("other shards: " + test::fixture("tiny-gpt2").string()) != std::string::npos);
}

TEST_CASE("a second run reuses stored results and --force measures them again") {
    TempDir dir;
    const fs::path db = dir.path() / "h.db";
    REQUIRE(test::run_hubbench(run_args(db)).exit_code == 0);
    auto again = test::run_hubbench(run_args(db));
    INFO(again.err);
    REQUIRE(again.exit_code == 0);
    CHECK(again.out.find("0 measured, 10 reused") != std::string::npos);
    auto forced = test::run_hubbench(run_args(db, {"--force"}));
    REQUIRE(forced.exit_code == 0);
    CHECK(forced.out.find("7 measured, 0 reused") != std::string::npos);
}

TEST_CASE("a run killed with SIGKILL resumes to the same results as an uninterrupted run") {
    TempDir dir;
    const fs::path reference_db = dir.path() / "reference.db";
    REQUIRE(test::run_hubbench(run_args(reference_db)).exit_code == 0);

    const fs::path db = dir.path() / "killed.db";
    std::vector<std::string> argv{test::hubbench_binary().string()};
    for (auto& a : run_args(db)) argv.push_back(a);
    const pid_t pid = test::spawn_process(argv, {{"HUBBENCH_PROGRESS", "off"}}, -1, -1, -1);
    // Kill it once a few results are committed but before the end.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
    std::size_t stored = 0;
    while (std::chrono::steady_clock::now() < deadline) {
        stored = count_results(db);
        if (stored >= 2) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    REQUIRE(stored >= 2);
    const bool killed = WIFSIGNALED(status);
    CHECK_MESSAGE(killed, "the run finished before it could be killed");

    auto resumed = test::run_hubbench(run_args(db));
    INFO(resumed.err);
    REQUIRE(resumed.exit_code == 0);
    CHECK(resumed.out.find(" reused") != std::string::npos);

    Values expected = latest_values(reference_db);
    Values got = latest_values(db);
    REQUIRE(expected.size() == got.size());
    for (const auto& [key, metrics] : expected) {
        INFO(key);
        REQUIRE(got.count(key) == 1);
        for (const auto& [name, value] : metrics) {
            INFO(name);
            REQUIRE(got[key].count(name) == 1);
            CHECK(got[key][name] == doctest::Approx(value).epsilon(1e-9));
        }
    }
    auto check = test::run_hubbench({"db", "check", "--db", db.string()});
    CHECK(check.exit_code == 0);
}

TEST_CASE("a model that cannot be loaded is recorded as a failed trial and the others still run") {
    TempDir dir;
    const fs::path db = dir.path() / "h.db";
    const fs::path broken = dir.path() / "broken-model";
    fs::create_directories(broken);
    write_file_atomic(broken / "config.json", "{\"model_type\": \"t5\", \"architectures\": [\"T5Model\"]}");
    auto r = test::run_hubbench({"run", "--suite", tiny_suite().string(), "--db", db.string(), "--threads", "1",
                                 broken.string(), test::fixture("tiny-gpt2").string()});
    CHECK(r.exit_code == 1);
    CHECK(r.out.find("failed") != std::string::npos);
    auto store = open_read_only(db);
    auto runs = store.runs();
    REQUIRE(runs.size() == 1);
    CHECK(runs[0].status == results::RunStatus::failed);
    auto trials = store.trials_of_run(runs[0].id);
    REQUIRE(trials.size() == 1);
    CHECK(trials[0].trial.stage == "load");
    CHECK(trials[0].trial.outcome == results::TrialOutcome::failed);
    CHECK(trials[0].trial.reason.find("t5") != std::string::npos);
    std::size_t gpt2_ok = 0;
    for (const auto& row : store.results_of_run(runs[0].id)) {
        if (row.key.model.repo_id == "tiny-gpt2" && row.status == results::ResultStatus::ok) ++gpt2_ok;
    }
    CHECK(gpt2_ok == 4);
}

// The fixture models the embedded mirror serves, counted from their config.json "architectures"
// (not through hubbench): every one, the causal LMs and the masked LMs.
struct FixtureCounts {
    std::size_t all = 0, causal = 0, masked = 0;
};
FixtureCounts count_fixtures() {
    FixtureCounts n;
    for (const auto& entry : fs::directory_iterator(test::fixture(""))) {
        const auto arch = test::read_json(entry.path() / "config.json")["architectures"][0].get<std::string>();
        ++n.all;
        n.causal += arch.ends_with("ForCausalLM") || arch.ends_with("LMHeadModel");
        n.masked += arch.ends_with("ForMaskedLM");
    }
    return n;
}

TEST_CASE("compare on the embedded mirror searches pulls evaluates records trials and reports") {
    TempDir dir;
    const fs::path db = dir.path() / "h.db";
    const fs::path html = dir.path() / "report.html";
    auto r = test::run_hubbench({"compare", "--embedded", "--author", "fixtures", "--query", "tiny-", "--limit", "100",
                                 "--suite", tiny_suite().string(), "--db", db.string(), "--threads", "1",
                                 "--report", html.string()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("# hubbench report") != std::string::npos);
    CHECK(r.out.find("fixtures/tiny-llama") != std::string::npos);
    CHECK(fs::file_size(html) > 1000);
    auto store = open_read_only(db);
    auto runs = store.runs();
    REQUIRE(runs.size() == 1);
    CHECK(runs[0].info.label == "compare");
    auto trials = store.trials_of_run(runs[0].id);
    CHECK(trials.size() == count_fixtures().all);
    for (const auto& t : trials) {
        CHECK(t.trial.stage == "search");
        CHECK(t.trial.outcome == results::TrialOutcome::selected);
        REQUIRE(t.trial.commit_sha.has_value());
        CHECK(t.trial.commit_sha->size() == 40);
    }
    // Models are stored under their repo id and the commit the mirror served.
    for (const auto& row : store.results_of_run(runs[0].id)) {
        CHECK(row.key.model.repo_id.rfind("fixtures/tiny-", 0) == 0);
        CHECK(row.key.model.commit_sha.size() == 40);
    }
    // Pulled into the HF cache layout next to the database, pinned to the searched commit.
    const std::string commit = *trials.front().trial.commit_sha;
    const fs::path snapshot = dir.path() / "hub-cache" / ("models--" + std::string("fixtures--") +
                              trials.front().trial.repo_id.substr(9)) / "snapshots" / commit;
    CHECK(fs::exists(snapshot / "config.json"));
}

TEST_CASE("compare --dry-run searches and screens then shows the plan for the searched commit and writes nothing") {
    TempDir dir;
    const fs::path db = dir.path() / "h.db";
    const std::vector<std::string> args{"compare", "--embedded", "--author", "fixtures", "--query", "tiny-gpt2", "--suite",
                                        tiny_suite().string(), "--db", db.string(), "--threads", "1"};
    auto with = [&](std::vector<std::string> extra) {
        auto all = args;
        all.insert(all.end(), extra.begin(), extra.end());
        return all;
    };
    auto before = test::run_hubbench(with({"--dry-run"}));
    INFO(before.err);
    REQUIRE(before.exit_code == 0);
    CHECK(before.out.find("1 candidates, 1 selected") != std::string::npos);
    CHECK(before.out.find("total: 5 rows, 0 stored and reused, 5 to measure") != std::string::npos);
    CHECK_FALSE(fs::exists(db));
    CHECK_FALSE(fs::exists(dir.path() / "hub-cache" / "models--fixtures--tiny-gpt2"));  // nothing pulled

    REQUIRE(test::run_hubbench(args).exit_code == 0);
    // The same commit, now measured: every row is reused (the skipped pppl row too).
    auto after = test::run_hubbench(with({"--dry-run"}));
    REQUIRE(after.exit_code == 0);
    CHECK(after.out.find("total: 5 rows, 5 stored and reused, 0 to measure") != std::string::npos);
}

TEST_CASE("compare --data puts encoders and decoders side by side on the user's labelled file") {
    TempDir dir;
    const fs::path db = dir.path() / "h.db";
    // The first 240 rows of the bundled SST-2 dev set, as a user's own TSV.
    const std::string sst2 = read_file(test::assets() / "datasets/sst2/dev.tsv");
    std::size_t end = 0;
    for (int line = 0; line < 241; ++line) end = sst2.find('\n', end) + 1;
    write_file_atomic(dir.path() / "mine.tsv", sst2.substr(0, end));
    auto r = test::run_hubbench({"compare", "--embedded", "--data", (dir.path() / "mine.tsv").string(), "--text-column", "sentence",
                                 "--label-column", "label", "--template", "{text} It was {mask}.", "--verbalizers",
                                 R"({"0":" bad","1":" good"})", "--db", db.string(), "--threads", "1"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    // The report's first section answers the question: best encoder, best decoder, which to pick.
    const auto first = r.out.find("## Encoder or decoder?");
    REQUIRE(first != std::string::npos);
    CHECK(first < r.out.find("## Encoders and decoders side by side"));
    const auto row = r.out.find("| Classification | mine.tsv | **tiny-");
    REQUIRE(row != std::string::npos);
    const std::string summary = r.out.substr(row, r.out.find('\n', row) - row);
    CHECK(std::count(summary.begin(), summary.end(), '*') == 8);  // a best encoder and a best decoder
    CHECK(summary.find("items/s") != std::string::npos);
    CHECK(r.out.find("★") != std::string::npos);
    CHECK(r.out.find("## Not applicable") != std::string::npos);

    auto store = open_read_only(db);
    auto runs = store.runs();
    REQUIRE(runs.size() == 1);
    CHECK(runs[0].info.label == "compare mine.tsv");
    std::map<std::string, std::size_t> methods;  // method -> ok results
    std::size_t not_applicable = 0;
    for (const auto& result : store.results_of_run(runs[0].id)) {
        CHECK(result.key.task == "classification");
        const auto params = nlohmann::json::parse(result.key.parameters);
        if (result.status == results::ResultStatus::skipped) ++not_applicable;
        if (result.status == results::ResultStatus::ok) ++methods[params["method"].get<std::string>()];
    }
    const auto fixtures = count_fixtures();
    REQUIRE(fixtures.causal >= 3);
    REQUIRE(fixtures.masked >= 2);
    CHECK(methods["probe"] == fixtures.all);          // every model embeds
    CHECK(methods["likelihood"] == fixtures.causal);  // the decoders
    CHECK(methods["cloze"] == fixtures.masked);       // the masked LMs (tiny-bert-sentence has no MLM head)
    // Per model, the methods it cannot run: likelihood for encoders, cloze for all but masked LMs.
    CHECK(not_applicable == (fixtures.all - fixtures.causal) + (fixtures.all - fixtures.masked));
}
}
