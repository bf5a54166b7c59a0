// `hubbench compare`: search the Hub for candidates, keep those hubbench can run (a supported
// architecture with safetensors weights, not gated without a token), record every decision as a
// trial, then run a suite on the selected ones (pinned to the commit the search saw) through the
// suite runner, which pulls each model as a job of the plan.
#pragma once
#include <cstddef>
#include <vector>

#include "harness/suite_runner.hpp"
#include "hub/client.hpp"

namespace hubbench::harness {

struct CompareRequest {
    std::vector<hub::SearchQuery> searches;  // one per task asked for; candidates are merged
    SuiteRunRequest run;                     // suite, database, threads, label; models are filled in
};

struct CompareOutcome {
    std::size_t considered = 0;   // distinct candidates the searches returned
    std::size_t selected = 0;
    SuiteRunOutcome run;
};

// Decides whether hubbench can run a candidate; nullopt when it can, else the reason.
std::optional<std::string> screen_candidate(const hub::ModelInfo& info, bool have_token);

// The search and the screening alone: fills request.run.models (pinned to the commit the search
// saw), its trials and hub_client; nothing is pulled or written. compare_models's first half, and
// what `compare --dry-run` previews.
CompareOutcome select_candidates(CompareRequest& request, hub::HubClient& client, const JobReporter& report = {});

CompareOutcome compare_models(CompareRequest request, hub::HubClient& client, const JobReporter& report = {});

}  // namespace hubbench::harness
