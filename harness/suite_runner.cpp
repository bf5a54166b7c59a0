#include "harness/suite_runner.hpp"

#include <fmt/format.h>

#include <map>
#include <memory>
#include <optional>

#include "adapters/open.hpp"
#include "core/error.hpp"
#include "core/fs.hpp"
#include "hub/hash.hpp"
#include "hub/names.hpp"
#include "hub/model_card.hpp"
#include "core/interrupt.hpp"
#include "core/log.hpp"
#include "harness/metric_catalog.hpp"
#include "harness/model_identity.hpp"
#include "harness/plan.hpp"
#include "results/canonical_json.hpp"
#include "results/provenance.hpp"
#include "results/store.hpp"
#include "suites/task.hpp"

namespace hubbench::harness {
namespace {

// Speed runs on synthetic token ids, not on a file; it is stored against this empty dataset so
// that every result still has a dataset hash.
results::DatasetRecord synthetic_dataset() {
    return {"synthetic token ids", "", hub::sha256_hex(""), 0};
}

results::ModelKind to_results_kind(adapters::ModelKind kind) {
    return kind == adapters::ModelKind::encoder ? results::ModelKind::encoder : results::ModelKind::decoder;
}

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

std::string describe(const suites::TaskSpec& spec) {
    std::string text = spec.task;
    if (spec.params.contains("stride")) text += fmt::format(" stride={}", spec.params["stride"].dump());
    if (spec.params.contains("max_length")) text += fmt::format(" L={}", spec.params["max_length"].dump());
    return text;
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
        outcome_.run = store_.begin_run(info);
        for (const auto& trial : request_.trials) store_.record_trial(outcome_.run, trial);

        const auto tasks = expand_tasks(request_.suite.tasks);
        Plan plan;
        for (std::size_t m = 0; m < request_.models.size(); ++m) {
            if (m % request_.shard_count != request_.shard_index) continue;
            const std::string& spec = request_.models[m];
            JobId load = plan.add("load " + spec, spec, [this, spec, n = tasks.size()] { load_model(spec, n); });
            if (request_.hub_client != nullptr && !std::filesystem::is_directory(spec)) {
                JobId pull = plan.add("pull " + spec, spec, [this, spec] { pull_model(spec); });
                plan.depends(load, pull);
            }
            for (const auto& task : tasks) {
                JobId eval = plan.add("eval " + spec + " " + describe(task), spec, [this, spec, task] { evaluate(spec, task); });
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
        record.kind = to_results_kind(info.kind);
        record.size_bytes = static_cast<std::int64_t>(info.size_bytes);
        record.licence = model_licence(info.dir);
        store_.upsert_model(record);
        loaded.evals_left = n_tasks;
        models_[spec] = std::move(loaded);
    }

    results::DatasetRecord dataset_for(const suites::TaskSpec& spec) {
        suites::DatasetRef ref = spec.dataset.empty() ? suites::default_dataset(spec.task) : spec.dataset;
        if (ref.empty()) return synthetic_dataset();
        const std::string where = ref.resolve().string();
        auto it = datasets_.find(where);
        if (it != datasets_.end()) return it->second;
        suites::Dataset data = suites::load_dataset(ref);
        results::DatasetRecord record{data.name, data.path.string(), data.sha256, static_cast<std::int64_t>(data.text.size())};
        datasets_[where] = record;
        return record;
    }

    void evaluate(const std::string& spec, const suites::TaskSpec& task) {
        LoadedModel& model = models_.at(spec);
        // Released after its last task, whatever happened to the others.
        struct Release {
            SuiteRun& run;
            const std::string& spec;
            ~Release() {
                auto it = run.models_.find(spec);
                if (it != run.models_.end() && --it->second.evals_left == 0) run.models_.erase(it);
            }
        } release{*this, spec};

        const results::DatasetRecord dataset = dataset_for(task);
        store_.upsert_dataset(dataset);
        results::ResultKey key;
        key.model = model.ref;
        key.task = task.task;
        key.dataset_sha256 = dataset.sha256;
        nlohmann::json key_params = task.params;
        // Speed depends on the thread count; quality results do not (tests hold them to 1e-6).
        if (task.task == "speed") key_params["threads"] = model.adapter->threads();
        key.parameters = results::canonical_json(key_params);

        if (!request_.force) {
            if (auto done = store_.find_result(key)) {
                store_.record_reuse(outcome_.run, done->id);
                ++outcome_.reused;
                last_status_ = "reused";
                last_note_ = fmt::format("already measured in run {}", done->run.value);
                return;
            }
        }
        suites::RunOptions options;
        options.fit_to_model = true;
        std::vector<suites::SuiteResult> produced;
        try {
            produced = suites::run_task_or_skip(*model.adapter, task, options);
        } catch (const Error& e) {
            if (e.kind() == ErrorKind::interrupted) throw;  // nothing stored: the next run redoes it
            results::ResultRecord failed;
            failed.key = key;
            failed.status = results::ResultStatus::failed;
            failed.error = e.what();
            store_.record_result(outcome_.run, failed);
            ++outcome_.failed;
            throw;
        }
        if (produced.size() != 1) {
            throw Error(ErrorKind::internal, fmt::format("{}: expected one result per task spec, got {}", task.task, produced.size()));
        }
        const suites::SuiteResult& result = produced.front();
        results::ResultRecord record;
        record.key = key;
        record.seconds = result.seconds;
        if (result.skipped) {
            record.status = results::ResultStatus::skipped;
            record.error = *result.skipped;
            ++outcome_.skipped;
            last_status_ = "skipped";
            last_note_ = *result.skipped;
        } else {
            for (const auto& m : result.metrics) {
                results::Metric metric;
                metric.name = m.name;
                metric.value = m.value;
                metric.std_error = m.std_error;
                metric.n = static_cast<std::int64_t>(result.n);
                MetricMeaning meaning = metric_meaning(m.name);
                metric.unit = meaning.unit;
                metric.higher_is_better = meaning.higher_is_better;
                record.metrics.push_back(std::move(metric));
            }
            // Where the time went, stored like any metric so reports can show it.
            for (auto [name, value] : {std::pair{"tokenize_seconds", result.timings.tokenize},
                                       std::pair{"forward_seconds", result.timings.forward},
                                       std::pair{"score_seconds", result.timings.score}}) {
                if (result.find(name) == nullptr) record.metrics.push_back({name, value, std::nullopt, 1, "s", false});
            }
            ++outcome_.measured;
        }
        store_.record_result(outcome_.run, record);
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
    std::string last_status_;  // "reused" or "skipped" when an ok job did not measure
    std::string last_note_;
};

}  // namespace

std::vector<suites::TaskSpec> expand_tasks(const std::vector<suites::TaskSpec>& tasks) {
    std::vector<suites::TaskSpec> out;
    for (const auto& spec : tasks) {
        auto stride = spec.params.find("stride");
        if (spec.task == "perplexity" && stride != spec.params.end() && stride->is_array()) {
            for (const auto& s : *stride) {
                suites::TaskSpec one = spec;
                one.params["stride"] = s;
                out.push_back(std::move(one));
            }
        } else {
            out.push_back(spec);
        }
    }
    return out;
}

SuiteRunOutcome run_suite(const SuiteRunRequest& request, const JobReporter& report) {
    if (request.shard_count == 0 || request.shard_index >= request.shard_count) {
        throw Error(ErrorKind::usage, fmt::format("shard {}/{} is not valid", request.shard_index + 1, request.shard_count));
    }
    if (request.models.empty()) throw Error(ErrorKind::usage, "no models to run");
    SuiteRun run(request, report);
    return run.execute();
}

}  // namespace hubbench::harness
