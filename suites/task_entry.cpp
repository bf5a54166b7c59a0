#include "suites/task_entry.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "core/error.hpp"

namespace hubbench::suites {
namespace {

std::string join(const std::vector<std::string>& items) {
    std::string text;
    for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
    return text;
}

bool is_count(const nlohmann::json& v) {
    return v.is_number_unsigned() || (v.is_number_integer() && v.get<long long>() >= 0);
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

// Checks one value against its declaration; the message names the task and the parameter.
void check_value(const TaskEntry& entry, const ParamSpec& spec, const nlohmann::json& value) {
    auto fail = [&](const std::string& what) {
        throw Error(ErrorKind::usage, entry.name + ": " + spec.name + " " + what + ", got " + value.dump());
    };
    auto check_choice = [&](const nlohmann::json& v) {
        if (!v.is_string()) fail("must be text");
        const auto text = v.get<std::string>();
        if (!spec.choices.empty() && std::find(spec.choices.begin(), spec.choices.end(), text) == spec.choices.end()) {
            throw Error(ErrorKind::usage, entry.name + ": " + spec.name + " must be one of " + join(spec.choices) +
                                              ", got '" + text + "'");
        }
    };
    switch (spec.type) {
        case ParamType::count:
            if (!is_count(value)) fail("must be a whole number >= 0");
            return;
        case ParamType::number:
            if (!value.is_number() || !(value.get<double>() >= 0.0) || !std::isfinite(value.get<double>())) fail("must be a number >= 0");
            return;
        case ParamType::counts:
            if (value.is_array()) {
                if (value.empty()) fail("needs at least one value");
                for (const auto& v : value)
                    if (!is_count(v)) fail("must be whole numbers >= 0");
            } else if (!is_count(value)) {
                fail("must be a whole number >= 0 or a list of them");
            }
            return;
        case ParamType::text:
            check_choice(value);
            return;
        case ParamType::texts:
            if (value.is_array()) {
                if (value.empty()) fail("needs at least one value");
                for (const auto& v : value) check_choice(v);
            } else {
                check_choice(value);
            }
            return;
        case ParamType::map:
            if (!value.is_object()) fail("must be a map of texts to texts");
            for (const auto& [k, v] : value.items()) {
                if (!v.is_string()) fail("must map texts to texts ('" + k + "' maps to " + v.dump() + ")");
            }
            return;
    }
}

// Where each task's time went, appended to every result by the harness (tokenize / forward /
// score seconds, from adapters::PhaseTimings).
const std::vector<MetricSpec>& phase_metrics() {
    static const std::vector<MetricSpec> specs = {
        metric("tokenize_seconds", "tokenize time", "s", lower, {.speed = true, .auxiliary = true}),
        metric("forward_seconds", "forward time", "s", lower, {.speed = true, .auxiliary = true}),
        metric("score_seconds", "scoring time", "s", lower, {.speed = true, .auxiliary = true}),
    };
    return specs;
}

}  // namespace

MetricSpec metric(std::string name, std::string label, std::string unit, Direction direction, MetricFlags flags) {
    MetricSpec spec;
    spec.name = std::move(name);
    spec.per_length = flags.per_length;
    results::MetricMeaning& m = spec.meaning;
    m.label = std::move(label);
    m.unit = std::move(unit);
    if (direction != no_direction) m.higher_is_better = direction == higher;
    m.pseudo = flags.pseudo;
    m.speed = flags.speed;
    m.auxiliary = flags.auxiliary;
    m.headline = std::move(flags.headline);
    m.headline_rank = flags.headline_rank;
    return spec;
}

MetricSpec count_metric(std::string name, std::string label, std::string unit) {
    return metric(std::move(name), std::move(label), std::move(unit), no_direction, {.auxiliary = true});
}

const ParamSpec* TaskEntry::param(std::string_view name) const {
    for (const auto& p : params)
        if (p.name == name) return &p;
    return nullptr;
}

std::optional<results::MetricMeaning> TaskEntry::meaning(std::string_view metric) const {
    const auto& phases = phase_metrics();
    for (std::size_t i = 0; i < metrics.size() + phases.size(); ++i) {
        const MetricSpec& spec = i < metrics.size() ? metrics[i] : phases[i - metrics.size()];
        results::MetricMeaning m = spec.meaning;
        m.position = static_cast<int>(i) * 10;
        if (!spec.per_length) {
            if (metric == spec.name) return m;
            continue;
        }
        const std::string_view prefix = spec.name;
        if (metric.size() > prefix.size() + 1 && metric.substr(0, prefix.size()) == prefix &&
            metric[prefix.size()] == '_' && all_digits(metric.substr(prefix.size() + 1))) {
            const std::string_view length = metric.substr(prefix.size() + 1);
            m.label += " @" + std::string(length);
            // The longest length is the headline figure: throughput has settled there.
            int rank = 0;
            for (char c : length) rank = std::min(rank * 10 + (c - '0'), 99'999'999);
            m.headline_rank = rank;
            return m;
        }
    }
    return std::nullopt;
}

Params::Params(const TaskEntry& entry, const nlohmann::json& values)
    : entry_(entry), values_(values.is_null() ? nlohmann::json::object() : values) {
    if (!values_.is_object()) throw Error(ErrorKind::usage, entry.name + ": parameters must be a map of names to values");
    for (const auto& [key, value] : values_.items()) {
        const ParamSpec* spec = entry.param(key);
        if (spec == nullptr) {
            std::vector<std::string> known;
            for (const auto& p : entry.params) known.push_back(p.name);
            std::sort(known.begin(), known.end());
            throw Error(ErrorKind::usage, entry.name + ": unknown parameter '" + key + "' (known: " + join(known) + ")");
        }
        if (!value.is_null()) check_value(entry, *spec, value);
    }
}

const ParamSpec& Params::spec(const std::string& name) const {
    const ParamSpec* spec = entry_.param(name);
    if (spec == nullptr) throw Error(ErrorKind::internal, entry_.name + ": reads undeclared parameter '" + name + "'");
    return *spec;
}

bool Params::has(const std::string& name) const {
    spec(name);
    auto it = values_.find(name);
    return it != values_.end() && !it->is_null();
}

std::size_t Params::count(const std::string& name, std::size_t fallback) const {
    spec(name);
    if (!has(name)) return fallback;
    return values_[name].get<std::size_t>();
}

double Params::number(const std::string& name, double fallback) const {
    spec(name);
    if (!has(name)) return fallback;
    return values_[name].get<double>();
}

std::vector<std::size_t> Params::counts(const std::string& name, std::vector<std::size_t> fallback) const {
    spec(name);
    if (!has(name)) return fallback;
    const auto& v = values_[name];
    if (!v.is_array()) return {v.get<std::size_t>()};
    std::vector<std::size_t> out;
    for (const auto& x : v) out.push_back(x.get<std::size_t>());
    return out;
}

std::string Params::text(const std::string& name, std::string fallback) const {
    spec(name);
    if (!has(name)) return fallback;
    return values_[name].get<std::string>();
}

std::vector<std::string> Params::texts(const std::string& name, std::vector<std::string> fallback) const {
    spec(name);
    if (!has(name)) return fallback;
    const auto& v = values_[name];
    if (!v.is_array()) return {v.get<std::string>()};
    std::vector<std::string> out;
    for (const auto& x : v) out.push_back(x.get<std::string>());
    return out;
}

std::vector<std::pair<std::string, std::string>> Params::map(const std::string& name) const {
    spec(name);
    std::vector<std::pair<std::string, std::string>> out;
    if (!has(name)) return out;
    for (const auto& [k, v] : values_[name].items()) out.emplace_back(k, v.get<std::string>());
    return out;
}

}  // namespace hubbench::suites
