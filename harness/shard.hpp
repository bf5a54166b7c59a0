// Which share of a run's models this process measures: `--shard I/N` as written, or `--shard auto`
// from the scheduler's environment, so one job script serves every task of an array:
//   Slurm array job      SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN, SLURM_ARRAY_TASK_COUNT (and
//                        SLURM_ARRAY_TASK_STEP for --array=A-B:S): shard (ID - MIN) / STEP of COUNT
//   Kubernetes Indexed Job  JOB_COMPLETION_INDEX (0-based) of --shards N, else HUBBENCH_SHARDS
// Anything missing, malformed or inconsistent is Error(usage) naming the variable or option.
#pragma once
#include <cstddef>
#include <functional>
#include <optional>
#include <string>

namespace hubbench::harness {

struct Shard {
    std::size_t index = 0;  // 0-based
    std::size_t count = 1;
    std::string source;     // "--shard 2/4", "Slurm array task 3 (min 0, count 4)", ...
};

// Looks an environment variable up (std::getenv in the CLI; a map in tests); nullopt when unset.
using Environment = std::function<std::optional<std::string>(const std::string& name)>;
Environment process_environment();

// `spec` is "I/N" (1 <= I <= N) or "auto"; `shards` is --shards when given.
Shard resolve_shard(const std::string& spec, std::optional<std::size_t> shards, const Environment& env);

}  // namespace hubbench::harness
