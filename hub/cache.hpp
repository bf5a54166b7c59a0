// The Hugging Face cache layout, exactly as huggingface_hub writes it (file_download.py,
// constants.py, _tree_cache.py), so that Python's huggingface_hub / transformers read our cache
// and we read theirs:
//
//   <cache>/CACHEDIR.TAG
//   <cache>/.locks/models--org--name/<etag>.lock
//   <cache>/models--org--name/blobs/<etag>                 sha256 (LFS) or git sha1, lowercase hex
//   <cache>/models--org--name/blobs/<etag>.incomplete      partial download, resumed with Range
//   <cache>/models--org--name/refs/<revision>              40-hex commit, no trailing newline
//   <cache>/models--org--name/snapshots/<commit>/<path>    relative symlink to ../../blobs/<etag>
//   <cache>/models--org--name/.no_exist/<commit>/<path>    empty: a cached 404 EntryNotFound
//   <cache>/models--org--name/trees/<commit>.json          complete file listing of the commit
#pragma once
#include <filesystem>
#include <map>
#include <utility>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hub/repo_file.hpp"

namespace hubbench::hub {

namespace fs = std::filesystem;

// $HF_HOME, else $XDG_CACHE_HOME/huggingface, else ~/.cache/huggingface.
fs::path hf_home();
// $HF_HUB_CACHE, else $HUGGINGFACE_HUB_CACHE, else hf_home()/hub.
fs::path default_cache_dir();
// "org/name" → "models--org--name" (repo_folder_name in file_download.py). Validates the id.
std::string repo_folder_name(std::string_view repo_id);
// The inverse, for scanning: "models--org--name" → "org/name"; nullopt for anything else.
std::optional<std::string> repo_id_from_folder(std::string_view folder);

// "…/models--org--name/snapshots/<commit>" → ("org/name", commit); any other folder → (its name,
// ""): what a model folder is known as in results.
std::pair<std::string, std::string> snapshot_identity(const fs::path& dir);

// A repo as found in a cache folder (for `mirror serve --cache` and for listing).
struct CachedRepo {
    std::string repo_id;
    fs::path dir;
    std::map<std::string, std::string> refs;  // revision name → commit
    std::vector<std::string> snapshots;       // commits with a snapshot folder, sorted
};

class HubCache {
public:
    explicit HubCache(fs::path root);
    static HubCache from_environment() { return HubCache(default_cache_dir()); }

    const fs::path& root() const { return root_; }
    fs::path repo_dir(std::string_view repo_id) const;
    fs::path blob_path(std::string_view repo_id, std::string_view etag) const;
    fs::path incomplete_path(std::string_view repo_id, std::string_view etag) const;
    fs::path lock_path(std::string_view repo_id, std::string_view etag) const;
    fs::path ref_path(std::string_view repo_id, std::string_view revision) const;
    fs::path snapshot_dir(std::string_view repo_id, std::string_view commit) const;
    fs::path snapshot_file(std::string_view repo_id, std::string_view commit, std::string_view path) const;

    // Creates the cache root with CACHEDIR.TAG and the repo's blobs/, refs/, snapshots/ folders.
    void prepare_repo(std::string_view repo_id) const;

    // refs/<revision> read raw (no stripping, as huggingface_hub compares it exactly); nullopt
    // when absent or not a 40-hex commit.
    std::optional<std::string> read_ref(std::string_view repo_id, std::string_view revision) const;
    // Writes refs/<revision> atomically without a newline; nothing when revision == commit.
    void write_ref(std::string_view repo_id, std::string_view revision, std::string_view commit) const;
    // A 40-hex revision is itself; anything else goes through refs/. No guessing of "latest".
    std::optional<std::string> resolve_commit(std::string_view repo_id, std::string_view revision) const;

    // snapshots/<commit>/<path> exists and (if a link) points at an existing blob.
    bool has_file(std::string_view repo_id, std::string_view commit, std::string_view path) const;
    // Makes snapshots/<commit>/<path> a relative symlink to blobs/<etag> (replacing atomically).
    void link_snapshot_file(std::string_view repo_id, std::string_view commit, std::string_view path,
                            std::string_view etag) const;
    // Every file under snapshots/<commit>/, relative paths, sorted.
    std::vector<std::string> snapshot_files(std::string_view repo_id, std::string_view commit) const;

    bool is_no_exist(std::string_view repo_id, std::string_view commit, std::string_view path) const;
    void mark_no_exist(std::string_view repo_id, std::string_view commit, std::string_view path) const;

    // trees/<commit>.json (format_version 1); nullopt when absent or unreadable.
    std::optional<std::vector<RepoFile>> read_tree(std::string_view repo_id, std::string_view commit) const;
    void write_tree(std::string_view repo_id, std::string_view commit, const std::vector<RepoFile>& files) const;

    // Every models--* repo in the cache with its refs and snapshots.
    std::vector<CachedRepo> scan() const;

private:
    fs::path root_;
};

// What suites and CLI commands pass as --model: an existing local directory is returned as is;
// "org/name[@revision]" is looked up in the cache (revision defaults to main) and, when it is not
// there and HF_HUB_OFFLINE is not set, pulled with the default patterns. Returns the snapshot
// directory. Uses the environment (HF_ENDPOINT, HF_TOKEN, HF_HUB_CACHE, ...); see client.hpp.
fs::path resolve_model_dir(const std::string& spec);

}  // namespace hubbench::hub
