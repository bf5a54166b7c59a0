#include "hub/cache.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "core/error.hpp"
#include "core/fs.hpp"
#include "core/log.hpp"
#include "hub/names.hpp"

namespace hubbench::hub {
namespace {

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v == nullptr ? std::string() : std::string(v);
}

// huggingface_hub _local_folder.py CACHEDIR_TAG_CONTENT, but naming us as the creator.
constexpr const char* k_cachedir_tag =
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by huggingface_hub.\n"
    "# For information about cache directory tags, see:\n"
    "#\thttps://bford.info/cachedir/\n";

std::string random_hex8() {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    static const char* hex = "0123456789abcdef";
    std::string s(8, '0');
    for (char& c : s) c = hex[rng() & 15];
    return s;
}

void make_dirs(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec && !fs::is_directory(dir)) throw Error(ErrorKind::io, dir.string() + ": cannot create directory: " + ec.message());
}

}  // namespace

fs::path hf_home() {
    if (auto v = env("HF_HOME"); !v.empty()) return v;
    if (auto v = env("XDG_CACHE_HOME"); !v.empty()) return fs::path(v) / "huggingface";
    std::string home = env("HOME");
    return fs::path(home.empty() ? "/tmp" : home) / ".cache" / "huggingface";
}

fs::path default_cache_dir() {
    if (auto v = env("HF_HUB_CACHE"); !v.empty()) return v;
    if (auto v = env("HUGGINGFACE_HUB_CACHE"); !v.empty()) return v;
    return hf_home() / "hub";
}

std::string repo_folder_name(std::string_view repo_id) {
    validate_repo_id(repo_id);
    std::string out = "models";
    std::size_t start = 0;
    while (start <= repo_id.size()) {
        std::size_t end = repo_id.find('/', start);
        if (end == std::string_view::npos) end = repo_id.size();
        out += "--";
        out += repo_id.substr(start, end - start);
        start = end + 1;
    }
    return out;
}

std::pair<std::string, std::string> snapshot_identity(const fs::path& dir) {
    auto clean = dir.lexically_normal();
    if (clean.filename().empty()) clean = clean.parent_path();
    const auto commit = clean.filename().string();
    const auto snapshots = clean.parent_path();
    if (snapshots.filename() == "snapshots") {
        if (auto repo = repo_id_from_folder(snapshots.parent_path().filename().string())) return {*repo, commit};
    }
    return {commit, ""};
}

std::optional<std::string> repo_id_from_folder(std::string_view folder) {
    constexpr std::string_view prefix = "models--";
    if (folder.substr(0, prefix.size()) != prefix) return std::nullopt;
    std::string rest(folder.substr(prefix.size()));
    auto sep = rest.find("--");
    std::string id = sep == std::string::npos ? rest : rest.substr(0, sep) + "/" + rest.substr(sep + 2);
    if (!is_valid_repo_id(id)) return std::nullopt;
    return id;
}

HubCache::HubCache(fs::path root) : root_(std::move(root)) {}

fs::path HubCache::repo_dir(std::string_view repo_id) const { return root_ / repo_folder_name(repo_id); }

fs::path HubCache::blob_path(std::string_view repo_id, std::string_view etag) const {
    if (!is_blob_etag(etag)) throw Error(ErrorKind::invalid_input, "'" + std::string(etag) + "' is not a valid blob id");
    return repo_dir(repo_id) / "blobs" / std::string(etag);
}

fs::path HubCache::incomplete_path(std::string_view repo_id, std::string_view etag) const {
    fs::path blob = blob_path(repo_id, etag);
    return blob.parent_path() / (blob.filename().string() + ".incomplete");
}

fs::path HubCache::lock_path(std::string_view repo_id, std::string_view etag) const {
    if (!is_blob_etag(etag)) throw Error(ErrorKind::invalid_input, "'" + std::string(etag) + "' is not a valid blob id");
    return root_ / ".locks" / repo_folder_name(repo_id) / (std::string(etag) + ".lock");
}

fs::path HubCache::ref_path(std::string_view repo_id, std::string_view revision) const {
    validate_revision(revision);
    return repo_dir(repo_id) / "refs" / std::string(revision);
}

