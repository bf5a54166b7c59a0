#include <system_error>

#include "core/error.hpp"
#include "hub/cache.hpp"
#include "hub/client.hpp"
#include "hub/names.hpp"

namespace hubbench::hub {

fs::path resolve_model_dir(const std::string& spec) {
    std::error_code ec;
    if (fs::is_directory(spec, ec)) return fs::path(spec);
    RepoSpec repo;
    try {
        repo = parse_repo_spec(spec);
    } catch (const Error&) {
        throw Error(ErrorKind::not_found,
                    "'" + spec + "' is neither a directory nor a repo id (org/name[@revision])");
    }
    const std::string revision = repo.revision.empty() ? "main" : repo.revision;
    ClientOptions options = ClientOptions::from_environment();
    // The cache first, without touching the network (like from_pretrained with a warm cache)...
    ClientOptions cache_only = options;
    cache_only.offline = true;
    try {
        return HubClient(cache_only).pull(repo.repo_id, revision);
    } catch (const HubError& e) {
        if (e.code() != HubErrorCode::offline_miss || options.offline) throw;
    }
    // ...then a pull of what the adapters need.
    return HubClient(options).pull(repo.repo_id, revision);
}

}  // namespace hubbench::hub
