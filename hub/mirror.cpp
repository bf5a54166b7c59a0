#include "hub/mirror.hpp"

#include <fcntl.h>
#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "core/error.hpp"
#include "core/log.hpp"
#include "hub/hash.hpp"
#include "hub/mirror_api.hpp"
#include "hub/names.hpp"
#include "hub/repo_store.hpp"

namespace hubbench::hub {
namespace {

using httplib::Request;
using httplib::Response;
using namespace mirror_detail;

std::string join(const std::vector<std::string>& parts, std::size_t from, std::size_t to) {
    std::string out;
    for (std::size_t i = from; i < to && i < parts.size(); ++i) {
        if (i > from) out += '/';
        out += parts[i];
    }
    return out;
}

bool truthy(const std::string& v) { return v == "1" || v == "true" || v == "True" || v == "TRUE"; }

std::vector<std::string> param_values(const Request& req, const std::string& key) {
    std::vector<std::string> out;
    auto range = req.params.equal_range(key);
    for (auto it = range.first; it != range.second; ++it) out.push_back(it->second);
    return out;
}

std::string param(const Request& req, const std::string& key) {
    return req.has_param(key) ? req.get_param_value(key) : std::string();
}

// Keeps header values to one line: a hostile name must not split a response header.
std::string header_safe(std::string s) {
    for (char& c : s) {
        if (c == '\r' || c == '\n' || static_cast<unsigned char>(c) < 0x20) c = ' ';
    }
    return s;
}

void error(Response& res, int status, const std::string& code, const std::string& message) {
    res.status = status;
    if (!code.empty()) res.set_header("X-Error-Code", code);
    res.set_header("X-Error-Message", header_safe(message));
    res.set_content(nlohmann::json{{"error", message}}.dump(), "application/json; charset=utf-8");
}

void send_json(Response& res, const nlohmann::json& j) {
    res.status = 200;
    res.set_content(j.dump(), "application/json; charset=utf-8");
}

std::optional<std::string> bearer(const Request& req) {
    std::string auth = req.get_header_value("Authorization");
    if (auth.rfind("Bearer ", 0) != 0) return std::nullopt;
    return auth.substr(7);
}

std::string host_name(const std::string& host_header) {
    if (!host_header.empty() && host_header.front() == '[') return host_header.substr(0, host_header.find(']') + 1);
    return host_header.substr(0, host_header.find(':'));
}

// "bytes=a-b" | "bytes=a-" | "bytes=-n" against `size`: false when not a single byte range
// (then the whole file is sent, as RFC 9110 allows); `satisfiable` false for 416.
bool parse_range(const std::string& header, std::uint64_t size, std::uint64_t& begin, std::uint64_t& end,
                 bool& satisfiable) {
    if (header.rfind("bytes=", 0) != 0 || header.find(',') != std::string::npos) return false;
    std::string spec = header.substr(6);
    auto dash = spec.find('-');
    if (dash == std::string::npos) return false;
    std::string a = spec.substr(0, dash), b = spec.substr(dash + 1);
    auto digits = [](const std::string& s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos; };
    if ((!a.empty() && !digits(a)) || (!b.empty() && !digits(b)) || (a.empty() && b.empty())) return false;
    satisfiable = true;
    if (a.empty()) {  // suffix range: the last n bytes
        std::uint64_t n = std::stoull(b);
        if (n == 0 || size == 0) {
            satisfiable = false;
            return true;
        }
        begin = n >= size ? 0 : size - n;
        end = size - 1;
        return true;
    }
    begin = std::stoull(a);
    end = b.empty() ? size - 1 : std::min<std::uint64_t>(std::stoull(b), size - 1);
    if (!b.empty() && std::stoull(b) < begin) return false;
    if (begin >= size) satisfiable = false;
    return true;
}

struct OpenFile {
    int fd = -1;
    ~OpenFile() {
        if (fd >= 0) ::close(fd);
    }
};

}  // namespace

struct MirrorServer::Impl {
    explicit Impl(MirrorOptions o) : options(std::move(o)), store(options.root, options.cache) {
        std::random_device rd;
        secret = sha256_hex(std::to_string(rd()) + std::to_string(rd()) + std::to_string(rd()));
    }

