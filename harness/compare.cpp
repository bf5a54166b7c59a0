#include "harness/compare.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/log.hpp"
#include "engine/config.hpp"
#include "results/canonical_json.hpp"

namespace hubbench::harness {
namespace {

std::string supported_list() {
    std::string list;
    for (const auto& t : engine::supported_model_types()) list += (list.empty() ? "" : ", ") + t;
    return list;
}

bool has_safetensors(const hub::ModelInfo& info) {
    if (info.params) return true;
    return std::any_of(info.siblings.begin(), info.siblings.end(), [](const std::string& f) {
        return f.size() > 12 && f.compare(f.size() - 12, 12, ".safetensors") == 0;
    });
}

nlohmann::json trial_details(const hub::ModelSummary& m) {
    nlohmann::json j = nlohmann::json::object();
    j["pipeline_tag"] = m.pipeline_tag;
    j["downloads"] = m.downloads;
    j["likes"] = m.likes;
    j["license"] = m.license;
    if (m.params) j["params"] = *m.params;
    return j;
}

}  // namespace

std::optional<std::string> screen_candidate(const hub::ModelInfo& info, bool have_token) {
    if (info.gated != "false" && !have_token) {
        return info.id + " is gated: accept its licence on the Hub and set HF_TOKEN";
    }
    std::string model_type;
    if (info.config.is_object() && info.config.contains("model_type") && info.config["model_type"].is_string()) {
        model_type = info.config["model_type"].get<std::string>();
    }
    if (model_type.empty()) return "no config.json model_type: not a transformers model hubbench can run";
    const auto& supported = engine::supported_model_types();
    if (std::find(supported.begin(), supported.end(), model_type) == supported.end()) {
        return "model_type '" + model_type + "' is not supported by the native adapter (supported: " + supported_list() + ")";
    }
    if (!has_safetensors(info)) return "no safetensors weights (only safetensors are loaded, never pickles)";
    return std::nullopt;
}

CompareOutcome select_candidates(CompareRequest& request, hub::HubClient& client, const JobReporter& report) {
    CompareOutcome outcome;
    std::set<std::string> seen;
    std::vector<hub::ModelSummary> candidates;
    for (const auto& query : request.searches) {
        for (auto& m : client.search(query)) {
            if (seen.insert(m.id).second) candidates.push_back(std::move(m));
        }
    }
    outcome.considered = candidates.size();
    if (candidates.empty()) throw Error(ErrorKind::not_found, "the search found no candidate models");

    const bool have_token = client.options().token.has_value();
    for (const auto& candidate : candidates) {
        throw_if_interrupted();
        results::TrialRecord trial;
        trial.repo_id = candidate.id;
        trial.stage = "search";
        trial.details = results::canonical_json(trial_details(candidate));
        std::optional<std::string> reason;
        std::string commit = candidate.sha;
        try {
            hub::ModelInfo info = client.model_info(candidate.id, candidate.sha.empty() ? "main" : candidate.sha);
            commit = info.sha;
            reason = screen_candidate(info, have_token);
        } catch (const Error& e) {
            if (e.kind() == ErrorKind::interrupted) throw;
            reason = e.what();
        }
        if (!commit.empty()) trial.commit_sha = commit;
        if (reason) {
            trial.outcome = results::TrialOutcome::skipped;
            trial.reason = *reason;
            if (report) report(fmt::format("{:<7} {}: {}", "skip", candidate.id, *reason));
        } else {
            trial.outcome = results::TrialOutcome::selected;
            request.run.models.push_back(commit.empty() ? candidate.id : candidate.id + "@" + commit);
            ++outcome.selected;
            if (report) report(fmt::format("{:<7} {}", "select", candidate.id));
        }
        request.run.trials.push_back(std::move(trial));
    }
    if (request.run.models.empty()) {
        throw Error(ErrorKind::not_found,
                    fmt::format("none of the {} candidates can be run (see `hubbench search`); supported: {}",
                                candidates.size(), supported_list()));
    }
    request.run.hub_client = &client;
    return outcome;
}

CompareOutcome compare_models(CompareRequest request, hub::HubClient& client, const JobReporter& report) {
    CompareOutcome outcome = select_candidates(request, client, report);
    outcome.run = run_suite(request.run, report);
    return outcome;
}

}  // namespace hubbench::harness
