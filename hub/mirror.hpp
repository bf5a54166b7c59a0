// A Hugging Face Hub mirror: serves folders of model repos (DIR/<org>/<name>/...) and/or a local
// HF cache over the Hub's HTTP API (docs/hub-api.md §8), with cpp-httplib:
//   GET  /api/models                                   search (filters, sort, Link pagination)
//   GET  /api/models/{id}[/revision/{rev}]             model info (siblings, safetensors, cardData)
//   GET  /api/models/{id}/tree/{rev}[/{path}]          tree listing (recursive, paginated)
//   POST /api/models/{id}/paths-info/{rev}             entries of the asked paths (form or JSON)
//   GET  /api/models/{id}/auth-check                   can this token read the repo
//   HEAD|GET /{id}/resolve/{rev}/{path}                307 to resolve-cache (small files) or 302
//                                                      to the "CDN" host name (LFS files)
//   HEAD|GET /api/resolve-cache/models/{id}/{commit}/{path}, /cdn/{id}/{commit}/{path}  the bytes
// The CDN is the same socket under a second host name (127.0.0.1 <-> localhost), so a client that
// leaks its token across the redirect is caught: the CDN rejects any Authorization header.
// Faults for tests: a share of Hub requests fail (503 or another status), a rate limit (429 with
// Retry-After), file bodies cut after N bytes, corrupted bytes, Range ignored.
#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace hubbench::hub {

struct MirrorOptions {
    std::filesystem::path root;   // DIR/<org>/<name>/ repos (may be empty)
    std::filesystem::path cache;  // a Hugging Face hub cache to serve too (may be empty)
    std::string host = "127.0.0.1";
    int port = 0;                 // 0: any free port
    // Host name LFS redirects point at; empty: "localhost" when the request came to 127.0.0.1,
    // "127.0.0.1" when it came to localhost, else the request's own host.
    std::string cdn_host;
    // Faults. fail_rate in [0,1]: that share of requests to the Hub endpoints (API, /resolve)
    // answers fail_status, spread evenly and deterministically (0.5 = every second request),
    // never random. rate_limit also counts the Hub endpoints only (the Hub's "resolvers" limit).
    double fail_rate = 0;
    int fail_status = 503;
    int rate_limit = 0;                 // requests per second; more get 429 + Retry-After
    int retry_after_s = 1;              // the Retry-After / RateLimit t= value sent with 429
    std::uint64_t drop_after_bytes = 0; // close the connection after this many body bytes of a file
    bool corrupt = false;               // flip the last byte of every file served
    bool ignore_range = false;          // answer Range requests with 200 and the whole file
    std::uint64_t throttle_bytes_per_s = 0;  // slow file bodies down to this rate (0: full speed)
    // Accepted bearer tokens; empty: any token is valid. A token not listed gets 401.
    std::vector<std::string> tokens;
    std::size_t tree_page_size = 1000;  // entries per tree page (the Hub's 1000)
};

// One request as the mirror saw it (for tests: what arrived where, with or without a token).
struct MirrorRequest {
    std::string method;
    std::string target;        // raw path and query
    std::string host;          // Host header
    int status = 0;
    bool authorization = false;
    std::string range;         // Range header, if any
};

class MirrorServer {
public:
    explicit MirrorServer(MirrorOptions options);
    ~MirrorServer();  // stops
    MirrorServer(const MirrorServer&) = delete;
    MirrorServer& operator=(const MirrorServer&) = delete;

    // Binds (Error(io) naming host:port when it cannot) and serves on a background thread.
    void start();
    // Stops accepting, ends transfers in flight and joins the thread. Idempotent.
    void stop();
    bool running() const;

    int port() const;
    std::string url() const;  // "http://<host>:<port>"

    std::vector<MirrorRequest> requests() const;
    void clear_requests();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace hubbench::hub
