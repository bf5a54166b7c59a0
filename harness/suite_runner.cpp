#include "harness/suite_runner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <optional>

#include "adapters/open.hpp"
#include "adapters/remote/openai_adapter.hpp"
#include "core/error.hpp"
#include "core/fs.hpp"
#include "hub/names.hpp"
#include "hub/model_card.hpp"
#include "core/interrupt.hpp"
#include "core/log.hpp"
#include "harness/model_identity.hpp"
#include "harness/plan.hpp"
#include "harness/result_keys.hpp"
#include "results/provenance.hpp"
#include "results/store.hpp"
#include "suites/task.hpp"

namespace hubbench::harness {
namespace {

// The licence from the model card's front matter (README.md), as the Hub shows it.
std::optional<std::string> model_licence(const std::filesystem::path& dir) {
    std::error_code ec;
    if (dir.empty() || !std::filesystem::exists(dir / "README.md", ec)) return std::nullopt;
    try {
        nlohmann::json card = hub::parse_model_card(read_file(dir / "README.md"), (dir / "README.md").string());
        if (card.is_object() && card.contains("license") && card["license"].is_string()) return card["license"].get<std::string>();
    } catch (const Error& e) {
        log::warn("{}", e.what());  // a broken model card must not stop the benchmark
    }
    return std::nullopt;
}

// Everything one model's jobs share: the open adapter and what the store knows it as.
struct LoadedModel {
    std::unique_ptr<adapters::Adapter> adapter;
    results::ModelRef ref;
    std::size_t evals_left = 0;
};

class SuiteRun {
public:
    SuiteRun(const SuiteRunRequest& request, const JobReporter& report)
        : request_(request), report_(report), store_(request.database) {}

    SuiteRunOutcome execute() {
        const std::string label = request_.label.empty() ? request_.suite.name : request_.label;
        auto info = results::current_run_info(request_.command_line, "OpenBLAS", request_.threads, label);
        info.night = request_.night;
        if (request_.shard_count > 1) info.shard = fmt::format("{}/{}", request_.shard_index + 1, request_.shard_count);
        outcome_.run = store_.begin_run(info);
        for (const auto& trial : request_.trials) store_.record_trial(outcome_.run, trial);

        const auto& tasks = request_.suite.tasks;
        Plan plan;
        for (std::size_t m = 0; m < request_.models.size(); ++m) {
            if (m % request_.shard_count != request_.shard_index) continue;
            const std::string& spec = request_.models[m];
            JobId load = plan.add("load " + spec, spec, [this, spec, n = tasks.size()] { load_model(spec, n); });
            // A repo id is pulled (its revision resolved against the Hub) when the caller gave a
            // client; a folder is read where it is and a served model is asked over HTTP.
            if (request_.hub_client != nullptr && !std::filesystem::is_directory(spec) && !adapters::is_remote_spec(spec)) {
                JobId pull = plan.add("pull " + spec, spec, [this, spec] { pull_model(spec); });
                plan.depends(load, pull);
            }
            for (const auto& task : tasks) {
                JobId eval = plan.add("eval " + spec + " " + job_name(task), spec, [this, spec, task] { evaluate(spec, task); });
                plan.depends(eval, load);
            }
        }

        Plan::Observer observer;
        observer.on_finish = [this](const Job& job) { on_finish(job); };
        try {
            plan.execute(observer);
        } catch (const Error& e) {
            if (e.kind() == ErrorKind::interrupted) {
                outcome_.status = results::RunStatus::interrupted;
                store_.finish_run(outcome_.run, outcome_.status);
            }
            throw;
        }
        outcome_.status = outcome_.failed > 0 ? results::RunStatus::failed : results::RunStatus::ok;
        store_.finish_run(outcome_.run, outcome_.status);
        return outcome_;
    }

private:
    void record_failure(const std::string& spec, const std::string& stage, const Error& e) {
        results::TrialRecord trial;
        trial.repo_id = spec;
        trial.stage = stage;
        trial.outcome = results::TrialOutcome::failed;
        trial.reason = e.what();
        store_.record_trial(outcome_.run, trial);
    }

    void pull_model(const std::string& spec) {
        hub::RepoSpec repo = hub::parse_repo_spec(spec);
        try {
            snapshots_[spec] = request_.hub_client->pull(repo.repo_id, repo.revision.empty() ? "main" : repo.revision);
        } catch (const Error& e) {
            if (e.kind() != ErrorKind::interrupted) record_failure(spec, "pull", e);
            throw;
        }
    }

