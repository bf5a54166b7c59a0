// HubClient::pull and download_file: snapshot_download / hf_hub_download into the HF cache
// (_snapshot_download.py, file_download.py). Each blob is downloaded to blobs/<etag>.incomplete
// under a lock, resumed with Range after a dropped connection (and across runs), checked against
// its size and hash, then renamed into blobs/. Snapshot links and refs are written only once
// every selected blob is in place, so a failed or interrupted pull leaves no partial snapshot.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/log.hpp"
#include "core/progress.hpp"
#include "hub/client.hpp"
#include "hub/client_impl.hpp"
#include "hub/file_lock.hpp"
#include "hub/hash.hpp"
#include "hub/names.hpp"

namespace hubbench::hub {
namespace {

struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

std::uint64_t file_size_or_zero(const fs::path& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

std::vector<RepoFile> select_files(const std::vector<RepoFile>& files, const PullOptions& o) {
    const auto& include = o.include.empty() ? default_pull_patterns() : o.include;
    std::vector<RepoFile> out;
    for (const auto& f : files) {
        bool in = false;
        for (const auto& p : include) in = in || glob_match(p, f.path);
        for (const auto& p : o.exclude) in = in && !glob_match(p, f.path);
        if (in) out.push_back(f);
    }
    return out;
}

// Shared state of one pull's workers.
struct PullRun {
    std::atomic<bool> cancel{false};
    std::mutex error_mutex;
    std::exception_ptr error;
    Progress* progress = nullptr;

    void fail(std::exception_ptr e) {
        std::lock_guard lock(error_mutex);
        if (!error) error = std::move(e);
        cancel = true;
    }
};

}  // namespace

const std::vector<std::string>& default_pull_patterns() {
    static const std::vector<std::string> patterns = {
        "config.json", "generation_config.json", "README.md",
        // tokenizers (tokenizer.json, SentencePiece, WordPiece/BPE vocabularies)
        "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json",
        "tokenizer.model", "spiece.model", "sentencepiece.bpe.model", "vocab.txt", "vocab.json", "merges.txt",
        // weights
        "*.safetensors", "*.safetensors.index.json",
        // sentence-transformers: modules.json and the module folders it names
        "modules.json", "sentence_bert_config.json", "config_sentence_transformers.json",
        "*_Pooling/*", "*_Normalize/*", "*_Dense/*"};
    return patterns;
}

// Downloads one blob into the cache (no link). Called from worker threads with their own session.
static void download_blob(const HubClient::Impl& impl, HttpSession& session, const HubCache& cache,
                          const std::string& repo_id, const std::string& commit, const RepoFile& file, PullRun& run) {
    const std::string& etag = file.etag();
    if (!is_blob_etag(etag)) throw HubError(HubErrorCode::bad_response, 0, repo_id + "/" + file.path + ": bad ETag '" + etag + "'");
    FileLock lock(cache.lock_path(repo_id, etag));
    const fs::path blob = cache.blob_path(repo_id, etag);
    std::error_code ec;
    if (fs::exists(blob, ec)) return;  // another process (or path) brought it meanwhile
    const fs::path tmp = cache.incomplete_path(repo_id, etag);
    const std::string what = repo_id + "/" + file.path;
    const std::uint64_t expected = file.lfs ? file.lfs->size : file.size;

    Fd out;
    out.fd = ::open(tmp.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);  // mode per umask, as upstream's chmod
    if (out.fd < 0) throw Error(ErrorKind::io, tmp.string() + ": cannot create: " + std::strerror(errno));
    std::uint64_t offset = file_size_or_zero(tmp);
    if (offset > expected) {
        if (::ftruncate(out.fd, 0) != 0) throw Error(ErrorKind::io, tmp.string() + ": truncate failed");
        offset = 0;
    }
    // The hash runs on a second thread, reading back what was written (a previous run's partial
    // file first): inline in the body callback it cost a third of the download time on loopback.
    // Declared after `out`, so it is joined before the fd closes, whichever way we leave.
    TrailingFileHasher hasher(out.fd, tmp.string(), [&] {
        return file.lfs ? Hasher(HashAlgorithm::sha256) : git_blob_hasher(expected);
    });
    hasher.advance(offset);
    if (offset > 0) log::debug("resuming {} at byte {}", what, offset);
    if (::lseek(out.fd, static_cast<off_t>(offset), SEEK_SET) < 0) throw Error(ErrorKind::io, tmp.string() + ": seek failed");

    const std::string url = impl.options.endpoint + "/" + repo_id + "/resolve/" + commit + "/" + url_quote(file.path);
    const RequestContext context{repo_id, commit, file.path};
    int failures = 0;
    auto discard = [&](const std::string& why) {
        ::unlink(tmp.c_str());
        throw HubError(HubErrorCode::integrity, 0, what + ": " + why + "; download discarded");
    };
    while (offset < expected) {
        throw_if_interrupted();
        if (run.cancel) throw Error(ErrorKind::interrupted, "cancelled");
        HttpRequest req = impl.make_request("GET", url);
        if (offset > 0) req.headers.push_back("Range: bytes=" + std::to_string(offset) + "-");
        const std::uint64_t offset_before = offset;
        req.on_headers = [&](const HttpResponse& head) {
            if (head.status < 200 || head.status >= 300) return;
            if (head.status == 200 && offset > 0) {  // the server ignored Range: start over
                hasher.restart();  // before the truncation its reads could race
                if (::ftruncate(out.fd, 0) != 0 || ::lseek(out.fd, 0, SEEK_SET) < 0) {
                    throw Error(ErrorKind::io, tmp.string() + ": truncate failed");
                }
                offset = 0;
            }
            if (head.status == 206) {  // the part must start where our file ends
                auto cr = head.header("content-range").value_or("");
                std::string want = "bytes " + std::to_string(offset) + "-";
                if (cr.rfind(want, 0) != 0) discard("the server answered Range with '" + cr + "', expected " + want + "...");
            }
            if (auto cl = head.header("content-length")) {
                std::uint64_t n = std::strtoull(cl->c_str(), nullptr, 10);
                if (offset + n != expected) {
                    discard("the server sends " + std::to_string(offset + n) + " bytes, the listing says " +
                            std::to_string(expected));
                }
            }
        };
        req.on_body = [&](const char* data, std::size_t n) {
            if (run.cancel || interrupted()) return false;
            if (offset + n > expected) discard("more bytes than the expected " + std::to_string(expected));
            std::size_t written = 0;
            while (written < n) {
                ssize_t w = ::write(out.fd, data + written, n - written);
                if (w < 0) {
                    if (errno == EINTR) continue;
                    throw Error(ErrorKind::io, tmp.string() + ": write failed: " + std::strerror(errno));
                }
                written += static_cast<std::size_t>(w);
            }
            offset += n;
            hasher.advance(offset);
            if (run.progress != nullptr) run.progress->advance(n);
            return true;
        };
        HttpResponse r;
        try {
            r = impl.send(session, req, true);
        } catch (const TransportError& e) {
            // A dropped connection: resume from what arrived. Progress resets the count, so a
            // server that keeps cutting long downloads short still gets them through.
            failures = offset > offset_before ? 1 : failures + 1;
            if (failures > impl.options.retry.max_retries) {
                throw HubError(HubErrorCode::network, 0, std::string(e.what()) + " (giving up on " + what + ")");
            }
            auto delay = offset > offset_before ? impl.options.retry.base_delay : retry_delay(impl.options.retry, failures - 1, nullptr);
            log::debug("{} after {} of {} bytes; resuming in {} ms", e.what(), offset, expected, delay.count());
            interruptible_sleep(delay);
            continue;
        }
        if (r.status >= 200 && r.status < 300) {
            if (offset < expected) {  // closed cleanly yet short: treat like a drop
                if (++failures > impl.options.retry.max_retries) discard("the server keeps ending the body early");
                continue;
            }
            break;
        }
        if (r.status == 416) {  // the server disagrees about our offset: start over once
            hasher.restart();
            if (::ftruncate(out.fd, 0) != 0 || ::lseek(out.fd, 0, SEEK_SET) < 0) throw Error(ErrorKind::io, tmp.string() + ": truncate failed");
            offset = 0;
            if (++failures > impl.options.retry.max_retries) raise_for_status(r, context);
            continue;
        }
        if (is_retryable_status(r.status) && failures < impl.options.retry.max_retries) {
            auto delay = retry_delay(impl.options.retry, failures, &r);
            ++failures;
            log::debug("HTTP {} for {}; retrying in {} ms", r.status, what, delay.count());
            interruptible_sleep(delay);
            continue;
        }
        raise_for_status(r, context);
    }
    if (offset != expected) discard("size " + std::to_string(offset) + " instead of " + std::to_string(expected));
    std::string got = hasher.finish();
    if (got != etag) discard(std::string(file.lfs ? "sha256" : "git blob sha1") + " mismatch: expected " + etag + ", got " + got);
    // Like huggingface_hub, no fsync by default: it halves throughput on a busy disk, and what a
    // crash can leave (a short blob) is caught by the size check when the blob is next used.
    if (impl.options.fsync_blobs && ::fdatasync(out.fd) != 0) {
        throw Error(ErrorKind::io, tmp.string() + ": fsync failed: " + std::strerror(errno));
    }
    ::close(out.fd);
    out.fd = -1;
    if (::rename(tmp.c_str(), blob.c_str()) != 0) {
        throw Error(ErrorKind::io, blob.string() + ": cannot rename the download into place: " + std::strerror(errno));
    }
}

static void download_blobs(const HubClient::Impl& impl, const HubCache& cache, const std::string& repo_id,
                           const std::string& commit, const std::vector<RepoFile>& blobs, int parallel, bool show_progress) {
    if (blobs.empty()) return;
    std::uint64_t total = 0;
    for (const auto& b : blobs) {
        std::uint64_t size = b.lfs ? b.lfs->size : b.size;
        std::uint64_t partial = file_size_or_zero(cache.incomplete_path(repo_id, b.etag()));
        total += partial <= size ? size - partial : size;
    }
    std::unique_ptr<Progress> progress;
    if (show_progress) progress = std::make_unique<Progress>("pull " + repo_id, total, "B");
    PullRun run;
    run.progress = progress.get();
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        try {
            HttpSession session;
            for (;;) {
                if (run.cancel) return;
                std::size_t i = next.fetch_add(1);
                if (i >= blobs.size()) return;
                download_blob(impl, session, cache, repo_id, commit, blobs[i], run);
            }
        } catch (...) {
            run.fail(std::current_exception());
        }
    };
    std::size_t threads = std::min<std::size_t>(blobs.size(), static_cast<std::size_t>(std::max(1, parallel)));
    if (threads == 1) {
        worker();
    } else {
        std::vector<std::thread> pool;
        for (std::size_t i = 0; i < threads; ++i) pool.emplace_back(worker);
        for (auto& t : pool) t.join();
    }
    if (run.error) std::rethrow_exception(run.error);
    if (progress) progress->finish();
}

static fs::path pull_from_cache(const HubCache& cache, const std::string& repo_id, const std::string& revision,
                                const PullOptions& options, const std::string& why) {
    auto commit = cache.resolve_commit(repo_id, revision);
    std::error_code ec;
    if (!commit || !fs::is_directory(cache.snapshot_dir(repo_id, *commit), ec)) {
        throw HubError(HubErrorCode::offline_miss, 0,
                       repo_id + "@" + revision + " is not in the cache " + cache.root().string() + " (" + why + ")");
    }
    // With a complete listing at hand, check the selection is all there (upstream 1.x raises
    // IncompleteSnapshotError); without one, the snapshot folder is all there is to go by.
    if (auto tree = cache.read_tree(repo_id, *commit)) {
        for (const auto& f : select_files(*tree, options)) {
            if (!cache.has_file(repo_id, *commit, f.path)) {
                throw HubError(HubErrorCode::offline_miss, 0,
                               repo_id + "@" + revision + " is incomplete in the cache: " + f.path + " is missing (" + why + ")");
            }
        }
    }
    return cache.snapshot_dir(repo_id, *commit);
}

fs::path HubClient::pull(const std::string& repo_id, const std::string& revision, const PullOptions& options) {
    validate_repo_id(repo_id);
    const std::string rev = revision.empty() ? "main" : revision;
    validate_revision(rev);
    const HubCache cache = this->cache();
    if (options_.offline) return pull_from_cache(cache, repo_id, rev, options, "HF_HUB_OFFLINE is set");

    std::string commit;
    try {
        commit = model_info(repo_id, rev).sha;
    } catch (const HubError& e) {
        // Like snapshot_download: when the Hub cannot be reached, a cached snapshot will do.
        bool unreachable = e.code() == HubErrorCode::network || e.code() == HubErrorCode::server_error ||
                           e.code() == HubErrorCode::rate_limited;
        if (!unreachable) throw;
        fs::path dir;
        try {
            dir = pull_from_cache(cache, repo_id, rev, options, e.what());
        } catch (const HubError&) {
            throw e;  // nothing cached: the network error is the one to report
        }
        log::warn("{}; using the cached snapshot {}", e.what(), dir.string());
        return dir;
    }
    std::vector<RepoFile> files;
    bool listing_from_cache = false;
    if (auto cached = cache.read_tree(repo_id, commit)) {
        files = std::move(*cached);
        listing_from_cache = true;
    } else {
        files = list_files(repo_id, commit);
    }
    std::vector<RepoFile> selected = select_files(files, options);
    if (selected.empty()) log::warn("{}@{}: no file matches the include/exclude patterns", repo_id, rev);

    cache.prepare_repo(repo_id);
    std::vector<RepoFile> blobs;
    std::set<std::string> seen;
    std::error_code ec;
    // A file counts as cached only at its listed size: a blob cut short (a crash before the
    // writeback of a renamed download) is fetched again rather than trusted.
    auto blob_ok = [&](const RepoFile& f) {
        fs::path blob = cache.blob_path(repo_id, f.etag());
        return fs::is_regular_file(blob, ec) && fs::file_size(blob, ec) == (f.lfs ? f.lfs->size : f.size);
    };
    std::vector<RepoFile> to_link;
    for (const auto& f : selected) {
        fs::path entry = cache.snapshot_file(repo_id, commit, f.path);  // a link, or a copy
        if (fs::is_regular_file(entry, ec) && fs::file_size(entry, ec) == (f.lfs ? f.lfs->size : f.size)) continue;
        to_link.push_back(f);
        if (blob_ok(f)) continue;
        if (fs::exists(cache.blob_path(repo_id, f.etag()), ec)) {
            log::warn("{}/{}: cached blob has the wrong size; downloading it again", repo_id, f.path);
            fs::remove(cache.blob_path(repo_id, f.etag()), ec);
        }
        if (seen.insert(f.etag()).second) blobs.push_back(f);
    }
    log::debug("{}@{} = {}: {} files selected, {} blobs to download", repo_id, rev, commit, selected.size(), blobs.size());
    download_blobs(*impl_, cache, repo_id, commit, blobs, options.parallel, options.progress);

    for (const auto& f : to_link) cache.link_snapshot_file(repo_id, commit, f.path, f.etag());
    fs::create_directories(cache.snapshot_dir(repo_id, commit), ec);
    cache.write_ref(repo_id, rev, commit);
    if (!listing_from_cache && selected.size() == files.size()) cache.write_tree(repo_id, commit, files);
    return cache.snapshot_dir(repo_id, commit);
}

fs::path HubClient::download_file(const std::string& repo_id, const std::string& path, const std::string& revision) {
    validate_repo_id(repo_id);
    validate_repo_path(path, repo_id);
    const std::string rev = revision.empty() ? "main" : revision;
    validate_revision(rev);
    const HubCache cache = this->cache();
    auto from_cache = [&](const std::string& why) -> fs::path {
        auto commit = cache.resolve_commit(repo_id, rev);
        if (commit && cache.has_file(repo_id, *commit, path)) return cache.snapshot_file(repo_id, *commit, path);
        if (commit && cache.is_no_exist(repo_id, *commit, path)) {
            throw HubError(HubErrorCode::entry_not_found, 0, "file '" + path + "' not found in " + repo_id + " at revision " + rev + " (cached)");
        }
        throw HubError(HubErrorCode::offline_miss, 0, repo_id + "/" + path + "@" + rev + " is not in the cache " + cache.root().string() + " (" + why + ")");
    };
    if (options_.offline) return from_cache("HF_HUB_OFFLINE is set");
    if (is_commit_sha(rev) && cache.has_file(repo_id, rev, path)) return cache.snapshot_file(repo_id, rev, path);

    FileMetadata meta;
    try {
        meta = file_metadata(repo_id, path, rev);
    } catch (const HubError& e) {
        if (e.code() == HubErrorCode::entry_not_found && is_commit_sha(e.repo_commit())) {
            cache.prepare_repo(repo_id);
            cache.mark_no_exist(repo_id, e.repo_commit(), path);
            cache.write_ref(repo_id, rev, e.repo_commit());
        }
        bool unreachable = e.code() == HubErrorCode::network || e.code() == HubErrorCode::server_error ||
                           e.code() == HubErrorCode::rate_limited;
        if (!unreachable) throw;
        try {
            return from_cache(e.what());
        } catch (const HubError&) {
            throw e;
        }
    }
    RepoFile f;
    f.path = path;
    f.size = meta.size;
    if (is_sha256_hex(meta.etag)) {
        f.lfs = LfsInfo{meta.etag, meta.size, 0};
        f.blob_id = std::string(40, '0');  // unknown and unused: the blob is named by the sha256
    } else {
        f.blob_id = meta.etag;
    }
    cache.prepare_repo(repo_id);
    if (!cache.has_file(repo_id, meta.commit, path)) {
        std::error_code ec;
        if (!fs::exists(cache.blob_path(repo_id, meta.etag), ec)) {
            download_blobs(*impl_, cache, repo_id, meta.commit, {f}, 1, false);
        }
        cache.link_snapshot_file(repo_id, meta.commit, path, meta.etag);
    }
    cache.write_ref(repo_id, rev, meta.commit);
    return cache.snapshot_file(repo_id, meta.commit, path);
}

}  // namespace hubbench::hub
