#include "suites/result.hpp"

#include <cmath>

#include "core/error.hpp"

namespace hubbench::suites {
namespace {

// JSON has no NaN or infinity: a correlation of a constant column is reported as null.
nlohmann::json number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

}  // namespace

void SuiteResult::add(std::string name, double value, std::optional<double> std_error) {
    metrics.push_back({std::move(name), value, std_error});
}

const Metric* SuiteResult::find(const std::string& name) const {
    for (const auto& m : metrics) {
        if (m.name == name) return &m;
    }
    return nullptr;
}

double SuiteResult::value(const std::string& name) const {
    if (const Metric* m = find(name)) return m->value;
    throw Error(ErrorKind::not_found, task + ": no metric named '" + name + "'");
}

nlohmann::json to_json(const SuiteResult& result, const adapters::ModelInfo& model) {
    nlohmann::json j = nlohmann::json::object();
    j["model"] = model.id;
    j["model_revision"] = model.revision.empty() ? nlohmann::json(nullptr) : nlohmann::json(model.revision);
    j["task"] = result.task;
    // What a native model multiplied in ("float32", "bfloat16", "int8"); null for a served model.
    j["compute_dtype"] = model.compute_dtype.empty() ? nlohmann::json(nullptr) : nlohmann::json(model.compute_dtype);
    j["params"] = result.params;
    if (result.skipped) {
        j["skipped"] = *result.skipped;
    } else {
        nlohmann::json metrics = nlohmann::json::object();
        for (const auto& m : result.metrics) {
            metrics[m.name] = number(m.value);
            if (m.std_error) metrics[m.name + "_stderr"] = number(*m.std_error);
        }
        metrics["tokenize_seconds"] = result.timings.tokenize;
        metrics["forward_seconds"] = result.timings.forward;
        metrics["score_seconds"] = result.timings.score;
        j["metrics"] = std::move(metrics);
    }
    j["n"] = result.n;
    j["seconds"] = result.seconds;
    return j;
}

}  // namespace hubbench::suites
