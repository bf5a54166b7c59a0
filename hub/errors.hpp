// Hub HTTP errors mapped to one-line messages, the way huggingface_hub's hf_raise_for_status
// (utils/_http.py) maps them: X-Error-Code first (RepoNotFound, GatedRepo, RevisionNotFound,
// EntryNotFound), then the status. Plus the retry rules of _http_backoff_base.
#pragma once
#include <chrono>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "hub/http.hpp"

namespace hubbench::hub {

enum class HubErrorCode {
    repo_not_found,      // X-Error-Code RepoNotFound (missing or private)
    gated_repo,          // X-Error-Code GatedRepo (401 anonymous, 403 not approved)
    revision_not_found,  // X-Error-Code RevisionNotFound
    entry_not_found,     // X-Error-Code EntryNotFound
    unauthorized,        // 401 without a code: missing or invalid token
    forbidden,           // 403 without a code (disabled repo, token lacks permission)
    rate_limited,        // 429 after every retry
    server_error,        // 5xx / 408 after every retry
    http_error,          // any other status (400, 416, ...)
    network,             // connection refused/reset/timeout after every retry
    integrity,           // size or hash of a download does not match its ETag
    bad_response,        // malformed JSON or headers from the server, unsafe names
    offline_miss,        // HF_HUB_OFFLINE and the cache does not have it
};

const char* hub_error_code_name(HubErrorCode code) noexcept;

class HubError : public Error {
public:
    HubError(HubErrorCode code, int http_status, const std::string& message);
    HubErrorCode code() const noexcept { return code_; }
    int http_status() const noexcept { return http_status_; }  // 0 when not an HTTP status
    // X-Repo-Commit of the error response (EntryNotFound carries it), empty otherwise.
    const std::string& repo_commit() const noexcept { return repo_commit_; }
    void set_repo_commit(std::string commit) { repo_commit_ = std::move(commit); }

private:
    HubErrorCode code_;
    int http_status_;
    std::string repo_commit_;
};

// What a request was about, so error messages can name the repo, revision and file.
struct RequestContext {
    std::string repo_id;
    std::string revision;
    std::string path;
};

// Throws the HubError for a non-2xx/3xx response.
[[noreturn]] void raise_for_status(const HttpResponse& response, const RequestContext& context);

// 408, 429, 500, 502, 503, 504 (huggingface_hub 1.x retry_on_status_codes).
bool is_retryable_status(long status) noexcept;

struct RetryPolicy {
    int max_retries = 5;                          // after the first attempt
    std::chrono::milliseconds base_delay{1000};   // 1, 2, 4, 8, 8 s
    std::chrono::milliseconds max_delay{8000};
    std::chrono::seconds max_retry_after{60};     // cap on a server-requested wait
};

// Delay before retry number `retry` (0-based): the server's Retry-After or RateLimit "t=" plus one
// second when given (huggingface_hub ≥1.22 sleeps N+1), else exponential backoff.
std::chrono::milliseconds retry_delay(const RetryPolicy& policy, int retry, const HttpResponse* response);

// Sleeps in short steps, throwing Error(interrupted) on Ctrl-C.
void interruptible_sleep(std::chrono::milliseconds duration);

}  // namespace hubbench::hub
