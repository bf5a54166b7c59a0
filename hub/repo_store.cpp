#include "hub/repo_store.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <ctime>
#include <set>

#include "core/error.hpp"
#include "core/fs.hpp"
#include "core/log.hpp"
#include "hub/cache.hpp"
#include "hub/hash.hpp"
#include "hub/model_card.hpp"
#include "hub/names.hpp"
#include "hub/parameters.hpp"

namespace hubbench::hub {
namespace {

namespace fs = std::filesystem;

struct Entry {
    std::string path;      // relative, '/'-separated
    fs::path disk;         // canonical
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
    fs::path link_target;  // for cache snapshots: where the symlink points
};

bool within(const fs::path& path, const fs::path& base) {
    auto p = path.begin();
    for (auto b = base.begin(); b != base.end(); ++b, ++p) {
        if (p == path.end() || *p != *b) return false;
    }
    return true;
}

// Regular files under `dir` whose real location stays inside `allowed` (no symlink escapes).
std::vector<Entry> walk(const fs::path& dir, const fs::path& allowed) {
    std::vector<Entry> out;
    std::error_code ec;
    fs::path base = fs::canonical(allowed, ec);
    if (ec) return out;
    auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (it->is_directory()) {
            if (name == ".git") it.disable_recursion_pending();
            continue;
        }
        std::string rel = it->path().lexically_relative(dir).generic_string();
        if (name.rfind(".hubbench", 0) == 0 || !is_valid_repo_path(rel)) continue;
        std::error_code e2;
        fs::path real = fs::canonical(it->path(), e2);
        if (e2 || !within(real, base)) {
            log::warn("mirror: not serving {}: it points outside {}", it->path().string(), base.string());
            continue;
        }
        struct stat st {};
        if (::stat(real.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
        Entry e;
        e.path = rel;
        e.disk = real;
        e.size = static_cast<std::uint64_t>(st.st_size);
        e.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
        if (it->is_symlink()) e.link_target = fs::read_symlink(it->path(), e2);
        out.push_back(std::move(e));
    }
    std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) { return a.path < b.path; });
    return out;
}

std::string signature(const std::vector<Entry>& entries, const fs::path& extra) {
    std::string s;
    for (const auto& e : entries) {
        s += e.path + '\0' + std::to_string(e.size) + '\0' + std::to_string(e.mtime_ns) + '\n';
    }
    struct stat st {};
    if (!extra.empty() && ::stat(extra.c_str(), &st) == 0) {
        s += "meta" + std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec);
    }
    return s;
}

std::string iso8601(std::int64_t ns) {
    std::time_t secs = static_cast<std::time_t>(ns / 1000000000);
    std::tm tm {};
    gmtime_r(&secs, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    char out[48];
    std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>((ns / 1000000) % 1000));
    return out;
}

std::vector<std::string> string_list(const nlohmann::json& v) {
    std::vector<std::string> out;
    if (v.is_string()) out.push_back(v.get<std::string>());
    if (v.is_array()) {
        for (const auto& x : v) {
            if (x.is_string()) out.push_back(x.get<std::string>());
        }
    }
    return out;
}

}  // namespace

bool is_lfs_file(const std::string& path, std::uint64_t size) {
    if (size >= 10u * 1024 * 1024) return true;
    // The Hub's default .gitattributes for new model repos.
    static const std::vector<std::string> patterns = {
        "*.7z", "*.arrow", "*.bin", "*.bz2", "*.ckpt", "*.ftz", "*.gz", "*.h5", "*.joblib", "*.lfs.*",
        "*.mlmodel", "*.model", "*.msgpack", "*.npy", "*.npz", "*.onnx", "*.ot", "*.parquet", "*.pb",
        "*.pickle", "*.pkl", "*.pt", "*.pth", "*.rar", "*.safetensors", "*.tar", "*.tflite", "*.tgz",
        "*.wasm", "*.xz", "*.zip", "*.zst", "*tfevents*", "*.gguf"};
    for (const auto& p : patterns) {
        if (glob_match(p, path)) return true;
    }
    return false;
}

const MirrorFile* MirrorRepo::find(const std::string& path) const {
    auto it = std::lower_bound(files.begin(), files.end(), path,
                               [](const MirrorFile& f, const std::string& p) { return f.meta.path < p; });
    return it != files.end() && it->meta.path == path ? &*it : nullptr;
}

RepoStore::RepoStore(fs::path root, fs::path cache) : root_(std::move(root)), cache_(std::move(cache)) {}

const RepoStore::Digest& RepoStore::digest(const fs::path& path, bool lfs) {
    struct stat st {};
    ::stat(path.c_str(), &st);
    std::int64_t mtime = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    auto& d = digests_[path.string()];
    bool stale = d.size != static_cast<std::uint64_t>(st.st_size) || d.mtime_ns != mtime;
    if (stale || (lfs && d.sha256.empty()) || (!lfs && d.git_sha1.empty())) {
        FileDigests h = hash_file(path, lfs, !lfs);
        if (stale) d = Digest{};
        d.size = h.size;
        d.mtime_ns = mtime;
        if (lfs) d.sha256 = h.sha256;
        else d.git_sha1 = h.git_sha1;
    }
    return d;
}

