#include "suites/task.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace hubbench::suites {

const TaskEntry& task_entry(const std::string& name) {
    for (const TaskEntry* entry : task_entries()) {
        if (entry->name == name) return *entry;
    }
    std::string list;
    for (const auto& t : task_names()) list += (list.empty() ? "" : ", ") + t;
    throw Error(ErrorKind::usage, "unknown task '" + name + "' (tasks: " + list + ")");
}

std::vector<std::string> task_names() {
    std::vector<std::string> names;
    for (const TaskEntry* entry : task_entries()) names.push_back(entry->name);
    return names;
}

DatasetRef default_dataset(const std::string& task) { return task_entry(task).default_dataset; }

void check_task(const TaskSpec& spec) { Params(task_entry(spec.task), spec.params); }

std::vector<TaskSpec> result_rows(const TaskSpec& spec) {
    const TaskEntry& entry = task_entry(spec.task);
    if (entry.row_param.empty()) return {spec};
    auto it = spec.params.find(entry.row_param);
    if (it == spec.params.end() || !it->is_array()) return {spec};
    std::vector<TaskSpec> rows;
    for (const auto& value : *it) {
        TaskSpec row = spec;
        row.params[entry.row_param] = value;
        rows.push_back(std::move(row));
    }
    return rows;
}

TaskSpec join_rows(const TaskSpec& spec, const std::vector<TaskSpec>& rows) {
    if (rows.size() == 1) return rows.front();
    const TaskEntry& entry = task_entry(spec.task);
    TaskSpec joined = spec;
    nlohmann::json values = nlohmann::json::array();
    for (const auto& row : rows) values.push_back(row.params.at(entry.row_param));
    joined.params[entry.row_param] = std::move(values);
    return joined;
}

SuiteResult skipped_result(const std::string& task, nlohmann::json params, std::string reason) {
    SuiteResult r;
    r.task = task;
    r.params = std::move(params);
    r.skipped = std::move(reason);
    return r;
}

TaskSpec complete_for_model(const TaskSpec& spec, const adapters::Adapter& adapter) {
    const TaskEntry& entry = task_entry(spec.task);
    TaskSpec out = spec;
    if (entry.complete_for_model != nullptr) entry.complete_for_model(adapter, out.params, out.dataset);
    return out;
}

std::vector<SuiteResult> run_task(adapters::Adapter& adapter, const TaskSpec& given, const RunOptions& options) {
    const TaskEntry& entry = task_entry(given.task);
    const TaskSpec spec = complete_for_model(given, adapter);
    const Params params(entry, spec.params);
    TaskInput input{entry, params, spec.dataset.empty() ? entry.default_dataset : spec.dataset, options.fit_to_model};
    auto results = entry.run(adapter, input);

    const std::size_t rows = result_rows(spec).size();
    if (results.size() != rows) {
        throw Error(ErrorKind::internal, entry.name + ": " + std::to_string(rows) + " result rows asked for, " +
                                             std::to_string(results.size()) + " returned");
    }
    for (const auto& r : results) {
        for (const auto& m : r.metrics) {
            if (!entry.meaning(m.name)) {
                throw Error(ErrorKind::internal, entry.name + ": metric '" + m.name + "' is not declared in its task entry");
            }
        }
    }
    return results;
}

std::vector<SuiteResult> run_task_or_skip(adapters::Adapter& adapter, const TaskSpec& spec, const RunOptions& options) {
    try {
        return run_task(adapter, spec, options);
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::unsupported) throw;
        std::vector<SuiteResult> skipped;
        for (const auto& row : result_rows(spec)) skipped.push_back(skipped_result(spec.task, row.params, e.what()));
        return skipped;
    }
}

}  // namespace hubbench::suites