    void load_model(const std::string& spec, std::size_t n_tasks) {
        adapters::OpenOptions options;
        options.threads = request_.threads;
        options.dtype = request_.dtype;
        options.api_key_env = request_.api_key_env;
        LoadedModel loaded;
        try {
            auto pulled = snapshots_.find(spec);
            loaded.adapter = adapters::open_model(pulled != snapshots_.end() ? pulled->second.string() : spec, options);
        } catch (const Error& e) {
            if (e.kind() != ErrorKind::interrupted) record_failure(spec, "load", e);
            throw;
        }
        const adapters::ModelInfo& info = loaded.adapter->info();
        loaded.ref.repo_id = info.id;
        loaded.ref.commit_sha = info.revision.empty() ? local_model_revision(info.dir) : info.revision;

        results::ModelRecord record;
        record.repo_id = loaded.ref.repo_id;
        record.commit_sha = loaded.ref.commit_sha;
        record.architecture = info.architecture;
        record.model_type = info.model_type;
        record.parameters = static_cast<std::int64_t>(info.parameters);
        record.dtype = info.dtype;
        record.kind = info.kind;
        record.size_bytes = static_cast<std::int64_t>(info.size_bytes);
        record.licence = model_licence(info.dir);
        store_.upsert_model(record);
        loaded.evals_left = n_tasks;
        models_[spec] = std::move(loaded);
    }

    results::DatasetRecord dataset_for(const suites::TaskSpec& spec) {
        suites::DatasetRef ref = spec.dataset.empty() ? suites::default_dataset(spec.task) : spec.dataset;
        const std::string where = ref.empty() ? "" : ref.resolve().string();
        auto it = datasets_.find(where);
        if (it != datasets_.end()) return it->second;
        return datasets_[where] = dataset_record(spec);
    }

    results::ResultKey key_of(const LoadedModel& model, const suites::TaskSpec& row, const results::DatasetRecord& dataset) {
        return result_key(model.ref, row, dataset, model.adapter->threads(), model.adapter->info().compute_dtype);
    }

    // What the task and every metric of `result` mean, from the registry, stored before the result
    // so that reports read them from the database.
    void describe(const suites::TaskEntry& entry, const suites::SuiteResult& result) {
        results::TaskMeaning task{entry.name, entry.label, 0, entry.primary_metric};
        const auto& entries = suites::task_entries();
        task.position = static_cast<int>(std::find(entries.begin(), entries.end(), &entry) - entries.begin());
        std::vector<results::MetricMeaningRow> meanings;
        for (const auto& m : result.metrics) meanings.push_back({entry.name, m.name, *entry.meaning(m.name)});
        for (const char* phase : {"tokenize_seconds", "forward_seconds", "score_seconds"}) {
            if (result.find(phase) == nullptr) meanings.push_back({entry.name, phase, *entry.meaning(phase)});
        }
        store_.describe_task(task, meanings);
    }

    // Stores one row's result; returns the error of a row stored as failed, else empty.
    std::string store(const suites::TaskEntry& entry, const results::ResultKey& key, const suites::SuiteResult& result) {
        results::ResultRecord record;
        record.key = key;
        record.seconds = result.seconds;
        if (result.skipped) {
            record.status = results::ResultStatus::skipped;
            record.error = *result.skipped;
            ++outcome_.skipped;
            store_.record_result(outcome_.run, record);
            return {};
        }
        // A NaN figure is not a measurement (the store refuses it): a Spearman correlation of a
        // model that gives every pair the same similarity, a loss of non-finite logits. The row
        // is a failed result naming the metric, so the night's verdict counts it (exit 4).
        for (const auto& m : result.metrics) {
            if (!std::isnan(m.value)) continue;
            record.status = results::ResultStatus::failed;
            record.error = fmt::format("{} is NaN: undefined for this model's outputs (a correlation of constant scores, "
                                       "or non-finite logits)", m.name);
            ++outcome_.failed;
            store_.record_result(outcome_.run, record);
            return record.error;
        }
        describe(entry, result);
        for (const auto& m : result.metrics) {
            const results::MetricMeaning meaning = *entry.meaning(m.name);  // run_task checked it is declared
            record.metrics.push_back({m.name, m.value, m.std_error, static_cast<std::int64_t>(result.n), meaning.unit,
                                      meaning.higher_is_better});
        }
        // Where the time went, stored like any metric so reports can show it.
        for (auto [name, value] : {std::pair{"tokenize_seconds", result.timings.tokenize},
                                   std::pair{"forward_seconds", result.timings.forward},
                                   std::pair{"score_seconds", result.timings.score}}) {
            if (result.find(name) == nullptr) record.metrics.push_back({name, value, std::nullopt, 1, "s", false});
        }
        record.samples = result.samples;
        ++outcome_.measured;
        store_.record_result(outcome_.run, record);
        return {};
    }