fs::path HubCache::snapshot_dir(std::string_view repo_id, std::string_view commit) const {
    if (!is_commit_sha(commit)) throw Error(ErrorKind::invalid_input, "'" + std::string(commit) + "' is not a commit sha");
    return repo_dir(repo_id) / "snapshots" / std::string(commit);
}

fs::path HubCache::snapshot_file(std::string_view repo_id, std::string_view commit, std::string_view path) const {
    validate_repo_path(path, repo_id);
    return snapshot_dir(repo_id, commit) / std::string(path);
}

void HubCache::prepare_repo(std::string_view repo_id) const {
    fs::path dir = repo_dir(repo_id);
    make_dirs(dir / "blobs");
    make_dirs(dir / "refs");
    make_dirs(dir / "snapshots");
    fs::path tag = root_ / "CACHEDIR.TAG";
    std::error_code ec;
    if (!fs::exists(tag, ec)) {
        try {
            write_file_atomic(tag, k_cachedir_tag);
        } catch (const Error& e) {
            log::debug("cannot write {}: {}", tag.string(), e.what());  // best effort, as upstream
        }
    }
}

std::optional<std::string> HubCache::read_ref(std::string_view repo_id, std::string_view revision) const {
    fs::path path = ref_path(repo_id, revision);
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!is_commit_sha(content)) {
        log::warn("ignoring {}: not a 40-hex commit", path.string());
        return std::nullopt;
    }
    return content;
}

void HubCache::write_ref(std::string_view repo_id, std::string_view revision, std::string_view commit) const {
    if (revision == commit) return;
    if (!is_commit_sha(commit)) throw Error(ErrorKind::invalid_input, "'" + std::string(commit) + "' is not a commit sha");
    if (read_ref(repo_id, revision) == std::string(commit)) return;  // unchanged: no write (upstream #1216)
    fs::path path = ref_path(repo_id, revision);
    make_dirs(path.parent_path());
    write_file_atomic(path, commit);
}

std::optional<std::string> HubCache::resolve_commit(std::string_view repo_id, std::string_view revision) const {
    if (is_commit_sha(revision)) return std::string(revision);
    return read_ref(repo_id, revision);
}

bool HubCache::has_file(std::string_view repo_id, std::string_view commit, std::string_view path) const {
    std::error_code ec;
    return fs::is_regular_file(snapshot_file(repo_id, commit, path), ec);  // follows the link
}

void HubCache::link_snapshot_file(std::string_view repo_id, std::string_view commit, std::string_view path,
                                  std::string_view etag) const {
    fs::path link = snapshot_file(repo_id, commit, path);
    fs::path blob = blob_path(repo_id, etag);
    make_dirs(link.parent_path());
    // Relative target (file_download.py _create_symlink uses os.path.relpath): one "../" per
    // level below the repo folder, so the cache can be moved or mounted elsewhere.
    std::string target;
    std::size_t depth = 2 + static_cast<std::size_t>(std::count(path.begin(), path.end(), '/'));
    for (std::size_t i = 0; i < depth; ++i) target += "../";
    target += "blobs/" + std::string(etag);
    fs::path tmp = link.parent_path() / ("." + link.filename().string() + "." + random_hex8() + ".tmp");
    if (::symlink(target.c_str(), tmp.c_str()) != 0) {
        throw Error(ErrorKind::io, tmp.string() + ": cannot create symlink: " + std::strerror(errno));
    }
    if (::rename(tmp.c_str(), link.c_str()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        throw Error(ErrorKind::io, link.string() + ": cannot rename symlink into place: " + std::strerror(err));
    }
    (void)blob;
}

std::vector<std::string> HubCache::snapshot_files(std::string_view repo_id, std::string_view commit) const {
    std::vector<std::string> out;
    fs::path dir = snapshot_dir(repo_id, commit);
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return out;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        if (it->is_directory()) continue;
        std::string rel = it->path().lexically_relative(dir).generic_string();
        if (rel.empty() || rel.front() == '.') continue;  // our own in-flight temp links
        out.push_back(rel);
    }
    std::sort(out.begin(), out.end());
    return out;
}

bool HubCache::is_no_exist(std::string_view repo_id, std::string_view commit, std::string_view path) const {
    validate_repo_path(path, repo_id);
    std::error_code ec;
    return fs::exists(repo_dir(repo_id) / ".no_exist" / std::string(commit) / std::string(path), ec);
}

