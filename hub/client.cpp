#include "hub/client.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <regex>

#include "core/log.hpp"
#include "hub/client_impl.hpp"
#include "hub/names.hpp"

namespace hubbench::hub {
namespace {

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v == nullptr ? std::string() : std::string(v);
}

bool env_true(const char* name) {
    std::string v = env(name);
    std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return v == "1" || v == "true" || v == "yes" || v == "on";
}

std::string strip(std::string s) {
    auto not_space = [](unsigned char c) { return !std::isspace(c); };
    s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
    s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
    return s;
}

bool is_redirect(long status) { return status == 301 || status == 302 || status == 303 || status == 307 || status == 308; }

// Link: <url>; rel="next" (utils/_pagination.py).
std::optional<std::string> next_link(const HttpResponse& r) {
    auto link = r.header("link");
    if (!link) return std::nullopt;
    static const std::regex re(R"re(<([^>]*)>\s*;\s*rel="?next"?)re");
    std::smatch m;
    if (std::regex_search(*link, m, re)) return resolve_url(r.url, m[1].str());
    return std::nullopt;
}

const char* sort_param(SearchSort s) {
    switch (s) {
        case SearchSort::downloads: return "downloads";
        case SearchSort::likes: return "likes";
        case SearchSort::last_modified: return "lastModified";
        case SearchSort::created_at: return "createdAt";
        case SearchSort::trending: return "trendingScore";
    }
    return "downloads";
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

}  // namespace

// ---- options -------------------------------------------------------------------------------

ClientOptions ClientOptions::from_environment() {
    ClientOptions o;
    if (auto e = env("HF_ENDPOINT"); !e.empty()) o.endpoint = e;
    while (!o.endpoint.empty() && o.endpoint.back() == '/') o.endpoint.pop_back();
    // utils/_auth.py get_token order: HF_TOKEN, HUGGING_FACE_HUB_TOKEN, then the token file.
    if (!env_true("HF_HUB_DISABLE_IMPLICIT_TOKEN")) {
        for (const char* name : {"HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"}) {
            if (auto t = strip(env(name)); !t.empty()) {
                o.token = t;
                break;
            }
        }
        if (!o.token) {
            std::filesystem::path file = env("HF_TOKEN_PATH").empty() ? hf_home() / "token" : std::filesystem::path(env("HF_TOKEN_PATH"));
            std::ifstream in(file);
            if (in) {
                std::string t((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
                if (t = strip(t); !t.empty()) o.token = t;
            }
        }
    }
    o.offline = env_true("HF_HUB_OFFLINE") || env_true("TRANSFORMERS_OFFLINE");
    o.cache_dir = default_cache_dir();
    if (auto t = env("HF_HUB_DOWNLOAD_TIMEOUT"); !t.empty()) o.timeout_s = std::max(1L, std::atol(t.c_str()));
    o.fsync_blobs = env_true("HUBBENCH_HUB_FSYNC");
    if (auto b = env("HUBBENCH_RETRY_BASE_MS"); !b.empty()) {
        o.retry.base_delay = std::chrono::milliseconds(std::max(0L, std::atol(b.c_str())));
        o.retry.max_delay = o.retry.base_delay * 8;
    }
    return o;
}

std::optional<SearchSort> parse_search_sort(const std::string& name) {
    if (name == "downloads") return SearchSort::downloads;
    if (name == "likes") return SearchSort::likes;
    if (name == "lastModified" || name == "last_modified") return SearchSort::last_modified;
    if (name == "createdAt" || name == "created_at") return SearchSort::created_at;
    if (name == "trending" || name == "trendingScore" || name == "trending_score") return SearchSort::trending;
    return std::nullopt;
}

// ---- request machinery ---------------------------------------------------------------------

HubClient::Impl::Impl(const ClientOptions& o) : options(o), endpoint_origin(url_origin(o.endpoint)) {}

std::string HubClient::Impl::absolute(const std::string& url_or_path) const {
    if (url_or_path.rfind("http://", 0) == 0 || url_or_path.rfind("https://", 0) == 0) return url_or_path;
    return options.endpoint + url_or_path;
}

std::vector<std::string> HubClient::Impl::auth_headers(const std::string& url) const {
    if (!options.token || endpoint_origin.empty() || url_origin(url) != endpoint_origin) return {};
    return {"Authorization: Bearer " + *options.token};
}

HttpRequest HubClient::Impl::make_request(const std::string& method, const std::string& url) const {
    HttpRequest r;
    r.method = method;
    r.url = absolute(url);
    r.connect_timeout_s = options.timeout_s;
    r.stall_timeout_s = options.timeout_s;
    return r;
}

HttpResponse HubClient::Impl::send(HttpSession& s, HttpRequest request, bool follow_cross_origin) const {
    if (options.offline) {
        throw HubError(HubErrorCode::offline_miss, 0, "HF_HUB_OFFLINE is set: not requesting " + request.url);
    }
    const std::vector<std::string> base_headers = request.headers;
    for (int hop = 0; hop <= 10; ++hop) {
        request.headers = base_headers;
        for (auto& h : auth_headers(request.url)) request.headers.push_back(std::move(h));
        HttpResponse response = s.perform(request);
        auto location = response.header("location");
        if (!is_redirect(response.status) || !location) return response;
        std::string next = resolve_url(request.url, *location);
        if (!follow_cross_origin && url_origin(next) != url_origin(request.url)) return response;
        log::trace("{} {} -> {} {}", request.method, request.url, response.status, next);
        request.url = next;
    }
    throw HubError(HubErrorCode::bad_response, 0, "too many redirects from " + request.url);
}

HttpResponse HubClient::Impl::send_with_retry(HttpSession& s, const HttpRequest& request, const RequestContext& context,
                                              bool follow_cross_origin) const {
    for (int attempt = 0;; ++attempt) {
        HttpResponse response;
        try {
            response = send(s, request, follow_cross_origin);
        } catch (const TransportError& e) {
            if (attempt >= options.retry.max_retries) {
                throw HubError(HubErrorCode::network, 0,
                               std::string(e.what()) + " (after " + std::to_string(attempt) + " retries)");
            }
            auto delay = retry_delay(options.retry, attempt, nullptr);
            log::debug("{}; retrying in {} ms", e.what(), delay.count());
            interruptible_sleep(delay);
            continue;
        }
        if (response.status < 400) return response;
        if (is_retryable_status(response.status)) {
            if (attempt < options.retry.max_retries) {
                auto delay = retry_delay(options.retry, attempt, &response);
                log::debug("HTTP {} from {}; retrying in {} ms", response.status, response.url, delay.count());
                interruptible_sleep(delay);
                continue;
            }
            try {
                raise_for_status(response, context);
            } catch (const HubError& e) {
                throw HubError(e.code(), e.http_status(), std::string(e.what()) + " (after " + std::to_string(attempt) + " retries)");
            }
        }
        raise_for_status(response, context);
    }
}

nlohmann::json HubClient::Impl::get_json(const std::string& url, const RequestContext& context, HttpResponse* out) {
    HttpResponse r;
    {
        std::lock_guard lock(session_mutex);
        r = send_with_retry(session, make_request("GET", url), context, true);
    }
    nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
    if (j.is_discarded()) {
        throw HubError(HubErrorCode::bad_response, static_cast<int>(r.status), r.url + ": response is not valid JSON");
    }
    if (out != nullptr) *out = std::move(r);
    return j;
}

// ---- HubClient -----------------------------------------------------------------------------

HubClient::HubClient() : HubClient(ClientOptions::from_environment()) {}

HubClient::HubClient(ClientOptions options) : options_(std::move(options)) {
    while (!options_.endpoint.empty() && options_.endpoint.back() == '/') options_.endpoint.pop_back();
    if (options_.cache_dir.empty()) options_.cache_dir = default_cache_dir();
    if (options_.token && options_.token->empty()) options_.token.reset();
    impl_ = std::make_unique<Impl>(options_);
}

HubClient::~HubClient() = default;

HttpResponse HubClient::get(const std::string& url, const RequestContext& context,
                            const std::vector<std::string>& extra_headers) {
    HttpRequest r = impl_->make_request("GET", url);
    r.headers = extra_headers;
    std::lock_guard lock(impl_->session_mutex);
    return impl_->send_with_retry(impl_->session, r, context, true);
}

ModelInfo HubClient::model_info(const std::string& repo_id, const std::string& revision, bool files_metadata) {
    validate_repo_id(repo_id);
    std::string rev = revision.empty() ? "main" : revision;
    validate_revision(rev);
    std::string url = "/api/models/" + repo_id + "/revision/" + url_quote(rev, "");
    if (files_metadata) url += "?blobs=true";
    auto j = impl_->get_json(url, {repo_id, rev, ""});
    ModelInfo info = parse_model_info(j, options_.endpoint + url);
    if (info.sha.empty()) throw HubError(HubErrorCode::bad_response, 0, options_.endpoint + url + ": no \"sha\" in the reply");
    return info;
}

std::vector<RepoFile> HubClient::list_files(const std::string& repo_id, const std::string& commit) {
    validate_repo_id(repo_id);
    validate_revision(commit);
    std::string url = "/api/models/" + repo_id + "/tree/" + url_quote(commit, "") + "?recursive=true&expand=false";
    std::vector<RepoFile> files;
    std::optional<std::string> next = url;
    while (next) {
        HttpResponse r;
        auto j = impl_->get_json(*next, {repo_id, commit, ""}, &r);
        if (!j.is_array()) throw HubError(HubErrorCode::bad_response, 0, r.url + ": expected a JSON array of tree entries");
        for (const auto& e : j) {
            if (!e.is_object() || e.value("type", "") != "file") continue;
            RepoFile f;
            f.path = e.value("path", "");
            if (!is_valid_repo_path(f.path)) {
                throw HubError(HubErrorCode::bad_response, 0,
                               "unsafe file name '" + f.path + "' in the tree of " + repo_id + ": refusing to download");
            }
            f.size = e.value("size", std::uint64_t{0});
            f.blob_id = e.value("oid", "");
            if (auto l = e.find("lfs"); l != e.end() && l->is_object()) {
                f.lfs = LfsInfo{l->value("oid", l->value("sha256", "")), l->value("size", f.size), l->value("pointerSize", std::uint64_t{0})};
                if (!is_sha256_hex(f.lfs->sha256)) {
                    throw HubError(HubErrorCode::bad_response, 0, r.url + ": bad LFS oid for " + f.path);
                }
            }
            if (!is_commit_sha(f.blob_id)) throw HubError(HubErrorCode::bad_response, 0, r.url + ": bad blob oid for " + f.path);
            files.push_back(std::move(f));
        }
        next = next_link(r);
    }
    std::sort(files.begin(), files.end(), [](const RepoFile& a, const RepoFile& b) { return a.path < b.path; });
    return files;
}

FileMetadata HubClient::file_metadata(const std::string& repo_id, const std::string& path, const std::string& revision) {
    validate_repo_id(repo_id);
    validate_repo_path(path, repo_id);
    std::string rev = revision.empty() ? "main" : revision;
    validate_revision(rev);
    HttpRequest req = impl_->make_request("HEAD", "/" + repo_id + "/resolve/" + url_quote(rev, "") + "/" + url_quote(path));
    HttpResponse r;
    {
        std::lock_guard lock(impl_->session_mutex);
        r = impl_->send_with_retry(impl_->session, req, {repo_id, rev, path}, false);
    }
    FileMetadata m;
    m.commit = r.header("x-repo-commit").value_or("");
    std::string etag = r.header("x-linked-etag").value_or(r.header("etag").value_or(""));
    if (etag.rfind("W/", 0) == 0) etag = etag.substr(2);
    etag.erase(std::remove(etag.begin(), etag.end(), '"'), etag.end());
    m.etag = etag;
    std::string size = r.header("x-linked-size").value_or(is_redirect(r.status) ? "" : r.header("content-length").value_or(""));
    if (!is_commit_sha(m.commit)) throw HubError(HubErrorCode::bad_response, 0, r.url + ": missing or bad X-Repo-Commit");
    if (!is_blob_etag(m.etag)) throw HubError(HubErrorCode::bad_response, 0, r.url + ": missing or bad ETag '" + m.etag + "'");
    if (size.empty() || size.find_first_not_of("0123456789") != std::string::npos) {
        throw HubError(HubErrorCode::bad_response, 0, r.url + ": missing file size (X-Linked-Size / Content-Length)");
    }
    m.size = std::stoull(size);
    m.location = r.header("location") ? resolve_url(r.url, *r.header("location")) : r.url;
    return m;
}

// ---- search --------------------------------------------------------------------------------

std::vector<ModelSummary> HubClient::search(const SearchQuery& q) {
    std::vector<std::pair<std::string, std::string>> params;
    if (!q.search.empty()) params.emplace_back("search", q.search);
    if (!q.author.empty()) params.emplace_back("author", q.author);
    if (!q.pipeline_tag.empty()) params.emplace_back("pipeline_tag", q.pipeline_tag);
    if (!q.library.empty()) params.emplace_back("filter", q.library);  // 1.x sends libraries as tags
    for (const auto& t : q.tags) params.emplace_back("filter", t);
    if (q.sort) params.emplace_back("sort", sort_param(*q.sort));
    std::size_t page = q.page_size != 0 ? q.page_size : std::min<std::size_t>(std::max<std::size_t>(q.limit, 1), 1000);
    params.emplace_back("limit", std::to_string(page));
    const bool want_params = q.min_params || q.max_params;
    for (const char* field : {"author", "sha", "lastModified", "createdAt", "gated", "private", "downloads", "likes",
                              "trendingScore", "tags", "pipeline_tag", "library_name", "cardData", "safetensors"}) {
        params.emplace_back("expand", field);
    }
    if (want_params) params.emplace_back("expand", "siblings");
    std::string url = "/api/models";
    for (std::size_t i = 0; i < params.size(); ++i) {
        url += (i == 0 ? "?" : "&") + params[i].first + "=" + url_quote(params[i].second, "");
    }

    std::vector<ModelSummary> out;
    std::optional<std::string> next = url;
    while (next && out.size() < q.limit) {
        HttpResponse r;
        auto j = impl_->get_json(*next, {}, &r);
        if (!j.is_array()) throw HubError(HubErrorCode::bad_response, 0, r.url + ": expected a JSON array of models");
        for (const auto& item : j) {
            ModelInfo m = parse_model_info(item, r.url);
            if (!q.license.empty() && lower(m.license) != lower(q.license)) continue;
            if (want_params) {
                if (!m.params && is_valid_repo_id(m.id)) {
                    try {
                        if (auto counted = count_parameters(m.id, m.sha.empty() ? "main" : m.sha)) {
                            m.params_by_dtype = *counted;
                            std::uint64_t total = 0;
                            for (const auto& [dtype, n] : *counted) total += n;
                            m.params = total;
                        }
                    } catch (const HubError& e) {
                        log::debug("cannot count the parameters of {}: {}", m.id, e.what());
                    }
                }
                if (!m.params) continue;
                if (q.min_params && *m.params < *q.min_params) continue;
                if (q.max_params && *m.params > *q.max_params) continue;
            }
            out.push_back(static_cast<const ModelSummary&>(m));
            if (out.size() >= q.limit) break;
        }
        next = next_link(r);
    }
    return out;
}

}  // namespace hubbench::hub