    MirrorOptions options;
    RepoStore store;
    httplib::Server server;
    std::thread thread;
    int port = 0;
    std::string secret;  // signs CDN URLs, like the Hub's expiring signed CDN links

    mutable std::mutex log_mutex;
    std::vector<MirrorRequest> log;

    std::mutex fault_mutex;
    double fail_accumulator = 0;
    std::int64_t rate_window = -1;
    int rate_count = 0;

    void route(const Request& req, Response& res);
    bool inject_fault(Response& res);
    bool authorized(const MirrorRepo& repo, const std::optional<std::string>& token) const;
    std::shared_ptr<const MirrorRepo> open_repo(const Request& req, Response& res, const std::string& id,
                                                const std::string& revision, bool read_files);
    void search(const Request& req, Response& res);
    void info(const Request& req, Response& res, const std::string& id, const std::string& revision);
    void handle(const Request& req, Response& res);
    void paths_info(const Request& req, Response& res, const std::string& id, const std::string& revision);
    void tree(const Request& req, Response& res, const std::string& id, const std::string& revision,
              const std::string& folder);
    void resolve(const Request& req, Response& res, const std::string& id, const std::string& revision,
                 const std::string& path);
    void serve_file(const Request& req, Response& res, const MirrorFile& file, const std::string& etag,
                    const std::string& range);
    std::string cdn_signature(const std::string& id, const std::string& commit, const std::string& path,
                              const std::string& expires) const {
        return sha256_hex(secret + "\n" + id + "\n" + commit + "\n" + path + "\n" + expires);
    }
};

bool MirrorServer::Impl::inject_fault(Response& res) {
    std::lock_guard lock(fault_mutex);
    if (options.rate_limit > 0) {
        auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
        if (now != rate_window) {
            rate_window = now;
            rate_count = 0;
        }
        if (++rate_count > options.rate_limit) {
            res.set_header("Retry-After", std::to_string(options.retry_after_s));
            res.set_header("RateLimit", "\"resolvers\";r=0;t=" + std::to_string(options.retry_after_s));
            error(res, 429, "", "Too many requests: the mirror's --rate-limit is " + std::to_string(options.rate_limit) + "/s");
            return true;
        }
    }
    if (options.fail_rate > 0) {
        fail_accumulator += options.fail_rate;
        if (fail_accumulator >= 1.0 - 1e-9) {
            fail_accumulator -= 1.0;
            if (options.fail_status == 429) {
                res.set_header("Retry-After", std::to_string(options.retry_after_s));
                res.set_header("RateLimit", "\"resolvers\";r=0;t=" + std::to_string(options.retry_after_s));
            }
            error(res, options.fail_status, "", "fault injected by the mirror's --fail-rate");
            return true;
        }
    }
    return false;
}

bool MirrorServer::Impl::authorized(const MirrorRepo& repo, const std::optional<std::string>& token) const {
    if (!token) return false;
    if (!repo.authorized_tokens) return true;
    const auto& list = *repo.authorized_tokens;
    return std::find(list.begin(), list.end(), *token) != list.end();
}

std::shared_ptr<const MirrorRepo> MirrorServer::Impl::open_repo(const Request& req, Response& res, const std::string& id,
                                                                const std::string& revision, bool read_files) {
    if (!is_valid_repo_id(id)) {
        error(res, 400, "", "Invalid repo id: " + id);
        return nullptr;
    }
    if (!is_valid_revision(revision)) {
        error(res, 400, "", "Invalid rev id: " + revision);
        return nullptr;
    }
    auto token = bearer(req);
    if (token && !options.tokens.empty() &&
        std::find(options.tokens.begin(), options.tokens.end(), *token) == options.tokens.end()) {
        error(res, 401, "", "Invalid credentials in Authorization header");
        return nullptr;
    }
    auto found = store.lookup(id, revision);
    // Private repos look missing (401 to anonymous callers, 404 to authenticated ones).
    if (found.status == RepoStore::Status::no_repo || (found.repo && found.repo->is_private && !authorized(*found.repo, token))) {
        error(res, token ? 404 : 401, "RepoNotFound", "Repository not found");
        return nullptr;
    }
    if (found.status == RepoStore::Status::no_revision) {
        error(res, 404, "RevisionNotFound", "Invalid rev id: " + revision);
        return nullptr;
    }
    const auto& repo = found.repo;
    if (repo->disabled) {
        error(res, 403, "", "Access to this resource is disabled.");
        return nullptr;
    }
    if (read_files && repo->gated != "false" && !authorized(*repo, token)) {
        if (token) {
            error(res, 403, "GatedRepo",
                  "Access to model " + id + " is restricted and you are not in the authorized list. Visit " +
                      "the repo page to ask for access.");
        } else {
            error(res, 401, "GatedRepo",
                  "Access to model " + id +
                      " is restricted. You must have access to it and be authenticated to access it. Please log in.");
        }
        return nullptr;
    }
    return repo;
}

void MirrorServer::Impl::route(const Request& req, Response& res) {
    // POST is paths-info's only; everything else is read with GET or HEAD.
    const bool post = req.method == "POST";
    if (req.method != "GET" && req.method != "HEAD" && !post) {
        error(res, 405, "", "Method not allowed");
        return;
    }
    const std::string raw_path = req.target.substr(0, req.target.find('?'));
    // Each segment is decoded on its own, so "refs%2Fpr%2F1" stays one revision segment.
    std::vector<std::string> s;
    std::size_t start = 1;
    while (start <= raw_path.size()) {
        std::size_t end = raw_path.find('/', start);
        if (end == std::string::npos) end = raw_path.size();
        std::string seg;
        if (!url_unquote(raw_path.substr(start, end - start), seg) || seg.find('\0') != std::string::npos) {
            error(res, 400, "", "Invalid path");
            return;
        }
        s.push_back(std::move(seg));
        start = end + 1;
    }
    if (!s.empty() && s.back().empty()) s.pop_back();
    for (const auto& seg : s) {
        if (seg.empty() || seg == "." || seg == "..") {
            error(res, 400, "", "Invalid path");
            return;
        }
    }
    // Faults hit the Hub's own endpoints (API and /resolve, what the Hub rate-limits as
    // "resolvers"), not the resolve-cache and CDN hops a redirect leads to; drops and corruption
    // hit the bytes wherever they are served.
    bool hub_endpoint = !(s.size() >= 2 && s[0] == "api" && s[1] == "resolve-cache") && !(!s.empty() && s[0] == "cdn");
    if (hub_endpoint && inject_fault(res)) return;

    if (s.size() >= 2 && s[0] == "api" && s[1] == "models") {
        if (s.size() == 2) return search(req, res);
        auto keyword = [](const std::string& w) {
            return w == "revision" || w == "tree" || w == "auth-check" || w == "paths-info";
        };
        std::size_t id_len = s.size() >= 4 && !keyword(s[3]) ? 2 : 1;
        std::string id = join(s, 2, 2 + id_len);
        std::vector<std::string> rest(s.begin() + static_cast<std::ptrdiff_t>(std::min(s.size(), 2 + id_len)), s.end());
        if (!rest.empty() && rest[0] == "paths-info" && rest.size() >= 2) {
            if (!post) return error(res, 405, "", "Method not allowed");
            return paths_info(req, res, id, join(rest, 1, rest.size()));
        }
        if (post) return error(res, 405, "", "Method not allowed");
        if (rest.empty()) return info(req, res, id, "main");
        if (rest[0] == "revision" && rest.size() >= 2) return info(req, res, id, join(rest, 1, rest.size()));
        if (rest[0] == "tree" && rest.size() >= 2) return tree(req, res, id, rest[1], join(rest, 2, rest.size()));
        if (rest[0] == "auth-check" && rest.size() == 1) {
            if (open_repo(req, res, id, "main", true)) send_json(res, nlohmann::json::object());
            return;
        }
    } else if (post) {
        return error(res, 405, "", "Method not allowed");
    } else if (s.size() >= 6 && s[0] == "api" && s[1] == "resolve-cache" && s[2] == "models") {
        std::string path = join(s, 5, s.size());
        auto repo = open_repo(req, res, s[3], s[4], true);
        if (!repo) return;
        const MirrorFile* file = repo->find(path);
        if (file == nullptr || file->meta.lfs || s[4] != repo->commit) {
            res.set_header("X-Repo-Commit", repo->commit);
            return error(res, 404, "EntryNotFound", "Entry not found");
        }
        res.set_header("X-Repo-Commit", repo->commit);
        return serve_file(req, res, *file, file->meta.blob_id, req.get_header_value("Range"));
    } else if (s.size() >= 4 && s[0] == "cdn") {
        // The "CDN": no token may arrive here (file_download.py drops it across hosts).
        if (req.has_header("Authorization")) {
            return error(res, 400, "", "Authorization header sent to the CDN host " + req.get_header_value("Host"));
        }
        const std::string &id = s[1], &commit = s[2];
        std::string path = join(s, 3, s.size());
        std::string expires = param(req, "Expires");
        long long exp = expires.empty() ? 0 : std::atoll(expires.c_str());
        long long now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
        if (param(req, "Signature") != cdn_signature(id, commit, path, expires) || exp < now) {
            return error(res, 403, "", "Request has expired or the signature does not match");
        }
        auto found = store.lookup(id, commit);
        const MirrorFile* file = found.repo ? found.repo->find(path) : nullptr;
        if (found.status != RepoStore::Status::ok || file == nullptr || !file->meta.lfs) return error(res, 404, "", "Not found");
        return serve_file(req, res, *file, file->meta.lfs->sha256, req.get_header_value("Range"));
    } else {
        for (std::size_t k : {std::size_t{1}, std::size_t{2}}) {
            if (s.size() >= k + 3 && s[k] == "resolve") return resolve(req, res, join(s, 0, k), s[k + 1], join(s, k + 2, s.size()));
        }
    }
    error(res, 404, "", "Not found");
}

void MirrorServer::Impl::search(const Request& req, Response& res) {
    SearchFilter filter;
    filter.search = param(req, "search");
    filter.author = param(req, "author");
    filter.pipeline_tag = param(req, "pipeline_tag");
    filter.libraries = param_values(req, "library");
    filter.languages = param_values(req, "language");
    filter.tags = param_values(req, "filter");
    FieldSelection fields;
    fields.full = truthy(param(req, "full"));
    fields.config = truthy(param(req, "config"));
    fields.card_data = truthy(param(req, "cardData"));
    fields.expand = param_values(req, "expand");
    for (auto& e : param_values(req, "expand[]")) fields.expand.push_back(e);
    if (!fields.expand.empty() && (fields.full || fields.config || fields.card_data)) {
        return error(res, 400, "", "expand cannot be combined with full, config or cardData");
    }
    std::size_t limit = 1000;
    if (auto l = param(req, "limit"); !l.empty()) {
        if (l.find_first_not_of("0123456789") != std::string::npos) return error(res, 400, "", "Invalid limit");
        limit = std::clamp<std::size_t>(std::stoull(l), 1, 1000);
    }
    std::size_t offset = 0;
    if (auto c = param(req, "cursor"); !c.empty()) {
        if (c.find_first_not_of("0123456789") != std::string::npos) return error(res, 400, "", "Invalid cursor");
        offset = std::stoull(c);
    }
    auto token = bearer(req);
    std::vector<std::shared_ptr<const MirrorRepo>> repos;
    for (const auto& id : store.repo_ids()) {
        auto found = store.lookup(id, "main");
        if (found.status != RepoStore::Status::ok) continue;
        if (found.repo->is_private && !authorized(*found.repo, token)) continue;
        if (matches(*found.repo, filter)) repos.push_back(found.repo);
    }
    if (!sort_repos(repos, param(req, "sort"))) return error(res, 400, "", "Invalid sort parameter: " + param(req, "sort"));
    nlohmann::json out = nlohmann::json::array();
    for (std::size_t i = offset; i < repos.size() && i < offset + limit; ++i) out.push_back(model_json(*repos[i], fields));
    if (offset + limit < repos.size()) {
        // An absolute URL on the host the client used, carrying every parameter (_pagination.py).
        std::string query = req.target.find('?') == std::string::npos ? "" : req.target.substr(req.target.find('?') + 1);
        std::string kept;
        std::size_t pos = 0;
        while (pos <= query.size() && !query.empty()) {
            std::size_t amp = query.find('&', pos);
            if (amp == std::string::npos) amp = query.size();
            std::string item = query.substr(pos, amp - pos);
            if (!item.empty() && item.rfind("cursor=", 0) != 0) kept += (kept.empty() ? "" : "&") + item;
            pos = amp + 1;
        }
        std::string next = "http://" + header_safe(req.get_header_value("Host")) + "/api/models?" + kept +
                           (kept.empty() ? "" : "&") + "cursor=" + std::to_string(offset + limit);
        res.set_header("Link", "<" + next + ">; rel=\"next\"");
    }
    send_json(res, out);
}

void MirrorServer::Impl::info(const Request& req, Response& res, const std::string& id, const std::string& revision) {
    auto repo = open_repo(req, res, id, revision, false);
    if (!repo) return;
    FieldSelection fields;
    fields.info = true;
    fields.blobs = truthy(param(req, "blobs"));
    fields.expand = param_values(req, "expand");
    for (auto& e : param_values(req, "expand[]")) fields.expand.push_back(e);
    send_json(res, model_json(*repo, fields));
}

// POST /api/models/{id}/paths-info/{revision} (hf_api.py get_paths_info, @huggingface/hub
// pathsInfo): the tree entry of each asked path that exists, files and folders, in the order
// asked; paths that do not exist are left out, as the Hub does. The body is a form (paths=a&paths=b,
// what huggingface_hub sends) or JSON {"paths": [...], "expand": bool} (the JS client). With
// expand, each entry also carries lastCommit and securityFileStatus (docs/hub-api.md §9).
void MirrorServer::Impl::paths_info(const Request& req, Response& res, const std::string& id, const std::string& revision) {
    auto repo = open_repo(req, res, id, revision, false);
    if (!repo) return;
    std::vector<std::string> paths;
    bool expand = truthy(param(req, "expand"));
    if (req.get_header_value("Content-Type").rfind("application/json", 0) == 0) {
        const auto body = nlohmann::json::parse(req.body, nullptr, false);
        if (body.is_discarded() || !body.is_object() || !body.contains("paths") || !body["paths"].is_array())
            return error(res, 400, "", "Expected a JSON object with a \"paths\" list");
        for (const auto& p : body["paths"]) {
            if (!p.is_string()) return error(res, 400, "", "\"paths\" must hold strings");
            paths.push_back(p.get<std::string>());
        }
        expand = body.value("expand", false) == true;
    } else {
        paths = param_values(req, "paths");
        for (auto& p : param_values(req, "paths[]")) paths.push_back(p);
    }
    bool found = false;
    std::map<std::string, nlohmann::json> by_path;
    for (auto& e : tree_entries(*repo, "", true, found)) by_path.emplace(e["path"].get<std::string>(), std::move(e));
    nlohmann::json out = nlohmann::json::array();
    std::set<std::string> seen;
    for (const auto& p : paths) {
        const std::string path = p.size() > 1 && p.back() == '/' ? p.substr(0, p.size() - 1) : p;
        if (!is_valid_repo_path(path) || !seen.insert(path).second) continue;
        auto it = by_path.find(path);
        if (it == by_path.end()) continue;
        nlohmann::json entry = it->second;
        if (expand) {
            // The mirror keeps one commit per repo: it is every path's last commit. The JS
            // client's downloadFileToCacheDir names the snapshot folder after lastCommit.id.
            entry["lastCommit"] = {{"id", repo->commit}, {"title", "hubbench mirror snapshot"}, {"date", repo->last_modified}};
            // The Hub's shape (huggingface_hub's BlobSecurityInfo reads all three); nothing was scanned.
            entry["securityFileStatus"] = {{"status", "unscanned"}, {"avScan", {{"virusFound", false}, {"virusNames", nullptr}}},
                                           {"pickleImportScan", nullptr}};
        }
        out.push_back(std::move(entry));
    }
    res.set_header("X-Repo-Commit", repo->commit);
    send_json(res, out);
}

void MirrorServer::Impl::tree(const Request& req, Response& res, const std::string& id, const std::string& revision,
                              const std::string& folder) {
    auto repo = open_repo(req, res, id, revision, false);
    if (!repo) return;
    if (!folder.empty() && !is_valid_repo_path(folder)) return error(res, 400, "", "Invalid path");
    bool found = false;
    auto entries = tree_entries(*repo, folder, truthy(param(req, "recursive")), found);
    if (!found) {
        res.set_header("X-Repo-Commit", repo->commit);
        return error(res, 404, "EntryNotFound", "Entry not found");
    }
    std::size_t offset = 0;
    if (auto c = param(req, "cursor"); !c.empty() && c.find_first_not_of("0123456789") == std::string::npos) offset = std::stoull(c);
    std::size_t page = std::max<std::size_t>(1, options.tree_page_size);
    nlohmann::json out = nlohmann::json::array();
    for (std::size_t i = offset; i < entries.size() && i < offset + page; ++i) out.push_back(entries[i]);
    if (offset + page < entries.size()) {
        std::string path = req.target.substr(0, req.target.find('?'));
        std::string next = "http://" + header_safe(req.get_header_value("Host")) + path + "?recursive=" +
                           (truthy(param(req, "recursive")) ? "true" : "false") + "&expand=false&cursor=" +
                           std::to_string(offset + page);
        res.set_header("Link", "<" + next + ">; rel=\"next\"");
    }
    send_json(res, out);
}

void MirrorServer::Impl::resolve(const Request& req, Response& res, const std::string& id, const std::string& revision,
                                 const std::string& path) {
    auto repo = open_repo(req, res, id, revision, true);
    if (!repo) return;
    if (!is_valid_repo_path(path)) return error(res, 400, "", "Invalid path");
    res.set_header("X-Repo-Commit", repo->commit);
    const MirrorFile* file = repo->find(path);
    if (file == nullptr) return error(res, 404, "EntryNotFound", "Entry not found");
    const std::string& etag = file->meta.etag();
    res.set_header("ETag", "\"" + etag + "\"");
    res.set_header("X-Linked-Etag", "\"" + etag + "\"");
    res.set_header("X-Linked-Size", std::to_string(file->meta.size));
    if (file->meta.lfs) {
        // Absolute redirect to the CDN host name with an expiring signature (the Hub's cdn-lfs /
        // xet-bridge links); the client must not send its token there.
        std::string host = options.cdn_host;
        if (host.empty()) {
            std::string h = host_name(req.get_header_value("Host"));
            host = h == "127.0.0.1" ? "localhost" : h == "localhost" ? "127.0.0.1" : (h.empty() ? options.host : h);
        }
        long long exp = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count() + 3600;
        std::string expires = std::to_string(exp);
        std::string location = "http://" + host + ":" + std::to_string(port) + "/cdn/" + url_quote(id, "") + "/" +
                               repo->commit + "/" + url_quote(path) + "?Expires=" + expires +
                               "&Signature=" + cdn_signature(id, repo->commit, path, expires);
        res.status = 302;
        res.set_header("Location", location);
    } else {
        res.status = 307;
        res.set_header("Location", "/api/resolve-cache/models/" + url_quote(id, "") + "/" + repo->commit + "/" +
                                       url_quote(path) + "?etag=%22" + etag + "%22");
    }
}

void MirrorServer::Impl::serve_file(const Request& req, Response& res, const MirrorFile& file, const std::string& etag,
                                    const std::string& range) {
    auto opened = std::make_shared<OpenFile>();
    opened->fd = ::open(file.disk_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (opened->fd < 0) return error(res, 500, "", "cannot open " + file.meta.path + ": " + std::strerror(errno));
    const std::uint64_t size = file.meta.size;
    std::uint64_t begin = 0, end = size == 0 ? 0 : size - 1;
    bool satisfiable = true;
    bool ranged = !options.ignore_range && !range.empty() && parse_range(range, size, begin, end, satisfiable);
    res.set_header("Accept-Ranges", "bytes");
    res.set_header("ETag", "\"" + etag + "\"");
    if (ranged && !satisfiable) {
        res.status = 416;
        res.set_header("Content-Range", "bytes */" + std::to_string(size));
        return;
    }
    res.status = ranged ? 206 : 200;
    if (ranged) res.set_header("Content-Range", "bytes " + std::to_string(begin) + "-" + std::to_string(end) + "/" + std::to_string(size));
    const std::uint64_t length = size == 0 ? 0 : end - begin + 1;
    if (length == 0) {
        res.set_content("", "application/octet-stream");
        return;
    }
    if (req.method == "HEAD") {
        res.set_content_provider(length, "application/octet-stream", [](size_t, size_t, httplib::DataSink&) { return false; });
        return;
    }
    const std::uint64_t drop = options.drop_after_bytes;
    const bool corrupt = options.corrupt;
    const std::uint64_t rate = options.throttle_bytes_per_s;
    const auto started = std::chrono::steady_clock::now();
    res.set_content_provider(
        length, "application/octet-stream",
        [opened, begin, size, drop, corrupt, rate, started](size_t offset, size_t want, httplib::DataSink& sink) {
            // `offset` counts bytes of this response; the file position is begin + offset.
            static thread_local std::vector<char> buffer(1 << 20);
            std::size_t n = std::min<std::size_t>(want, buffer.size());
            if (rate > 0) {  // at most a tenth of a second's worth per write, sent on schedule
                n = std::min<std::size_t>(n, std::max<std::uint64_t>(1, rate / 10));
                auto due = started + std::chrono::microseconds((offset + n) * 1000000 / rate);
                std::this_thread::sleep_until(due);
            }
            if (drop > 0) {
                if (offset >= drop) return false;  // cut the connection: the fault under test
                n = std::min<std::size_t>(n, drop - offset);
            }
            ssize_t got = ::pread(opened->fd, buffer.data(), n, static_cast<off_t>(begin + offset));
            if (got <= 0) return false;
            std::uint64_t pos = begin + offset;
            if (corrupt && pos <= size - 1 && size - 1 < pos + static_cast<std::uint64_t>(got)) {
                buffer[size - 1 - pos] = static_cast<char>(buffer[size - 1 - pos] ^ 0x5a);
            }
            if (!sink.write(buffer.data(), static_cast<std::size_t>(got))) return false;
            return !(drop > 0 && offset + static_cast<std::size_t>(got) >= drop);
        });
}

// Every request, whatever its method: routed, faults and errors answered, then logged.
void MirrorServer::Impl::handle(const Request& req, Response& res) {
    // We answer Range ourselves (416 with bytes */N, drops and corruption at the right
    // offsets); httplib must not re-apply it to our bodies. The request object is not
    // const in httplib, only this view of it.
    const_cast<Request&>(req).ranges.clear();
    try {
        route(req, res);
    } catch (const std::exception& e) {
        res.content_provider_ = nullptr;
        res.content_length_ = 0;
        res.headers.clear();
        error(res, 500, "", std::string("mirror: ") + e.what());
    }
    // Logged before the response goes out, so a client that has its answer can count on the
    // request being in requests().
    MirrorRequest r{req.method, req.target, req.get_header_value("Host"), res.status, req.has_header("Authorization"),
                    req.get_header_value("Range")};
    log::debug("mirror: {} {} {} -> {}", r.method, r.host, r.target, r.status);
    {
        std::lock_guard lock(log_mutex);
        log.push_back(std::move(r));
    }
}

MirrorServer::MirrorServer(MirrorOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

MirrorServer::~MirrorServer() { stop(); }

void MirrorServer::start() {
    Impl& m = *impl_;
    if (m.thread.joinable()) return;
    std::error_code ec;
    if (!m.options.root.empty() && !std::filesystem::is_directory(m.options.root, ec)) {
        throw Error(ErrorKind::not_found, "mirror: --root " + m.options.root.string() + " is not a directory");
    }
    if (!m.options.cache.empty() && !std::filesystem::is_directory(m.options.cache, ec)) {
        throw Error(ErrorKind::not_found, "mirror: --cache " + m.options.cache.string() + " is not a directory");
    }
    // Enough workers that keep-alive connections of a parallel pull never queue behind each other.
    m.server.new_task_queue = [] { return new httplib::ThreadPool(64); };
    m.server.set_keep_alive_max_count(1000);
    m.server.set_keep_alive_timeout(2);
    m.server.set_tcp_nodelay(true);  // small answers go out at once, not after a 40 ms delayed ACK
    m.server.set_read_timeout(30);
    m.server.set_write_timeout(30);
    m.server.set_tcp_nodelay(true);
    // A POST body must be read before the request is answered, or its bytes would be taken for the
    // next request on the keep-alive connection: POSTs go past the pre-routing handler, httplib
    // reads their body (and parses a form into params), and this handler routes them.
    m.server.Post(".*", [this](const Request& req, Response& res) { impl_->handle(req, res); });
    m.server.set_pre_routing_handler([this](const Request& req, Response& res) {
        if (req.method == "POST") return httplib::Server::HandlerResponse::Unhandled;
        impl_->handle(req, res);
        return httplib::Server::HandlerResponse::Handled;
    });
    if (m.options.port == 0) {
        m.port = m.server.bind_to_any_port(m.options.host);
        if (m.port <= 0) throw Error(ErrorKind::io, "mirror: cannot listen on " + m.options.host + " (any port)");
    } else {
        if (!m.server.bind_to_port(m.options.host, m.options.port)) {
            throw Error(ErrorKind::io, "mirror: cannot listen on " + m.options.host + ":" + std::to_string(m.options.port));
        }
        m.port = m.options.port;
    }
    m.thread = std::thread([this] { impl_->server.listen_after_bind(); });
    for (int i = 0; i < 5000 && !m.server.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

void MirrorServer::stop() {
    if (!impl_ || !impl_->thread.joinable()) return;
    impl_->server.stop();
    impl_->thread.join();
}

bool MirrorServer::running() const { return impl_->thread.joinable() && impl_->server.is_running(); }

int MirrorServer::port() const { return impl_->port; }

std::string MirrorServer::url() const {
    const std::string& h = impl_->options.host;
    std::string host = h == "0.0.0.0" || h.empty() ? "127.0.0.1" : (h.find(':') != std::string::npos ? "[" + h + "]" : h);
    return "http://" + host + ":" + std::to_string(impl_->port);
}

std::vector<MirrorRequest> MirrorServer::requests() const {
    std::lock_guard lock(impl_->log_mutex);
    return impl_->log;
}

void MirrorServer::clear_requests() {
    std::lock_guard lock(impl_->log_mutex);
    impl_->log.clear();
}

}  // namespace hubbench::hub