void RepoStore::describe(MirrorRepo& repo, const fs::path& meta_file) {
    if (const MirrorFile* readme = repo.find("README.md")) {
        try {
            repo.card_data = parse_model_card(read_file(readme->disk_path), repo.id + "/README.md");
        } catch (const Error& e) {
            log::warn("mirror: {}", e.what());
        }
    }
    if (const MirrorFile* config = repo.find("config.json")) {
        auto j = nlohmann::json::parse(read_file(config->disk_path), nullptr, false);
        if (j.is_object()) {
            repo.config = nlohmann::json::object();
            for (const char* key : {"architectures", "model_type"}) {
                if (j.contains(key)) repo.config[key] = j[key];
            }
        }
    }
    const nlohmann::json& card = repo.card_data.is_object() ? repo.card_data : nlohmann::json::object();
    repo.pipeline_tag = card.value("pipeline_tag", "");
    repo.library_name = card.value("library_name", "");
    std::vector<std::string> tags;
    if (!repo.library_name.empty()) tags.push_back(repo.library_name);
    bool has_safetensors = std::any_of(repo.files.begin(), repo.files.end(), [](const MirrorFile& f) {
        return f.meta.path.size() > 12 && f.meta.path.substr(f.meta.path.size() - 12) == ".safetensors";
    });
    if (has_safetensors) tags.push_back("safetensors");
    for (const auto& t : string_list(card.value("tags", nlohmann::json()))) tags.push_back(t);
    if (!repo.pipeline_tag.empty()) tags.push_back(repo.pipeline_tag);
    for (const auto& l : string_list(card.value("language", nlohmann::json()))) tags.push_back(l);
    for (const auto& d : string_list(card.value("datasets", nlohmann::json()))) tags.push_back("dataset:" + d);
    for (const auto& b : string_list(card.value("base_model", nlohmann::json()))) tags.push_back("base_model:" + b);
    for (const auto& l : string_list(card.value("license", nlohmann::json()))) tags.push_back("license:" + l);
    std::set<std::string> seen;
    for (auto& t : tags) {
        if (seen.insert(t).second) repo.tags.push_back(t);
    }

    std::vector<std::string> names;
    for (const auto& f : repo.files) names.push_back(f.meta.path);
    try {
        // Headers are read through each file's real path, so symlinked snapshots work too.
        std::map<std::string, std::uint64_t> total;
        bool any = false;
        std::vector<std::string> shards;
        if (const MirrorFile* index = repo.find("model.safetensors.index.json"); index && !repo.find("model.safetensors")) {
            shards = index_shards(read_file(index->disk_path), repo.id + "/model.safetensors.index.json");
        }
        for (const auto& w : safetensors_weight_files(names, shards)) {
            const MirrorFile* f = repo.find(w);
            if (f == nullptr) throw Error(ErrorKind::not_found, repo.id + ": the index names " + w + ", which is missing");
            any = true;
            for (const auto& [dtype, n] : safetensors_file_parameters(f->disk_path)) total[dtype] += n;
        }
        if (any) repo.parameters = total;
    } catch (const Error& e) {
        log::warn("mirror: no parameter count for {}: {}", repo.id, e.what());
    }

    std::int64_t newest = 0;
    for (const auto& f : repo.files) {
        struct stat st {};
        if (::stat(f.disk_path.c_str(), &st) == 0) {
            newest = std::max<std::int64_t>(newest, static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec);
        }
    }
    repo.last_modified = iso8601(newest);
    repo.created_at = repo.last_modified;

    std::error_code ec;
    if (!meta_file.empty() && fs::is_regular_file(meta_file, ec)) {
        auto m = nlohmann::json::parse(read_file(meta_file), nullptr, false);
        if (!m.is_object()) {
            log::warn("mirror: ignoring {}: not a JSON object", meta_file.string());
            return;
        }
        repo.downloads = m.value("downloads", repo.downloads);
        repo.likes = m.value("likes", repo.likes);
        repo.trending_score = m.value("trendingScore", repo.trending_score);
        repo.last_modified = m.value("lastModified", repo.last_modified);
        repo.created_at = m.value("createdAt", repo.created_at);
        repo.is_private = m.value("private", false);
        repo.disabled = m.value("disabled", false);
        if (m.contains("gated")) {
            const auto& g = m["gated"];
            repo.gated = g.is_string() ? g.get<std::string>() : (g.is_boolean() && g.get<bool>() ? "auto" : "false");
        }
        if (m.contains("authorized_tokens")) repo.authorized_tokens = string_list(m["authorized_tokens"]);
        // "safetensors": false hides the parameter counts, as for Hub repos the field is absent
        // for; clients must then read the headers themselves.
        if (m.contains("safetensors") && m["safetensors"] == false) repo.parameters.reset();
    }
}

