// `hubbench serve` and the load benchmark as a user runs them: the real binary serving a fixture,
// `hubbench eval --task speed` and `hubbench run` measuring it over loopback into a real SQLite
// file, `hubbench report` reading it back, and Ctrl-C stopping the server.
#include <doctest/doctest.h>

#include <fstream>

#include "tests/hub/hub_test_util.hpp"
#include "tests/support/support.hpp"

using namespace hubbench;
using hubbench::hubtest::Child;
namespace fs = std::filesystem;

TEST_SUITE("integration") {
TEST_CASE("hubbench serve measured by eval and run with a concurrency sweep then reported") {
    const std::string model = test::fixture("tiny-llama").string();
    Child server({test::hubbench_binary().string(), "serve", "--model", model, "--port", "0", "--threads", "1",
                  "--max-concurrency", "2", "--served-model-name", "tiny"});
    const std::string v1 = server.read_line();
    REQUIRE(v1.rfind("http://127.0.0.1:", 0) == 0);
    REQUIRE(v1.ends_with("/v1"));
    const std::string spec = "openai:" + v1 + "?model=tiny&tokenizer=" + model;

    auto eval = test::run_hubbench({"eval", "--task", "speed", "--model", spec, "--concurrency", "1,2", "--requests", "4",
                                    "--prompt-tokens", "16", "--output-tokens", "4", "--format", "json"});
    INFO(eval.err);
    REQUIRE(eval.exit_code == 0);
    const auto rows = nlohmann::json::parse(eval.out);
    REQUIRE(rows.is_array());
    REQUIRE(rows.size() == 2);
    CHECK(rows[0]["params"]["concurrency"] == 1);
    CHECK(rows[1]["params"]["concurrency"] == 2);
    for (const auto& r : rows) {
        CHECK(r["metrics"]["requests"] == 4);
        CHECK(r["metrics"]["output_tokens_mean"] == 4);
        CHECK(r["metrics"]["ttft_ms_p99"].get<double>() >= r["metrics"]["ttft_ms_p50"].get<double>());
    }

    TempDir dir;
    const fs::path suite = dir.path() / "serving.yaml";
    std::ofstream(suite) << "name: serving\n"
                            "tasks:\n"
                            "  - task: speed\n"
                            "    params: {concurrency: [1, 2], requests: 4, prompt_tokens: 16, output_tokens: 4}\n";
    const fs::path db = dir.path() / "serving.db";
    auto run = test::run_hubbench({"run", "--suite", suite.string(), "--model", spec, "--db", db.string()});
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    auto report = test::run_hubbench({"report", "--db", db.string(), "--format", "md"});
    REQUIRE(report.exit_code == 0);
    CHECK(report.out.find("Serving under load") != std::string::npos);
    // A second run resumes: both levels are already measured.
    auto again = test::run_hubbench({"run", "--suite", suite.string(), "--model", spec, "--db", db.string()});
    REQUIRE(again.exit_code == 0);
    INFO(again.err);
    CHECK(again.err.find("speed: concurrency") == std::string::npos);  // nothing measured again

    CHECK(server.stop(SIGINT) == 0);
}

TEST_CASE("serve and the load options refuse bad input with one line and exit 2") {
    auto no_model = test::run_hubbench({"serve"});
    CHECK(no_model.exit_code == 2);
    CHECK(no_model.err.find("serve: missing --model") != std::string::npos);
    auto local = test::run_hubbench({"eval", "--task", "speed", "--model", test::fixture("tiny-llama").string(), "--concurrency", "4"});
    CHECK(local.exit_code == 2);
    CHECK(local.err.find("--concurrency measures a served model") != std::string::npos);
    auto endpoint = test::run_hubbench({"eval", "--task", "speed", "--model", test::fixture("tiny-llama").string(), "--endpoint", "foo"});
    CHECK(endpoint.exit_code == 2);
    CHECK(endpoint.err.find("endpoint must be one of completions, chat") != std::string::npos);
}
}
