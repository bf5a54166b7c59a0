#include "hub/http.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <exception>
#include <mutex>

#include "core/interrupt.hpp"
#include "core/version.hpp"

namespace hubbench::hub {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return std::string(s);
}

void global_init() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Transfer {
    const HttpRequest* request = nullptr;
    HttpResponse response;
    bool in_body = false;
    bool streaming = false;
    bool aborted_by_sink = false;
    bool interrupted = false;
    bool too_large = false;
    std::uint64_t streamed = 0;
    std::exception_ptr error;
    curl_slist* headers = nullptr;

    Transfer() = default;
    Transfer(const Transfer&) = delete;
    Transfer& operator=(const Transfer&) = delete;
    ~Transfer() { curl_slist_free_all(headers); }
};

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    std::string_view line(data, size * count);
    if (line.substr(0, 5) == "HTTP/") {
        // A new status line (e.g. after "100 Continue"): start over.
        t->response.headers.clear();
        auto sp = line.find(' ');
        t->response.status = sp == std::string_view::npos ? 0 : std::atol(std::string(line.substr(sp + 1, 3)).c_str());
        return size * count;
    }
    auto colon = line.find(':');
    if (colon != std::string_view::npos) {
        t->response.headers.emplace_back(lower(std::string(line.substr(0, colon))), trim(line.substr(colon + 1)));
    }
    return size * count;
}

std::size_t on_write(char* data, std::size_t size, std::size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    std::size_t n = size * count;
    if (!t->in_body) {
        t->in_body = true;
        t->streaming = t->request->on_body && t->response.status >= 200 && t->response.status < 300;
        if (t->request->on_headers) {
            try {
                t->request->on_headers(t->response);
            } catch (...) {
                t->error = std::current_exception();
                return 0;
            }
        }
    }
    if (t->streaming) {
        bool ok = false;
        try {
            ok = t->request->on_body(data, n);
        } catch (...) {
            t->error = std::current_exception();
            return 0;
        }
        if (!ok) {
            t->aborted_by_sink = true;
            return 0;
        }
        t->streamed += n;
        return n;
    }
    if (t->response.body.size() + n > t->request->max_body) {
        t->too_large = true;
        return 0;
    }
    t->response.body.append(data, n);
    return n;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    auto* t = static_cast<Transfer*>(user);
    if (hubbench::interrupted()) {
        t->interrupted = true;
        return 1;
    }
    return 0;
}

}  // namespace

std::optional<std::string> HttpResponse::header(std::string_view name) const {
    std::string key = lower(std::string(name));
    for (const auto& [k, v] : headers) {
        if (k == key) return v;
    }
    return std::nullopt;
}

std::string user_agent() {
    return std::string("hubbench/") + version() + "; hf_hub/compatible; " + curl_version_info(CURLVERSION_NOW)->version;
}

namespace {

// One transfer's easy-handle options, the same for HttpSession and HttpMulti.
void configure(CURL* curl, Transfer& t) {
    const HttpRequest& request = *t.request;
    t.response.url = request.url;
    for (const auto& h : request.headers) t.headers = curl_slist_append(t.headers, h.c_str());
    // The Hub may gzip text files on the fly (no Content-Length, ETag of the plain bytes); ask for
    // the bytes as stored so size and hash checks hold (hub-api.md §3.2).
    t.headers = curl_slist_append(t.headers, "Accept-Encoding: identity");

    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, t.headers);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, user_agent().c_str());
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, request.connect_timeout_s);
    if (request.stall_timeout_s > 0) {
        curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, request.stall_timeout_s);
    }
    if (request.timeout_s > 0) curl_easy_setopt(curl, CURLOPT_TIMEOUT, request.timeout_s);
    curl_easy_setopt(curl, CURLOPT_BUFFERSIZE, 512L * 1024L);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &t);
    if (request.method == "HEAD") {
        curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    } else if (request.method == "POST") {
        curl_easy_setopt(curl, CURLOPT_POST, 1L);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    } else if (request.method != "GET") {
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
}

// The response of a transfer that ended with `rc`, or the error that ended it.
HttpResponse finish(CURL* curl, CURLcode rc, Transfer& t) {
    const HttpRequest& request = *t.request;
    if (t.error) std::rethrow_exception(t.error);
    if (t.interrupted) throw Error(ErrorKind::interrupted, "interrupted while transferring " + request.url);
    if (rc == CURLE_WRITE_ERROR && t.aborted_by_sink) {
        throw Error(ErrorKind::interrupted, "transfer of " + request.url + " cancelled");
    }
    if (t.too_large) throw Error(ErrorKind::network, request.url + ": response larger than " + std::to_string(request.max_body) + " bytes");
    if (rc != CURLE_OK) {
        throw TransportError(request.url + ": " + curl_easy_strerror(rc), t.streamed);
    }
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    t.response.status = status;
    if (!t.in_body && request.on_headers) request.on_headers(t.response);  // no body at all
    return std::move(t.response);
}

}  // namespace