void HubCache::mark_no_exist(std::string_view repo_id, std::string_view commit, std::string_view path) const {
    validate_repo_path(path, repo_id);
    if (!is_commit_sha(commit)) return;
    fs::path file = repo_dir(repo_id) / ".no_exist" / std::string(commit) / std::string(path);
    try {
        make_dirs(file.parent_path());
        std::ofstream(file, std::ios::app).close();
    } catch (const Error& e) {
        log::debug("cannot mark {} as missing: {}", file.string(), e.what());
    }
}

std::optional<std::vector<RepoFile>> HubCache::read_tree(std::string_view repo_id, std::string_view commit) const {
    if (!is_commit_sha(commit)) return std::nullopt;
    fs::path path = repo_dir(repo_id) / "trees" / (std::string(commit) + ".json");
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) return std::nullopt;
    try {
        auto j = nlohmann::json::parse(read_file(path));
        if (j.value("format_version", 0) != 1) return std::nullopt;
        std::vector<RepoFile> files;
        for (const auto& [name, info] : j.at("files").items()) {
            RepoFile f;
            f.path = name;
            f.size = info.at("size").get<std::uint64_t>();
            f.blob_id = info.at("blob_id").get<std::string>();
            if (info.contains("lfs_sha256") && info["lfs_sha256"].is_string()) {
                f.lfs = LfsInfo{info["lfs_sha256"].get<std::string>(), info.value("lfs_size", f.size), 0};
            }
            if (!is_valid_repo_path(f.path) || !is_blob_etag(f.etag())) return std::nullopt;
            files.push_back(std::move(f));
        }
        return files;
    } catch (const std::exception& e) {
        log::warn("ignoring corrupted tree cache file {}: {}", path.string(), e.what());
        return std::nullopt;
    }
}

void HubCache::write_tree(std::string_view repo_id, std::string_view commit, const std::vector<RepoFile>& files) const {
    if (!is_commit_sha(commit)) return;
    nlohmann::json listing = nlohmann::json::object();
    for (const auto& f : files) {  // nlohmann's object keeps keys sorted, as upstream sorts them
        nlohmann::json info = {{"size", f.size}, {"blob_id", f.blob_id}};
        if (f.lfs) {
            info["lfs_sha256"] = f.lfs->sha256;
            info["lfs_size"] = f.lfs->size;
        }
        listing[f.path] = info;
    }
    nlohmann::json doc = {{"format_version", 1}, {"files", listing}};
    fs::path path = repo_dir(repo_id) / "trees" / (std::string(commit) + ".json");
    try {
        make_dirs(path.parent_path());
        write_file_atomic(path, doc.dump(1));
    } catch (const Error& e) {
        log::warn("ignored error while writing tree cache file {}: {}", path.string(), e.what());
    }
}

std::vector<CachedRepo> HubCache::scan() const {
    std::vector<CachedRepo> out;
    std::error_code ec;
    if (!fs::is_directory(root_, ec)) return out;
    for (const auto& entry : fs::directory_iterator(root_, ec)) {
        if (!entry.is_directory()) continue;
        auto id = repo_id_from_folder(entry.path().filename().string());
        if (!id) continue;
        CachedRepo repo;
        repo.repo_id = *id;
        repo.dir = entry.path();
        fs::path refs = entry.path() / "refs";
        if (fs::is_directory(refs, ec)) {
            for (auto it = fs::recursive_directory_iterator(refs, ec); !ec && it != fs::recursive_directory_iterator();
                 it.increment(ec)) {
                if (!it->is_regular_file()) continue;
                std::string name = it->path().lexically_relative(refs).generic_string();
                if (auto commit = is_valid_revision(name) ? read_ref(*id, name) : std::nullopt) repo.refs[name] = *commit;
            }
        }
        fs::path snaps = entry.path() / "snapshots";
        if (fs::is_directory(snaps, ec)) {
            for (const auto& s : fs::directory_iterator(snaps, ec)) {
                std::string name = s.path().filename().string();
                if (s.is_directory() && is_commit_sha(name)) repo.snapshots.push_back(name);
            }
        }
        std::sort(repo.snapshots.begin(), repo.snapshots.end());
        out.push_back(std::move(repo));
    }
    std::sort(out.begin(), out.end(), [](const CachedRepo& a, const CachedRepo& b) { return a.repo_id < b.repo_id; });
    return out;
}

}  // namespace hubbench::hub
