// The Hugging Face Hub client: search, model info, file listing and downloads into the HF cache,
// over libcurl. Behaviour follows huggingface_hub (hf_api.py, file_download.py,
// _snapshot_download.py) as specified in docs/hub-api.md: retries with backoff honouring
// Retry-After, X-Error-Code mapping, the token sent to the Hub's own origin only, HF_HUB_OFFLINE.
#pragma once
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hub/cache.hpp"
#include "hub/errors.hpp"
#include "hub/model_info.hpp"
#include "hub/repo_file.hpp"

namespace hubbench::hub {

struct ClientOptions {
    std::string endpoint = "https://huggingface.co";  // no trailing '/'
    std::optional<std::string> token;                 // sent as "Authorization: Bearer" to `endpoint` only
    bool offline = false;                             // answer from the cache; never touch the network
    std::filesystem::path cache_dir;                  // HF hub cache root
    RetryPolicy retry;
    long timeout_s = 10;  // connect timeout and stall timeout (HF_HUB_ETAG/DOWNLOAD_TIMEOUT)
    // fdatasync each blob before its rename (HUBBENCH_HUB_FSYNC=1). Off by default, as in
    // huggingface_hub: on a busy disk it halves download speed; a blob cut short by a crash is
    // caught by its size and fetched again.
    bool fsync_blobs = false;

    // HF_ENDPOINT; HF_TOKEN, HUGGING_FACE_HUB_TOKEN, then the file at HF_TOKEN_PATH or
    // $HF_HOME/token (unless HF_HUB_DISABLE_IMPLICIT_TOKEN); HF_HUB_OFFLINE / TRANSFORMERS_OFFLINE;
    // the cache dir from default_cache_dir(); HF_HUB_DOWNLOAD_TIMEOUT; HUBBENCH_HUB_FSYNC;
    // HUBBENCH_RETRY_BASE_MS (tests shorten the backoff with it).
    static ClientOptions from_environment();
};

enum class SearchSort { downloads, likes, last_modified, created_at, trending };
// "downloads" | "likes" | "lastModified" | "createdAt" | "trending" (also "trendingScore").
std::optional<SearchSort> parse_search_sort(const std::string& name);

struct SearchQuery {
    std::string search;        // substring of the repo id
    std::string author;        // exact namespace
    std::string pipeline_tag;  // task, e.g. "text-generation"
    std::string library;       // sent as a filter tag, as huggingface_hub 1.x does
    std::vector<std::string> tags;  // every tag must match
    std::optional<SearchSort> sort;
    std::size_t limit = 20;         // results wanted (after client-side filters)
    std::size_t page_size = 0;      // results per request; 0: min(limit, 1000)
    // Client-side filters the Hub lacks. Params come from the `safetensors` field, else from the
    // safetensors headers of the repo's files (Range requests); unknown params never match.
    std::optional<std::uint64_t> min_params;
    std::optional<std::uint64_t> max_params;
    std::string license;            // case-insensitive, e.g. "apache-2.0"
};

struct FileMetadata {
    std::string commit;       // X-Repo-Commit
    std::string etag;         // X-Linked-Etag / ETag, unquoted: blob name in the cache
    std::uint64_t size = 0;   // X-Linked-Size / Content-Length
    std::string location;     // where the bytes are served from
};

// The files `hubbench pull` takes by default: what the native adapters read (config, tokenizer
// files, safetensors weights and their index, sentence-transformers module folders, model card).
const std::vector<std::string>& default_pull_patterns();

struct PullOptions {
    std::vector<std::string> include;  // fnmatch globs; empty: default_pull_patterns()
    std::vector<std::string> exclude;
    int parallel = 8;                  // files downloaded at once
    bool progress = true;              // a Progress bar on stderr
};

class HubClient {
public:
    HubClient();  // ClientOptions::from_environment()
    explicit HubClient(ClientOptions options);
    ~HubClient();
    HubClient(const HubClient&) = delete;
    HubClient& operator=(const HubClient&) = delete;

    const ClientOptions& options() const { return options_; }
    HubCache cache() const { return HubCache(options_.cache_dir); }

    // GET /api/models, following Link rel="next" until `limit` results pass the client filters.
    std::vector<ModelSummary> search(const SearchQuery& query);

    // GET /api/models/{repo}/revision/{revision}; `files_metadata` adds sizes, blob ids, LFS info.
    ModelInfo model_info(const std::string& repo_id, const std::string& revision = "main",
                         bool files_metadata = false);

    // Every file of the repo at `commit` (recursive tree API, paginated). Names that would escape
    // the repo folder are rejected with HubError(bad_response).
    std::vector<RepoFile> list_files(const std::string& repo_id, const std::string& commit);

    // HEAD /{repo}/resolve/{revision}/{path}, following relative redirects only.
    FileMetadata file_metadata(const std::string& repo_id, const std::string& path,
                               const std::string& revision = "main");

    // One file into the cache (hf_hub_download); returns its snapshot path.
    std::filesystem::path download_file(const std::string& repo_id, const std::string& path,
                                        const std::string& revision = "main");

    // Resolves the revision, lists the files, downloads the selected ones in parallel (resuming,
    // verifying size and hash), links them into snapshots/<commit>/ and writes refs/<revision>.
    // Files already in the snapshot are not fetched again. Returns the snapshot directory.
    std::filesystem::path pull(const std::string& repo_id, const std::string& revision = "main",
                               const PullOptions& options = {});

    // Parameter count per dtype summed over the repo's safetensors files (model.safetensors, or
    // the shards of model.safetensors.index.json), read from their headers with Range requests.
    // nullopt when the repo has no safetensors weights.
    std::optional<std::map<std::string, std::uint64_t>> count_parameters(const std::string& repo_id,
                                                                         const std::string& revision);

    // Low-level: GET `url` (absolute or endpoint-relative), retrying per the policy, following
    // redirects (the token goes to the endpoint's origin only). Throws HubError on HTTP errors.
    HttpResponse get(const std::string& url, const RequestContext& context,
                     const std::vector<std::string>& extra_headers = {});

    struct Impl;  // internal (hub/client_impl.hpp), shared by the client's source files

private:
    ClientOptions options_;
    std::unique_ptr<Impl> impl_;
};

}  // namespace hubbench::hub
