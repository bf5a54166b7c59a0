// `hubbench run`: every task of a suite on every model, each result stored with its provenance.
// The plan (harness/plan.hpp) loads a model once, runs its tasks, then releases it. A result that
// is already in the database for the same key (model commit, task, dataset sha256, parameters,
// hubbench version) is not measured again unless `force`; so a run killed half-way resumes where
// it stopped. A model that fails to load or a task that fails is recorded with its reason and the
// run goes on; a task the model cannot do (an encoder asked for perplexity) is stored as skipped.
#pragma once
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "hub/client.hpp"
#include "results/records.hpp"
#include "suites/suite_file.hpp"

namespace hubbench::harness {

struct SuiteRunRequest {
    std::vector<std::string> models;      // what --model accepts: a folder or org/name[@revision]
    suites::SuiteFile suite;
    std::filesystem::path database = "hubbench.db";
    std::string label;                    // run label; default: the suite's name
    bool force = false;                   // re-measure results that are already stored
    int threads = 0;                      // compute threads; 0 = all cores
    // What native models multiply in (--dtype, else the suite's `dtype:`); bfloat16 and int8
    // results are keyed apart from float32 ones (harness/result_keys).
    engine::ComputeDtype dtype = engine::ComputeDtype::automatic;
    std::string api_key_env{};  // served models: the variable holding the API key (--api-key-env)
    std::size_t shard_index = 0;          // this process runs models i with i % shard_count == shard_index
    std::size_t shard_count = 1;
    // The night this run belongs to (`hubbench nightly`); "" for none. A night reuses only what
    // its own runs measured (a killed shard resumes), never an earlier night's results.
    std::string night;
    std::vector<std::string> command_line;
    std::vector<results::TrialRecord> trials;  // what a preceding search decided (compare)
    // When set, a model named by repo id is downloaded by a "pull" job of its own through this
    // client (its failure is recorded as a trial of stage "pull"); otherwise the adapter resolves
    // it from the environment's cache and endpoint.
    hub::HubClient* hub_client = nullptr;
};

struct SuiteRunOutcome {
    results::RunId run;
    results::RunStatus status = results::RunStatus::ok;
    std::size_t measured = 0;   // results computed and stored by this run
    std::size_t reused = 0;     // results found in the database and not measured again
    std::size_t skipped = 0;    // tasks the model cannot do
    std::size_t failed = 0;     // tasks or model loads that failed
};

// One line per finished job, for the CLI to print ("ok  eval fixtures/tiny-gpt2 perplexity 3.2 s").
using JobReporter = std::function<void(const std::string& line)>;

// What a run may reuse: results of any run, or with a night id only the night's (find_result).
inline std::optional<std::string> night_scope(const SuiteRunRequest& request) {
    return request.night.empty() ? std::nullopt : std::optional(request.night);
}

SuiteRunOutcome run_suite(const SuiteRunRequest& request, const JobReporter& report = {});

}  // namespace hubbench::harness