HttpSession::HttpSession() {
    global_init();
    curl_ = curl_easy_init();
    if (curl_ == nullptr) throw Error(ErrorKind::internal, "libcurl: curl_easy_init failed");
}

HttpSession::~HttpSession() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

HttpResponse HttpSession::perform(const HttpRequest& request) {
    CURL* curl = static_cast<CURL*>(curl_);
    curl_easy_reset(curl);
    Transfer t;
    t.request = &request;
    configure(curl, t);
    const CURLcode rc = curl_easy_perform(curl);
    return finish(curl, rc, t);
}

struct HttpMulti::Impl {
    struct Running {
        HttpRequest request;
        Transfer transfer;
        Done on_done;
        CURL* easy = nullptr;
    };
    CURLM* multi = nullptr;
    std::vector<std::unique_ptr<Running>> running;

    void end(CURL* easy, CURLcode rc) {
        auto it = std::find_if(running.begin(), running.end(), [&](const auto& r) { return r->easy == easy; });
        if (it == running.end()) return;
        std::unique_ptr<Running> r = std::move(*it);
        running.erase(it);
        curl_multi_remove_handle(multi, easy);
        HttpResponse response;
        std::exception_ptr error;
        try {
            response = finish(easy, rc, r->transfer);
        } catch (...) {
            error = std::current_exception();
        }
        curl_easy_cleanup(easy);
        r->on_done(std::move(response), error);
    }
};

HttpMulti::HttpMulti() : impl_(std::make_unique<Impl>()) {
    global_init();
    impl_->multi = curl_multi_init();
    if (impl_->multi == nullptr) throw Error(ErrorKind::internal, "libcurl: curl_multi_init failed");
}

HttpMulti::~HttpMulti() {
    for (auto& r : impl_->running) {
        curl_multi_remove_handle(impl_->multi, r->easy);
        curl_easy_cleanup(r->easy);
    }
    curl_multi_cleanup(impl_->multi);
}

void HttpMulti::add(HttpRequest request, Done on_done) {
    auto r = std::make_unique<Impl::Running>();
    r->request = std::move(request);
    r->on_done = std::move(on_done);
    r->transfer.request = &r->request;
    r->easy = curl_easy_init();
    if (r->easy == nullptr) throw Error(ErrorKind::internal, "libcurl: curl_easy_init failed");
    configure(r->easy, r->transfer);
    if (curl_multi_add_handle(impl_->multi, r->easy) != CURLM_OK) {
        curl_easy_cleanup(r->easy);
        throw Error(ErrorKind::internal, "libcurl: curl_multi_add_handle failed");
    }
    impl_->running.push_back(std::move(r));
}

std::size_t HttpMulti::active() const { return impl_->running.size(); }

void HttpMulti::run(std::chrono::milliseconds max_wait) {
    int still = 0;
    curl_multi_perform(impl_->multi, &still);
    if (still > 0) curl_multi_poll(impl_->multi, nullptr, 0, static_cast<int>(max_wait.count()), nullptr);
    curl_multi_perform(impl_->multi, &still);
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(impl_->multi, &queued)) {
        if (msg->msg == CURLMSG_DONE) impl_->end(msg->easy_handle, msg->data.result);
    }
}

std::string url_origin(std::string_view url) {
    CURLU* u = curl_url();
    std::string out;
    if (curl_url_set(u, CURLUPART_URL, std::string(url).c_str(), 0) == CURLUE_OK) {
        char* scheme = nullptr;
        char* host = nullptr;
        char* port = nullptr;
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
        curl_url_get(u, CURLUPART_HOST, &host, 0);
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT);
        if (scheme != nullptr && host != nullptr && port != nullptr) {
            out = lower(std::string(scheme) + "://" + host + ":" + port);
        }
        curl_free(scheme);
        curl_free(host);
        curl_free(port);
    }
    curl_url_cleanup(u);
    return out;
}

std::string resolve_url(std::string_view base, std::string_view location) {
    CURLU* u = curl_url();
    std::string out(location);
    if (curl_url_set(u, CURLUPART_URL, std::string(base).c_str(), 0) == CURLUE_OK &&
        curl_url_set(u, CURLUPART_URL, std::string(location).c_str(), 0) == CURLUE_OK) {
        char* full = nullptr;
        if (curl_url_get(u, CURLUPART_URL, &full, 0) == CURLUE_OK && full != nullptr) out = full;
        curl_free(full);
    }
    curl_url_cleanup(u);
    return out;
}

}  // namespace hubbench::hub
