// deploy/k8s/nightly-indexed-job.yaml, checked without a cluster: parsed as Kubernetes reads it,
// then each container's command run here as its pod would run it — every index of the Indexed Job
// with JOB_COMPLETION_INDEX set, then the merge Job — on the fixture models. What Kubernetes adds
// (scheduling, the shared volume) is replaced by a temp folder for the volume.
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <map>

#include "core/fs.hpp"
#include "results/store.hpp"
#include "tests/support/support.hpp"

using namespace hubbench;
namespace fs = std::filesystem;

namespace {

YAML::Node find_job(const std::vector<YAML::Node>& documents, const std::string& name) {
    for (const auto& d : documents) {
        if (d["kind"] && d["kind"].as<std::string>() == "Job" && d["metadata"]["name"].as<std::string>() == name) return d;
    }
    FAIL("no Job named " << name << " in deploy/k8s/nightly-indexed-job.yaml");
    return {};
}

struct Container {
    std::string script;                      // the sh -c argument
    std::map<std::string, std::string> env;  // literal values
    std::map<std::string, std::string> from_config_map;  // name -> "configmap/key"
};

Container container_of(const YAML::Node& job) {
    const auto containers = job["spec"]["template"]["spec"]["containers"];
    REQUIRE(containers.size() == 1);
    const auto c = containers[0];
    const auto command = c["command"].as<std::vector<std::string>>();
    REQUIRE(command.size() == 3);
    CHECK(command[0] == "/bin/sh");
    CHECK(command[1] == "-c");
    Container out{command[2], {}, {}};
    for (const auto& e : c["env"]) {
        const auto name = e["name"].as<std::string>();
        if (e["value"]) out.env[name] = e["value"].as<std::string>();
        else if (e["valueFrom"]["configMapKeyRef"])
            out.from_config_map[name] = e["valueFrom"]["configMapKeyRef"]["name"].as<std::string>() + "/" +
                                        e["valueFrom"]["configMapKeyRef"]["key"].as<std::string>();
    }
    CHECK(job["spec"]["template"]["spec"]["restartPolicy"].as<std::string>() == "Never");
    return out;
}

}  // namespace

TEST_SUITE("integration") {
TEST_CASE("the Kubernetes Indexed Job and its merge Job run a night when their container commands run here") {
    const auto documents = YAML::LoadAllFromFile((test::source_dir() / "deploy/k8s/nightly-indexed-job.yaml").string());
    const auto shard_job = find_job(documents, "hubbench-nightly");
    const auto merge_job = find_job(documents, "hubbench-nightly-merge");
    CHECK(shard_job["spec"]["completionMode"].as<std::string>() == "Indexed");
    const int completions = shard_job["spec"]["completions"].as<int>();
    REQUIRE(completions >= 2);
    CHECK(merge_job["spec"]["backoffLimit"].as<int>() == 0);  // its exit code is the verdict: no retry
    const auto shard = container_of(shard_job);
    const auto merge = container_of(merge_job);
    CHECK(shard.env.at("HUBBENCH_SHARDS") == std::to_string(completions));
    CHECK(shard.from_config_map.at("NIGHT") == "hubbench-night/NIGHT");
    CHECK(merge.from_config_map.at("NIGHT") == "hubbench-night/NIGHT");

    // The shared volume is a temp folder; the models are fixture folders; the suite is small.
    TempDir dir;
    write_file_atomic(dir.path() / "models.txt", test::fixture("tiny-gpt2").string() + "\n" + test::fixture("tiny-bert").string() +
                                                     "\n" + test::fixture("tiny-llama").string() + "\n");
    const char* path = std::getenv("PATH");
    const std::map<std::string, std::string> overrides{
        {"HUBBENCH_DATA", dir.path().string()},
        {"HF_HUB_CACHE", (dir.path() / "hf-cache").string()},
        {"SUITE", (test::source_dir() / "tests/harness/data/nightly_suite.yaml").string()},
        {"NIGHT", "k8s-night"},
        {"PATH", test::hubbench_binary().parent_path().string() + ":" + (path ? path : "/usr/bin:/bin")}};
    auto environment = [&](const Container& c) {
        auto env = c.env;
        for (const auto& [k, v] : overrides) env[k] = v;
        return env;
    };
    for (int index = 0; index < completions; ++index) {
        auto env = environment(shard);
        env["JOB_COMPLETION_INDEX"] = std::to_string(index);
        auto r = test::run_process({"/bin/sh", "-c", shard.script}, "", env);
        INFO("index " << index << ": " << r.err);
        REQUIRE(r.exit_code == 0);
    }
    auto r = test::run_process({"/bin/sh", "-c", merge.script}, "", environment(merge));
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);  // the first night: no baseline, nothing failed
    CHECK(r.out.find("in night k8s-night") != std::string::npos);
    const fs::path night_dir = dir.path() / "nights" / "k8s-night";
    for (const char* report : {"report.html", "report.md", "report.json"}) CHECK(fs::exists(night_dir / report));

    results::StoreOptions options;
    options.mode = results::OpenMode::read_only;
    results::ResultStore store(dir.path() / "history.db", options);
    const auto nights = store.nights();
    REQUIRE(nights.size() == 1);
    CHECK(nights[0].id == "k8s-night");
    CHECK(nights[0].runs.size() == static_cast<std::size_t>(completions));
}
}
