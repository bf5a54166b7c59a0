// --shard I/N and --shard auto from a scheduler's environment, every combination and error.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "core/error.hpp"
#include "harness/shard.hpp"

using namespace hubbench;
using namespace hubbench::harness;

namespace {

Environment env_of(std::map<std::string, std::string> vars) {
    return [vars](const std::string& name) -> std::optional<std::string> {
        auto it = vars.find(name);
        return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
}

std::string usage_error(const std::string& spec, std::optional<std::size_t> shards, std::map<std::string, std::string> vars) {
    try {
        resolve_shard(spec, shards, env_of(std::move(vars)));
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::usage);
        return e.what();
    }
    return "";
}

}  // namespace

TEST_SUITE("unit") {
TEST_CASE("an explicit shard is I of N counted from 1") {
    auto s = resolve_shard("2/4", std::nullopt, env_of({{"SLURM_ARRAY_TASK_ID", "0"}}));  // the environment is not read
    CHECK(s.index == 1);
    CHECK(s.count == 4);
    CHECK(resolve_shard("1/1", std::nullopt, env_of({})).index == 0);
    for (const char* bad : {"0/4", "5/4", "2/0", "2", "a/b", "/4", "2/", "-1/4", "2/4x"})
        CHECK(usage_error(bad, std::nullopt, {}).find("expected I/N") != std::string::npos);
    CHECK(usage_error("2/4", 4, {}).find("--shards goes with --shard auto") != std::string::npos);
}

TEST_CASE("shard auto reads a Slurm array task") {
    auto s = resolve_shard("auto", std::nullopt,
                           env_of({{"SLURM_ARRAY_TASK_ID", "2"}, {"SLURM_ARRAY_TASK_MIN", "0"}, {"SLURM_ARRAY_TASK_COUNT", "3"}}));
    CHECK(s.index == 2);
    CHECK(s.count == 3);
    CHECK(s.source.find("Slurm") != std::string::npos);
    // --array=5-7: ids 5, 6, 7 are shards 0, 1, 2.
    s = resolve_shard("auto", std::nullopt,
                      env_of({{"SLURM_ARRAY_TASK_ID", "6"}, {"SLURM_ARRAY_TASK_MIN", "5"}, {"SLURM_ARRAY_TASK_COUNT", "3"}}));
    CHECK(s.index == 1);
    // --array=1-9:4: ids 1, 5, 9.
    s = resolve_shard("auto", 3,
                      env_of({{"SLURM_ARRAY_TASK_ID", "9"}, {"SLURM_ARRAY_TASK_MIN", "1"}, {"SLURM_ARRAY_TASK_COUNT", "3"},
                              {"SLURM_ARRAY_TASK_STEP", "4"}}));
    CHECK(s.index == 2);
    CHECK(s.count == 3);
}

TEST_CASE("shard auto refuses a Slurm environment that is incomplete or inconsistent") {
    const std::map<std::string, std::string> ok{
        {"SLURM_ARRAY_TASK_ID", "1"}, {"SLURM_ARRAY_TASK_MIN", "0"}, {"SLURM_ARRAY_TASK_COUNT", "2"}};
    for (const char* missing : {"SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_COUNT"}) {
        auto vars = ok;
        vars.erase(missing);
        CHECK(usage_error("auto", std::nullopt, vars) == std::string("--shard auto: ") + missing + " is not set");
    }
    auto vars = ok;
    vars["SLURM_ARRAY_TASK_COUNT"] = "two";
    CHECK(usage_error("auto", std::nullopt, vars).find("SLURM_ARRAY_TASK_COUNT='two' is not a non-negative integer") != std::string::npos);
    vars = ok;
    vars["SLURM_ARRAY_TASK_ID"] = "2";  // past the last of 2 tasks from 0
    CHECK(usage_error("auto", std::nullopt, vars).find("SLURM_ARRAY_TASK_ID 2 is not one of the 2 tasks") != std::string::npos);
    vars = ok;
    vars["SLURM_ARRAY_TASK_MIN"] = "3";  // below the minimum
    CHECK(usage_error("auto", std::nullopt, vars).find("is not one of") != std::string::npos);
    vars = ok;
    vars["SLURM_ARRAY_TASK_STEP"] = "2";  // 1 is not on the 0, 2, ... grid
    CHECK(usage_error("auto", std::nullopt, vars).find("by step 2") != std::string::npos);
    vars = ok;
    vars["SLURM_ARRAY_TASK_COUNT"] = "0";
    CHECK(usage_error("auto", std::nullopt, vars).find("SLURM_ARRAY_TASK_COUNT is 0") != std::string::npos);
    CHECK(usage_error("auto", 3, ok).find("--shards 3 disagrees with SLURM_ARRAY_TASK_COUNT 2") != std::string::npos);
}

TEST_CASE("shard auto reads a Kubernetes completion index with --shards or HUBBENCH_SHARDS") {
    auto s = resolve_shard("auto", 4, env_of({{"JOB_COMPLETION_INDEX", "3"}}));
    CHECK(s.index == 3);
    CHECK(s.count == 4);
    CHECK(s.source.find("Kubernetes") != std::string::npos);
    s = resolve_shard("auto", std::nullopt, env_of({{"JOB_COMPLETION_INDEX", "0"}, {"HUBBENCH_SHARDS", "2"}}));
    CHECK(s.index == 0);
    CHECK(s.count == 2);
    // --shards wins over the variable.
    CHECK(resolve_shard("auto", 5, env_of({{"JOB_COMPLETION_INDEX", "4"}, {"HUBBENCH_SHARDS", "2"}})).count == 5);
    CHECK(usage_error("auto", std::nullopt, {{"JOB_COMPLETION_INDEX", "0"}}).find("pass --shards N") != std::string::npos);
    CHECK(usage_error("auto", 2, {{"JOB_COMPLETION_INDEX", "2"}}).find("JOB_COMPLETION_INDEX 2 is not below the shard count 2") !=
          std::string::npos);
    CHECK(usage_error("auto", std::nullopt, {{"JOB_COMPLETION_INDEX", "0"}, {"HUBBENCH_SHARDS", "0"}}).find("shard count is 0") !=
          std::string::npos);
    CHECK(usage_error("auto", std::nullopt, {{"JOB_COMPLETION_INDEX", "x1"}, {"HUBBENCH_SHARDS", "2"}})
              .find("JOB_COMPLETION_INDEX='x1'") != std::string::npos);
    CHECK(usage_error("auto", std::nullopt, {{"JOB_COMPLETION_INDEX", "0"}, {"HUBBENCH_SHARDS", "many"}})
              .find("HUBBENCH_SHARDS='many'") != std::string::npos);
}

TEST_CASE("shard auto without a scheduler or with two of them is refused") {
    CHECK(usage_error("auto", std::nullopt, {}).find("neither SLURM_ARRAY_TASK_ID") != std::string::npos);
    CHECK(usage_error("auto", std::nullopt, {{"HUBBENCH_SHARDS", "2"}}).find("neither") != std::string::npos);
    CHECK(usage_error("auto", 2, {{"SLURM_ARRAY_TASK_ID", "0"}, {"JOB_COMPLETION_INDEX", "0"}}).find("both") != std::string::npos);
}
}