    // One job per task spec: the rows it asks for (perplexity strides, classification methods)
    // that the database lacks are computed in one pass and stored each under its own key.
    void evaluate(const std::string& spec, const suites::TaskSpec& given) {
        LoadedModel& model = models_.at(spec);
        const suites::TaskSpec task = suites::complete_for_model(given, *model.adapter);
        // Released after its last task, whatever happened to the others.
        struct Release {
            SuiteRun& run;
            const std::string& spec;
            ~Release() {
                auto it = run.models_.find(spec);
                if (it != run.models_.end() && --it->second.evals_left == 0) run.models_.erase(it);
            }
        } release{*this, spec};

        const suites::TaskEntry& entry = suites::task_entry(task.task);
        const results::DatasetRecord dataset = dataset_for(task);
        store_.upsert_dataset(dataset);
        std::vector<suites::TaskSpec> missing;
        std::vector<results::ResultKey> keys;
        std::vector<std::int64_t> reused_from;
        for (const auto& row : suites::result_rows(task)) {
            results::ResultKey key = key_of(model, row, dataset);
            if (!request_.force) {
                if (auto done = store_.find_result(key, night_scope(request_))) {
                    store_.record_reuse(outcome_.run, done->id);
                    ++outcome_.reused;
                    reused_from.push_back(done->run.value);
                    continue;
                }
            }
            missing.push_back(row);
            keys.push_back(std::move(key));
        }
        if (missing.empty()) {
            last_status_ = "reused";
            last_note_ = fmt::format("already measured in run {}", reused_from.front());
            return;
        }
        suites::RunOptions options;
        options.fit_to_model = true;
        std::vector<suites::SuiteResult> produced;
        try {
            produced = suites::run_task_or_skip(*model.adapter, suites::join_rows(task, missing), options);
        } catch (const Error& e) {
            if (e.kind() == ErrorKind::interrupted) throw;  // nothing stored: the next run redoes it
            for (const auto& key : keys) {
                results::ResultRecord failed;
                failed.key = key;
                failed.status = results::ResultStatus::failed;
                failed.error = e.what();
                store_.record_result(outcome_.run, failed);
                ++outcome_.failed;
            }
            throw;
        }
        std::size_t not_applicable = 0;
        std::string reason;
        std::string failure;
        for (std::size_t i = 0; i < keys.size(); ++i) {
            std::string error = store(entry, keys[i], produced.at(i));
            if (failure.empty()) failure = std::move(error);
            if (produced[i].skipped) {
                if (not_applicable++ == 0) reason = *produced[i].skipped;
            }
        }
        if (!failure.empty()) throw Error(ErrorKind::invalid_input, failure);  // the job's line says failed
        // One line per job: "n/a" when the model can do none of its rows, else what happened to them.
        if (not_applicable == keys.size() && reused_from.empty()) {
            last_status_ = "n/a";
            last_note_ = reason;
        } else if (not_applicable > 0 || !reused_from.empty()) {
            last_note_ = fmt::format("{} measured, {} reused, {} not applicable{}", keys.size() - not_applicable, reused_from.size(),
                                     not_applicable, reason.empty() ? "" : " (" + reason + ")");
        }
    }

    void on_finish(const Job& job) {
        if (job.status == JobStatus::skipped) ++outcome_.failed;  // a task whose model did not load
        if (job.status == JobStatus::failed && (job.name.rfind("load ", 0) == 0 || job.name.rfind("pull ", 0) == 0)) ++outcome_.failed;
        if (report_) {
            const std::string status = job.status == JobStatus::ok && !last_status_.empty() ? last_status_ : job_status_name(job.status);
            std::string line = fmt::format("{:<7} {} ({:.1f} s)", status, job.name, job.seconds);
            if (!job.reason.empty()) line += ": " + job.reason;
            else if (!last_note_.empty()) line += ": " + last_note_;
            report_(line);
        }
        last_note_.clear();
        last_status_.clear();
    }

    const SuiteRunRequest& request_;
    const JobReporter& report_;
    results::ResultStore store_;
    SuiteRunOutcome outcome_;
    std::map<std::string, LoadedModel> models_;
    std::map<std::string, std::filesystem::path> snapshots_;  // pulled models: spec -> snapshot folder
    std::map<std::string, results::DatasetRecord> datasets_;
    std::string last_status_;  // "reused" or "n/a" when an ok job did not measure
    std::string last_note_;
};

}  // namespace

SuiteRunOutcome run_suite(const SuiteRunRequest& request, const JobReporter& report) {
    if (request.shard_count == 0 || request.shard_index >= request.shard_count) {
        throw Error(ErrorKind::usage, fmt::format("shard {}/{} is not valid", request.shard_index + 1, request.shard_count));
    }
    if (request.models.empty()) throw Error(ErrorKind::usage, "no models to run");
    SuiteRun run(request, report);
    return run.execute();
}

}  // namespace hubbench::harness
