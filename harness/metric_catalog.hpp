// What the results store should know about each metric a suite reports: its unit and which
// direction is better, so reports can flag regressions. Suites name metrics; this table gives them
// meaning. Unknown names are stored without unit or direction (reports then show no verdict).
#pragma once
#include <optional>
#include <string>

namespace hubbench::harness {

struct MetricMeaning {
    std::optional<std::string> unit;
    std::optional<bool> higher_is_better;
};

MetricMeaning metric_meaning(const std::string& name);

}  // namespace hubbench::harness
