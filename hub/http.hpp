// hubbench's one HTTP client, a thin libcurl wrapper used by the Hub client (GET/HEAD, resumable
// downloads), the remote adapter (JSON POSTs) and the load generator (many streamed POSTs at once).
// No redirects are followed (the Hub client decides per hop whether the token may go along, as
// huggingface_hub does by hand); headers are collected; a body is either kept in memory or streamed
// to a sink. Transport failures (refused, reset, timeout, short body) throw TransportError so the
// caller can retry or resume; Ctrl-C aborts the transfer with Error(interrupted).
//
// HttpSession runs one request at a time on the calling thread; HttpMulti runs many at once on one
// thread (curl_multi), each with the same HttpRequest description.
#pragma once
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
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
    std::string method = "GET";  // GET, HEAD or POST
    std::string url;
    std::vector<std::string> headers;  // "Name: value"
    std::string body;                  // sent with POST (give its Content-Type in headers)
    // Called for body bytes of a 2xx response; returning false aborts the transfer (the callee
    // has stored why, e.g. cancellation). Other responses' bodies go to HttpResponse::body.
    std::function<bool(const char* data, std::size_t size)> on_body;
    // Called once the status line and headers of the response are known, before its body.
    std::function<void(const HttpResponse& head)> on_headers;
    long connect_timeout_s = 10;
    long stall_timeout_s = 10;        // abort when no byte arrives for this long; 0 = never
    long timeout_s = 0;               // abort the whole transfer after this long; 0 = never
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

// Many transfers at once on one thread (libcurl multi), for a load generator that must not be the
// bottleneck: add() starts a transfer, run() waits for socket activity and delivers callbacks
// (on_headers, on_body, then on_done) on the calling thread. Not thread-safe.
class HttpMulti {
public:
    // The finished response, or the error that ended the transfer (TransportError, Error).
    using Done = std::function<void(HttpResponse&& response, std::exception_ptr error)>;

    HttpMulti();
    ~HttpMulti();
    HttpMulti(const HttpMulti&) = delete;
    HttpMulti& operator=(const HttpMulti&) = delete;

    // Starts `request` (copied); on_done is called from run() when it ends.
    void add(HttpRequest request, Done on_done);
    // Transfers in flight.
    std::size_t active() const;
    // Moves every transfer forward, waiting at most `max_wait` for socket activity, and calls
    // on_done for each transfer that ended. Ctrl-C ends the transfers with Error(interrupted).
    void run(std::chrono::milliseconds max_wait);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

std::string user_agent();

// Scheme, host and port of an absolute URL ("http://127.0.0.1:8080"), lower-cased, with the
// default port made explicit; empty when the URL cannot be parsed.
std::string url_origin(std::string_view url);
// Resolves `location` (absolute, or relative like "/api/x?y") against `base`.
std::string resolve_url(std::string_view base, std::string_view location);

}  // namespace hubbench::hub
