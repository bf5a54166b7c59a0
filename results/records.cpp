#include "results/records.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

namespace hubbench::results {

namespace {

template <typename E, std::size_t N>
std::optional<E> parse(const std::array<std::pair<E, const char*>, N>& names, std::string_view text) {
    for (const auto& [value, name] : names) {
        if (text == name) return value;
    }
    return std::nullopt;
}

template <typename E, std::size_t N>
const char* name_of(const std::array<std::pair<E, const char*>, N>& names, E value) {
    for (const auto& [v, name] : names) {
        if (v == value) return name;
    }
    return "?";
}

// These spellings are what the schema's CHECK constraints accept.
constexpr std::array<std::pair<RunStatus, const char*>, 4> run_statuses{{
    {RunStatus::running, "running"}, {RunStatus::ok, "ok"}, {RunStatus::failed, "failed"},
    {RunStatus::interrupted, "interrupted"}}};
constexpr std::array<std::pair<ResultStatus, const char*>, 3> result_statuses{{
    {ResultStatus::ok, "ok"}, {ResultStatus::failed, "failed"}, {ResultStatus::skipped, "skipped"}}};
constexpr std::array<std::pair<TrialOutcome, const char*>, 3> trial_outcomes{{
    {TrialOutcome::selected, "selected"}, {TrialOutcome::skipped, "skipped"}, {TrialOutcome::failed, "failed"}}};

}  // namespace

const char* to_string(RunStatus status) { return name_of(run_statuses, status); }
const char* to_string(ResultStatus status) { return name_of(result_statuses, status); }
const char* to_string(TrialOutcome outcome) { return name_of(trial_outcomes, outcome); }
const char* to_string(Change change) {
    switch (change) {
        case Change::better: return "better";
        case Change::worse: return "worse";
        case Change::same: return "same";
        case Change::unknown: return "unknown";
    }
    return "?";
}

Change classify_change(const MetricPair& pair, double relative_tolerance) {
    if (!pair.a || !pair.b) return Change::unknown;
    auto direction = pair.b->higher_is_better ? pair.b->higher_is_better : pair.a->higher_is_better;
    double a = pair.a->value, b = pair.b->value;
    if (!direction || !std::isfinite(a) || !std::isfinite(b)) return Change::unknown;
    double noise = 0.0;
    if (pair.a->std_error && pair.b->std_error) {
        noise = 2.0 * std::sqrt(*pair.a->std_error * *pair.a->std_error + *pair.b->std_error * *pair.b->std_error);
    }
    double allowed = std::max(relative_tolerance * std::fabs(a), noise);
    if (std::fabs(b - a) <= allowed) return Change::same;
    return (b > a) == *direction ? Change::better : Change::worse;
}

std::optional<RunStatus> parse_run_status(std::string_view text) { return parse(run_statuses, text); }
std::optional<ResultStatus> parse_result_status(std::string_view text) { return parse(result_statuses, text); }
std::optional<TrialOutcome> parse_trial_outcome(std::string_view text) { return parse(trial_outcomes, text); }

}  // namespace hubbench::results
