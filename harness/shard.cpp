#include "harness/shard.hpp"

#include <fmt/format.h>

#include <cstdlib>

#include "core/error.hpp"

namespace hubbench::harness {
namespace {

[[noreturn]] void fail(const std::string& what) { throw Error(ErrorKind::usage, "--shard auto: " + what); }

// A non-negative decimal integer, all of it.
std::optional<std::size_t> parse_count(const std::string& text) {
    if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    return static_cast<std::size_t>(std::stoull(text));
}

std::size_t variable(const Environment& env, const std::string& name) {
    const auto value = env(name);
    if (!value) fail(name + " is not set");
    const auto n = parse_count(*value);
    if (!n) fail(fmt::format("{}='{}' is not a non-negative integer", name, *value));
    return *n;
}

Shard from_slurm(const Environment& env, std::optional<std::size_t> shards) {
    const std::size_t id = variable(env, "SLURM_ARRAY_TASK_ID");
    const std::size_t min = variable(env, "SLURM_ARRAY_TASK_MIN");
    const std::size_t count = variable(env, "SLURM_ARRAY_TASK_COUNT");
    const std::size_t step = env("SLURM_ARRAY_TASK_STEP") ? variable(env, "SLURM_ARRAY_TASK_STEP") : 1;
    if (count == 0) fail("SLURM_ARRAY_TASK_COUNT is 0");
    if (step == 0) fail("SLURM_ARRAY_TASK_STEP is 0");
    if (id < min || (id - min) % step != 0 || (id - min) / step >= count)
        fail(fmt::format("SLURM_ARRAY_TASK_ID {} is not one of the {} tasks from SLURM_ARRAY_TASK_MIN {} by step {}", id, count,
                         min, step));
    if (shards && *shards != count)
        fail(fmt::format("--shards {} disagrees with SLURM_ARRAY_TASK_COUNT {}", *shards, count));
    return {(id - min) / step, count, fmt::format("Slurm array task {} (min {}, count {}, step {})", id, min, count, step)};
}

Shard from_kubernetes(const Environment& env, std::optional<std::size_t> shards) {
    const std::size_t index = variable(env, "JOB_COMPLETION_INDEX");
    std::size_t count = 0;
    if (shards) {
        count = *shards;
    } else if (env("HUBBENCH_SHARDS")) {
        count = variable(env, "HUBBENCH_SHARDS");
    } else {
        fail("JOB_COMPLETION_INDEX is set but the shard count is not: pass --shards N (the Job's completions) or set "
             "HUBBENCH_SHARDS");
    }
    if (count == 0) fail("the shard count is 0");
    if (index >= count) fail(fmt::format("JOB_COMPLETION_INDEX {} is not below the shard count {}", index, count));
    return {index, count, fmt::format("Kubernetes completion index {} of {}", index, count)};
}

}  // namespace

Environment process_environment() {
    return [](const std::string& name) -> std::optional<std::string> {
        const char* v = std::getenv(name.c_str());
        return v ? std::optional<std::string>(v) : std::nullopt;
    };
}

Shard resolve_shard(const std::string& spec, std::optional<std::size_t> shards, const Environment& env) {
    if (spec != "auto") {
        if (shards) throw Error(ErrorKind::usage, "--shards goes with --shard auto");
        const auto slash = spec.find('/');
        const auto i = slash == std::string::npos ? std::nullopt : parse_count(spec.substr(0, slash));
        const auto n = slash == std::string::npos ? std::nullopt : parse_count(spec.substr(slash + 1));
        if (!i || !n || *i < 1 || *n < 1 || *i > *n)
            throw Error(ErrorKind::usage, "--shard: expected I/N with 1 <= I <= N, or auto, got '" + spec + "'");
        return {*i - 1, *n, "--shard " + spec};
    }
    const bool slurm = env("SLURM_ARRAY_TASK_ID").has_value();
    const bool kubernetes = env("JOB_COMPLETION_INDEX").has_value();
    if (slurm && kubernetes) fail("both SLURM_ARRAY_TASK_ID and JOB_COMPLETION_INDEX are set; use --shard I/N");
    if (slurm) return from_slurm(env, shards);
    if (kubernetes) return from_kubernetes(env, shards);
    fail("neither SLURM_ARRAY_TASK_ID (a Slurm array job) nor JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) is set");
}

}  // namespace hubbench::harness
