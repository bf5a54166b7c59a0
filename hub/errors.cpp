#include "hub/errors.hpp"

#include <algorithm>
#include <regex>
#include <thread>

#include "core/interrupt.hpp"

namespace hubbench::hub {
namespace {

ErrorKind kind_for(HubErrorCode code) {
    switch (code) {
        case HubErrorCode::repo_not_found:
        case HubErrorCode::gated_repo:
        case HubErrorCode::revision_not_found:
        case HubErrorCode::entry_not_found:
        case HubErrorCode::offline_miss: return ErrorKind::not_found;
        case HubErrorCode::integrity:
        case HubErrorCode::bad_response: return ErrorKind::invalid_input;
        default: return ErrorKind::network;
    }
}

std::string repo_name(const RequestContext& c) { return c.repo_id.empty() ? std::string("repository") : c.repo_id; }

}  // namespace

const char* hub_error_code_name(HubErrorCode code) noexcept {
    switch (code) {
        case HubErrorCode::repo_not_found: return "RepoNotFound";
        case HubErrorCode::gated_repo: return "GatedRepo";
        case HubErrorCode::revision_not_found: return "RevisionNotFound";
        case HubErrorCode::entry_not_found: return "EntryNotFound";
        case HubErrorCode::unauthorized: return "Unauthorized";
        case HubErrorCode::forbidden: return "Forbidden";
        case HubErrorCode::rate_limited: return "RateLimited";
        case HubErrorCode::server_error: return "ServerError";
        case HubErrorCode::http_error: return "HttpError";
        case HubErrorCode::network: return "Network";
        case HubErrorCode::integrity: return "Integrity";
        case HubErrorCode::bad_response: return "BadResponse";
        case HubErrorCode::offline_miss: return "OfflineMiss";
    }
    return "?";
}

HubError::HubError(HubErrorCode code, int http_status, const std::string& message)
    : Error(kind_for(code), message), code_(code), http_status_(http_status) {}

void raise_for_status(const HttpResponse& r, const RequestContext& c) {
    const int status = static_cast<int>(r.status);
    const std::string code = r.header("x-error-code").value_or("");
    const std::string server_message = r.header("x-error-message").value_or("");
    const std::string repo = repo_name(c);
    const std::string rev = c.revision.empty() ? "main" : c.revision;
    if (code == "RepoNotFound") {
        throw HubError(HubErrorCode::repo_not_found, status,
                       repo + " not found on " + url_origin(r.url) +
                           (status == 401 ? " (if it is private, set HF_TOKEN to a token that can read it)" : ""));
    }
    if (code == "GatedRepo") {
        if (status == 403) {
            throw HubError(HubErrorCode::gated_repo, status,
                           repo + " is gated and this token has not been granted access: request access on the Hub");
        }
        throw HubError(HubErrorCode::gated_repo, status, repo + " is gated: accept its licence on the Hub and set HF_TOKEN");
    }
    if (code == "RevisionNotFound") {
        throw HubError(HubErrorCode::revision_not_found, status, "revision '" + rev + "' not found in " + repo);
    }
    if (code == "EntryNotFound") {
        std::string what = c.path.empty() ? "entry" : "file '" + c.path + "'";
        HubError e(HubErrorCode::entry_not_found, status, what + " not found in " + repo + " at revision " + rev);
        e.set_repo_commit(r.header("x-repo-commit").value_or(""));
        throw e;
    }
    std::string detail = server_message.empty() ? "" : ": " + server_message;
    if (status == 401) {
        throw HubError(HubErrorCode::unauthorized, status,
                       "unauthorized (401) for " + r.url + detail + " (HF_TOKEN missing, invalid or expired)");
    }
    if (status == 403) {
        throw HubError(HubErrorCode::forbidden, status, "access denied (403) for " + r.url + detail);
    }
    if (status == 429) throw HubError(HubErrorCode::rate_limited, status, "rate limited (429) by " + url_origin(r.url) + detail);
    if (status == 408 || status >= 500) {
        throw HubError(HubErrorCode::server_error, status, "server error " + std::to_string(status) + " from " + r.url + detail);
    }
    throw HubError(HubErrorCode::http_error, status, "HTTP " + std::to_string(status) + " from " + r.url + detail);
}

bool is_retryable_status(long status) noexcept {
    return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

std::chrono::milliseconds retry_delay(const RetryPolicy& policy, int retry, const HttpResponse* response) {
    using std::chrono::milliseconds;
    using std::chrono::seconds;
    if (response != nullptr) {
        std::optional<long> server_wait;
        if (auto ra = response->header("retry-after")) {
            try {
                server_wait = std::stol(*ra);
            } catch (...) {
            }
        }
        if (!server_wait) {
            if (auto rl = response->header("ratelimit")) {
                static const std::regex t_re(R"(t=(\d+))");
                std::smatch m;
                if (std::regex_search(*rl, m, t_re)) server_wait = std::stol(m[1].str());
            }
        }
        if (server_wait && *server_wait >= 0) {
            auto wait = seconds(std::min<long>(*server_wait, static_cast<long>(policy.max_retry_after.count())) + 1);
            return std::chrono::duration_cast<milliseconds>(wait);
        }
    }
    auto delay = policy.base_delay * (1LL << std::min(retry, 20));
    return std::min<milliseconds>(delay, policy.max_delay);
}

void interruptible_sleep(std::chrono::milliseconds duration) {
    auto end = std::chrono::steady_clock::now() + duration;
    for (;;) {
        throw_if_interrupted();
        auto now = std::chrono::steady_clock::now();
        if (now >= end) return;
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(end - now, std::chrono::milliseconds(50)));
    }
}

}  // namespace hubbench::hub
