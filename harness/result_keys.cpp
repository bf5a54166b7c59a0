#include "harness/result_keys.hpp"

#include <fmt/format.h>

#include "hub/hash.hpp"
#include "results/canonical_json.hpp"
#include "suites/task.hpp"

namespace hubbench::harness {

std::string job_name(const suites::TaskSpec& spec) {
    std::string text = spec.task;
    const auto& row_param = suites::task_entry(spec.task).row_param;
    if (!row_param.empty() && spec.params.contains(row_param)) {
        const auto& v = spec.params[row_param];
        text += fmt::format(" {}={}", row_param, v.is_string() ? v.get<std::string>() : v.dump());
    }
    if (spec.params.contains("max_length")) text += fmt::format(" L={}", spec.params["max_length"].dump());
    if (!spec.dataset.empty()) text += " " + (spec.dataset.bundled.empty() ? spec.dataset.path.filename().string() : spec.dataset.bundled);
    return text;
}

results::DatasetRecord dataset_record(const suites::TaskSpec& spec) {
    suites::DatasetRef ref = spec.dataset.empty() ? suites::default_dataset(spec.task) : spec.dataset;
    if (ref.empty()) return {"synthetic token ids", "", hub::sha256_hex(""), 0};
    suites::Dataset data = suites::load_dataset(ref);
    return {data.name, data.path.string(), data.sha256, static_cast<std::int64_t>(data.bytes)};
}

results::ResultKey result_key(const results::ModelRef& model, const suites::TaskSpec& row, const results::DatasetRecord& dataset,
                              int threads, const std::string& compute_dtype) {
    results::ResultKey key;
    key.model = model;
    key.task = row.task;
    key.dataset_sha256 = dataset.sha256;
    nlohmann::json key_params = row.params;
    // Quality results do not depend on the thread count (tests hold them to 1e-6); speed does.
    if (suites::task_entry(row.task).keyed_by_threads) key_params["threads"] = threads;
    // bfloat16 and int8 compute are rows of their own; float32 (the default, and every result from
    // before --dtype) carries no key, so earlier databases resume as they did. Served models have
    // no compute dtype ("").
    if (!compute_dtype.empty() && compute_dtype != "float32") key_params["dtype"] = compute_dtype;
    key.parameters = results::canonical_json(key_params);
    return key;
}

}  // namespace hubbench::harness