std::shared_ptr<const MirrorRepo> RepoStore::load_folder(const std::string& repo_id, const fs::path& dir) {
    auto entries = walk(dir, dir);
    fs::path meta_file = dir / ".hubbench.json";
    std::string sig = signature(entries, meta_file);
    auto& slot = memo_["folder:" + repo_id];
    if (slot.second && slot.first == sig) return slot.second;

    auto repo = std::make_shared<MirrorRepo>();
    repo->id = repo_id;
    Hasher commit = Hasher(HashAlgorithm::sha1);
    commit.update("hubbench-mirror-commit-v1\n");
    for (const auto& e : entries) {
        MirrorFile f;
        f.meta.path = e.path;
        f.meta.size = e.size;
        f.disk_path = e.disk;
        if (is_lfs_file(e.path, e.size)) {
            const Digest& d = digest(e.disk, true);
            std::string pointer = lfs_pointer_text(d.sha256, e.size);
            f.meta.lfs = LfsInfo{d.sha256, e.size, pointer.size()};
            f.meta.blob_id = git_blob_sha1(pointer);
        } else {
            f.meta.blob_id = digest(e.disk, false).git_sha1;
        }
        // A commit id that changes exactly when a path or a blob changes.
        commit.update(f.meta.path + '\0' + f.meta.blob_id + '\n');
        repo->files.push_back(std::move(f));
    }
    repo->commit = commit.hex_digest();
    describe(*repo, meta_file);
    slot = {sig, repo};
    return repo;
}

std::shared_ptr<const MirrorRepo> RepoStore::load_snapshot(const std::string& repo_id, const fs::path& dir,
                                                           const std::string& commit) {
    fs::path repo_dir = dir.parent_path().parent_path();
    auto entries = walk(dir, repo_dir);
    std::string sig = signature(entries, {});
    auto& slot = memo_["cache:" + repo_id + "@" + commit];
    if (slot.second && slot.first == sig) return slot.second;

    auto repo = std::make_shared<MirrorRepo>();
    repo->id = repo_id;
    repo->commit = commit;
    for (const auto& e : entries) {
        MirrorFile f;
        f.meta.path = e.path;
        f.meta.size = e.size;
        f.disk_path = e.disk;
        // The blob name is the ETag: a sha256 for LFS files, a git sha1 otherwise (file_download.py).
        std::string etag = e.link_target.filename().string();
        if (!is_blob_etag(etag)) etag = e.disk.filename().string();
        if (is_sha256_hex(etag)) {
            std::string pointer = lfs_pointer_text(etag, e.size);
            f.meta.lfs = LfsInfo{etag, e.size, pointer.size()};
            f.meta.blob_id = git_blob_sha1(pointer);
        } else if (is_commit_sha(etag)) {
            f.meta.blob_id = etag;
        } else if (is_lfs_file(e.path, e.size)) {  // a copied (not linked) snapshot file
            const Digest& d = digest(e.disk, true);
            std::string pointer = lfs_pointer_text(d.sha256, e.size);
            f.meta.lfs = LfsInfo{d.sha256, e.size, pointer.size()};
            f.meta.blob_id = git_blob_sha1(pointer);
        } else {
            f.meta.blob_id = digest(e.disk, false).git_sha1;
        }
        repo->files.push_back(std::move(f));
    }
    describe(*repo, {});
    slot = {sig, repo};
    return repo;
}

RepoStore::Lookup RepoStore::lookup(const std::string& repo_id, const std::string& revision) {
    if (!is_valid_repo_id(repo_id) || !is_valid_revision(revision)) return {};
    std::lock_guard lock(mutex_);
    std::error_code ec;
    if (!root_.empty() && repo_id.find('/') != std::string::npos && fs::is_directory(root_ / repo_id, ec)) {
        auto repo = load_folder(repo_id, root_ / repo_id);
        if (revision != "main" && revision != repo->commit) return {Status::no_revision, repo};
        return {Status::ok, repo};
    }
    if (!cache_.empty()) {
        HubCache cache(cache_);
        if (!fs::is_directory(cache.repo_dir(repo_id), ec)) return {};
        auto commit = cache.resolve_commit(repo_id, revision);
        if (!commit || !fs::is_directory(cache.snapshot_dir(repo_id, *commit), ec)) return {Status::no_revision, nullptr};
        return {Status::ok, load_snapshot(repo_id, cache.snapshot_dir(repo_id, *commit), *commit)};
    }
    return {};
}

std::vector<std::string> RepoStore::repo_ids() {
    std::set<std::string> ids;
    std::error_code ec;
    if (!root_.empty() && fs::is_directory(root_, ec)) {
        for (const auto& org : fs::directory_iterator(root_, ec)) {
            if (!org.is_directory()) continue;
            for (const auto& name : fs::directory_iterator(org.path(), ec)) {
                std::string id = org.path().filename().string() + "/" + name.path().filename().string();
                if (name.is_directory() && is_valid_repo_id(id)) ids.insert(id);
            }
        }
    }
    if (!cache_.empty()) {
        for (const auto& repo : HubCache(cache_).scan()) {
            if (repo.refs.count("main") != 0) ids.insert(repo.repo_id);
        }
    }
    return {ids.begin(), ids.end()};
}

}  // namespace hubbench::hub
