#include "harness/run_preview.hpp"

#include <system_error>

#include "adapters/remote/openai_adapter.hpp"
#include "core/error.hpp"
#include "engine/model.hpp"
#include "harness/model_identity.hpp"
#include "harness/result_keys.hpp"
#include "hub/cache.hpp"
#include "hub/client.hpp"
#include "hub/errors.hpp"
#include "hub/names.hpp"
#include "results/store.hpp"
#include "suites/task.hpp"

namespace hubbench::harness {
namespace {

// The snapshot folder a spec resolves to without touching the network, as the run's load
// would find it in the cache; nullopt (with a note) when it cannot.
std::optional<std::filesystem::path> local_folder(const std::string& spec, const hub::HubClient* client, std::string& note) {
    std::error_code ec;
    if (std::filesystem::is_directory(spec, ec)) return std::filesystem::path(spec);
    if (adapters::is_remote_spec(spec)) {
        note = "a served model: identified when the run connects; every row counted as to measure";
        return std::nullopt;
    }
    try {
        const hub::RepoSpec repo = hub::parse_repo_spec(spec);
        // The cache the run's pulls would use (compare's client), read offline.
        hub::ClientOptions options = client != nullptr ? client->options() : hub::ClientOptions::from_environment();
        options.offline = true;
        return hub::HubClient(options).pull(repo.repo_id, repo.revision.empty() ? "main" : repo.revision);
    } catch (const hub::HubError& e) {
        note = e.code() == hub::HubErrorCode::offline_miss
                   ? "not in the Hugging Face cache: pulled by the run; every row counted as to measure"
                   : e.what();
    } catch (const Error& e) {
        note = e.what();
    }
    return std::nullopt;
}

// "org/name@<40 hex digits>".
bool is_pinned_repo(const std::string& spec) {
    if (adapters::is_remote_spec(spec)) return false;
    try {
        const auto revision = hub::parse_repo_spec(spec).revision;
        return revision.size() == 40 && revision.find_first_not_of("0123456789abcdef") == std::string::npos;
    } catch (const Error&) {
        return false;
    }
}

}  // namespace

RunPreview preview_suite_run(const SuiteRunRequest& request) {
    if (request.shard_count == 0 || request.shard_index >= request.shard_count)
        throw Error(ErrorKind::usage, "shard " + std::to_string(request.shard_index + 1) + "/" +
                                          std::to_string(request.shard_count) + " is not valid");
    RunPreview preview;
    std::error_code ec;
    preview.database_exists = std::filesystem::exists(request.database, ec);
    std::optional<results::ResultStore> store;
    if (preview.database_exists) {
        results::StoreOptions options;
        options.mode = results::OpenMode::read_only;
        store.emplace(request.database, options);
    }
    // The thread count speed results are keyed by, as the adapters will set it.
    engine::set_num_threads(request.threads);
    const int threads = engine::num_threads();

    for (std::size_t m = 0; m < request.models.size(); ++m) {
        const std::string& spec = request.models[m];
        if (m % request.shard_count != request.shard_index) {
            preview.other_shards.push_back(spec);
            continue;
        }
        PreviewModel model;
        model.spec = spec;
        // As the run's adapter will resolve it (automatic needs the weights: known once pulled).
        std::string compute_dtype =
            request.dtype == engine::ComputeDtype::automatic ? "" : std::string(engine::compute_dtype_name(request.dtype));
        if (auto dir = local_folder(spec, request.hub_client, model.note)) {
            std::tie(model.id, model.commit) = hub::snapshot_identity(*dir);
            if (model.commit.empty()) model.commit = local_model_revision(*dir);
            try {
                compute_dtype = engine::compute_dtype_name(engine::compute_dtype_for(*dir, request.dtype));
            } catch (const Error& e) {
                model.note = e.what();  // the run's load will fail on the same weights
            }
        } else if (is_pinned_repo(spec)) {
            // Not pulled yet, but pinned to a commit (as compare pins what its search saw): the
            // results that commit already has are known without downloading it.
            const hub::RepoSpec repo = hub::parse_repo_spec(spec);
            model.id = repo.repo_id;
            model.commit = repo.revision;
        }
        for (const auto& task : request.suite.tasks) {
            PreviewJob job;
            job.name = job_name(task);
            const auto dataset = dataset_record(task);
            for (const auto& row : suites::result_rows(task)) {
                ++job.rows;
                if (!store || model.commit.empty() || request.force) continue;
                if (auto done = store->find_result(result_key({model.id, model.commit}, row, dataset, threads, compute_dtype), night_scope(request))) {
                    ++job.stored;
                    job.stored_in_runs.insert(done->run.value);
                }
            }
            preview.rows += job.rows;
            preview.stored += job.stored;
            model.jobs.push_back(std::move(job));
        }
        preview.models.push_back(std::move(model));
    }
    return preview;
}

}  // namespace hubbench::harness
