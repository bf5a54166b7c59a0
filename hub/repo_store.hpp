// The mirror's view of the repos it serves: plain folders DIR/<org>/<name>/ (a deterministic
// commit is computed from the file list and blob ids, so re-pulls of an unchanged folder are
// no-ops), and the repos of a Hugging Face cache (refs and snapshots as they are). Everything the
// Hub derives from a repo is computed here: blob ids, LFS info, model card metadata and tags,
// safetensors parameter counts, plus the optional `.hubbench.json` (downloads, likes,
// lastModified, createdAt, trendingScore, gated, private, disabled, authorized_tokens, and
// "safetensors": false to leave out the parameter counts).
#pragma once
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "hub/repo_file.hpp"

namespace hubbench::hub {

struct MirrorFile {
    RepoFile meta;
    std::filesystem::path disk_path;  // resolved inside the served folder
};

struct MirrorRepo {
    std::string id;
    std::string commit;
    std::vector<MirrorFile> files;     // sorted by path
    nlohmann::json card_data;          // README front matter, null when absent
    nlohmann::json config;             // {architectures, model_type} from config.json, null when absent
    std::optional<std::map<std::string, std::uint64_t>> parameters;  // safetensors, per dtype
    std::string pipeline_tag;
    std::string library_name;
    std::vector<std::string> tags;
    std::string last_modified;         // ISO 8601 with milliseconds, "...Z"
    std::string created_at;
    std::uint64_t downloads = 0;
    std::uint64_t likes = 0;
    double trending_score = 0;
    std::string gated = "false";       // "false", "auto", "manual" (JSON false when "false")
    bool is_private = false;
    bool disabled = false;
    std::optional<std::vector<std::string>> authorized_tokens;  // who may read a gated/private repo

    const MirrorFile* find(const std::string& path) const;
};

class RepoStore {
public:
    // Either may be empty. A repo id found in both comes from `root`.
    RepoStore(std::filesystem::path root, std::filesystem::path cache);

    enum class Status { ok, no_repo, no_revision };
    struct Lookup {
        Status status = Status::no_repo;
        std::shared_ptr<const MirrorRepo> repo;
    };
    // `revision`: "main" or the commit for folders; any ref or snapshot commit for cache repos.
    Lookup lookup(const std::string& repo_id, const std::string& revision);

    // Every repo id served, sorted.
    std::vector<std::string> repo_ids();

private:
    std::shared_ptr<const MirrorRepo> load_folder(const std::string& repo_id, const std::filesystem::path& dir);
    std::shared_ptr<const MirrorRepo> load_snapshot(const std::string& repo_id, const std::filesystem::path& dir,
                                                   const std::string& commit);
    void describe(MirrorRepo& repo, const std::filesystem::path& meta_file);

    struct Digest {
        std::uint64_t size = 0;
        std::int64_t mtime_ns = 0;
        std::string sha256;
        std::string git_sha1;
    };
    const Digest& digest(const std::filesystem::path& path, bool lfs);

    std::filesystem::path root_;
    std::filesystem::path cache_;
    std::mutex mutex_;
    std::map<std::string, std::pair<std::string, std::shared_ptr<const MirrorRepo>>> memo_;  // key → (signature, repo)
    std::map<std::string, Digest> digests_;
};

// Whether a plain folder's file is stored with git-lfs on the Hub: the extensions of the Hub's
// default .gitattributes, or 10 MiB and more.
bool is_lfs_file(const std::string& path, std::uint64_t size);

}  // namespace hubbench::hub
