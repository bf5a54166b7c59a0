#include <doctest/doctest.h>

#include "core/error.hpp"
#include "core/fs.hpp"
#include "suites/suite_file.hpp"
#include "suites/task.hpp"

using namespace hubbench;
using namespace hubbench::suites;

TEST_SUITE("unit") {
TEST_CASE("the built-in default suite names four tasks with verified bundled datasets") {
    auto suite = builtin_suite("default");
    CHECK(suite.name == "default");
    REQUIRE(suite.tasks.size() == 4);
    CHECK(suite.tasks[0].task == "perplexity");
    CHECK(suite.tasks[1].task == "pppl");
    CHECK(suite.tasks[2].task == "sts");
    CHECK(suite.tasks[3].task == "speed");
    for (const auto& t : suite.tasks) {
        if (t.dataset.empty()) continue;
        auto d = load_dataset(t.dataset);  // throws if the sha256 in the suite is wrong
        CHECK(d.sha256 == t.dataset.sha256);
    }
    CHECK(suite.tasks[1].params["limit"] == 120);
    CHECK(find_suite("default").tasks.size() == 4);
    CHECK_THROWS_WITH_AS(builtin_suite("nope"), doctest::Contains("default"), Error);
}

TEST_CASE("a suite file resolves relative dataset paths against its folder") {
    TempDir dir;
    write_file_atomic(dir.path() / "my.yaml",
                      "tasks:\n"
                      "  - task: perplexity\n"
                      "    dataset: {path: data/doc.txt}\n"
                      "    params: {max_length: 128, stride: [64, 128], convention: llama.cpp}\n"
                      "  - task: sts\n"
                      "    dataset: stsbenchmark/sts-test.csv\n");
    auto suite = load_suite_file(dir.path() / "my.yaml");
    CHECK(suite.name == "my");
    REQUIRE(suite.tasks.size() == 2);
    CHECK(suite.tasks[0].dataset.path == dir.path() / "data/doc.txt");
    CHECK(suite.tasks[0].params["stride"] == nlohmann::json::array({64, 128}));
    CHECK(suite.tasks[0].params["convention"] == "llama.cpp");
    CHECK(suite.tasks[1].dataset.bundled == "stsbenchmark/sts-test.csv");
}

TEST_CASE("suite files with mistakes are refused with the file and line") {
    auto bad = [](const std::string& yaml) {
        try {
            parse_suite(yaml, "bad.yaml", ".");
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    CHECK(bad("tasks: [").find("not valid YAML") != std::string::npos);
    CHECK(bad("tasks: []\n").find("non-empty") != std::string::npos);
    CHECK(bad("tasks:\n  - task: bleu\n").find("unknown task 'bleu'") != std::string::npos);
    CHECK(bad("tasks:\n  - task: pppl\n    params: {stride: 3}\n").find("unknown parameter 'stride'") != std::string::npos);
    CHECK(bad("tasks:\n  - task: pppl\n    params: {limit: -3}\n").find("whole number") != std::string::npos);
    CHECK(bad("tasks:\n  - task: perplexity\n    params: {convention: gptq}\n").find("convention") != std::string::npos);
    CHECK(bad("tasks:\n  - task: sts\n    dataset: {bundled: ../../etc/passwd}\n").find("inside assets") != std::string::npos);
    CHECK(bad("tasks:\n  - task: sts\n    dataset: {bundled: a, sha256: xyz}\n").find("sha256") != std::string::npos);
    CHECK(bad("tasks:\n  - task: sts\n    colour: blue\n").find("bad.yaml line 3") != std::string::npos);
}

TEST_CASE("check_task accepts every documented parameter") {
    TaskSpec spec;
    spec.task = "speed";
    spec.params = {{"prefill_lengths", {16, 32}}, {"decode_tokens", 8}, {"batch_size", 1}, {"repetitions", 2}, {"warmup", 0}};
    CHECK_NOTHROW(check_task(spec));
    spec.params["threads"] = 2;
    CHECK_THROWS_AS(check_task(spec), Error);
}
}

TEST_SUITE("unit") {
TEST_CASE("the built-in task suites parse and their bundled datasets match their sha256") {
    CHECK(builtin_suite("tasks-en").tasks.size() == 5);
    CHECK(builtin_suite("ko").tasks.size() == 3);
    CHECK(builtin_suite("serving").tasks.at(0).params["concurrency"] == nlohmann::json::array({1, 4, 16}));
    for (const char* name : {"default", "tasks-en", "ko", "serving"}) {
        for (const auto& task : builtin_suite(name).tasks) {
            CAPTURE(name);
            CAPTURE(task.task);
            CHECK_NOTHROW(check_task(task));
            if (!task.dataset.empty()) CHECK_NOTHROW(load_dataset(task.dataset));  // checks the sha256
        }
    }
}
}
