// A thin libcurl wrapper: one request, no redirects followed (the client decides per hop whether
// the token may go along, as huggingface_hub does by hand), headers collected, body either kept in
// memory or streamed to a sink. Transport failures (refused, reset, timeout, short body) throw
// TransportError so the caller can retry or resume; Ctrl-C aborts the transfer with
// Error(interrupted).
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace hubbench::hub {

struct HttpResponse {
    long status = 0;
    std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, in order
    std::string body;      // the body unless it was streamed to HttpRequest::on_body
    std::string url;       // the URL this response came from

    // First header of that name (case-insensitive), trimmed.
    std::optional<std::string> header(std::string_view name) const;
};

struct HttpRequest {
    std::string method = "GET";  // GET or HEAD
    std::string url;
    std::vector<std::string> headers;  // "Name: value"
    // Called for body bytes of a 2xx response; returning false aborts the transfer (the callee
    // has stored why, e.g. cancellation). Other responses' bodies go to HttpResponse::body.
    std::function<bool(const char* data, std::size_t size)> on_body;
    // Called once the status line and headers of the response are known, before its body.
    std::function<void(const HttpResponse& head)> on_headers;
    long connect_timeout_s = 10;
    long stall_timeout_s = 10;        // abort when no byte arrives for this long
    std::size_t max_body = 64u << 20; // cap for bodies kept in memory
};

// A failure below HTTP: connection refused or reset, timeout, a body cut short.
class TransportError : public Error {
public:
    TransportError(const std::string& message, std::uint64_t body_bytes)
        : Error(ErrorKind::network, message), body_bytes_(body_bytes) {}
    std::uint64_t body_bytes() const noexcept { return body_bytes_; }  // streamed before failing

private:
    std::uint64_t body_bytes_;
};

// One libcurl easy handle, reused so keep-alive connections are reused. Not thread-safe: one per
// thread.
class HttpSession {
public:
    HttpSession();
    ~HttpSession();
    HttpSession(const HttpSession&) = delete;
    HttpSession& operator=(const HttpSession&) = delete;

    HttpResponse perform(const HttpRequest& request);

private:
    void* curl_;
};

std::string user_agent();

// Scheme, host and port of an absolute URL ("http://127.0.0.1:8080"), lower-cased, with the
// default port made explicit; empty when the URL cannot be parsed.
std::string url_origin(std::string_view url);
// Resolves `location` (absolute, or relative like "/api/x?y") against `base`.
std::string resolve_url(std::string_view base, std::string_view location);

}  // namespace hubbench::hub
