// Internal to hub/: the request machinery HubClient's files share (client.cpp, pull.cpp,
// parameters.cpp). Not part of the public API.
#pragma once
#include <mutex>
#include <string>
#include <vector>

#include "hub/client.hpp"
#include "hub/http.hpp"

namespace hubbench::hub {

struct HubClient::Impl {
    explicit Impl(const ClientOptions& options);

    const ClientOptions& options;
    std::string endpoint_origin;
    std::mutex session_mutex;  // guards `session` (calls from several threads share it)
    HttpSession session;

    // "/api/models" → "<endpoint>/api/models"; absolute URLs unchanged.
    std::string absolute(const std::string& url_or_path) const;
    // "Authorization: Bearer ..." when `url` is on the endpoint's own origin (scheme, host and
    // port), else nothing: the token never crosses to a CDN (file_download.py drops it when the
    // netloc changes).
    std::vector<std::string> auth_headers(const std::string& url) const;

    // One logical request: sends `request` and follows redirects (at most 10 hops), attaching the
    // token per hop. With follow_cross_origin false it stops at a redirect to another origin and
    // returns that 3xx (the metadata HEAD does this). No retry, no status check.
    HttpResponse send(HttpSession& s, HttpRequest request, bool follow_cross_origin) const;

    // send() retried per the policy on transport errors and retryable statuses; a final status
    // >= 400 becomes a HubError via raise_for_status.
    HttpResponse send_with_retry(HttpSession& s, const HttpRequest& request, const RequestContext& context,
                                 bool follow_cross_origin) const;

    // Convenience: GET JSON with the shared session.
    nlohmann::json get_json(const std::string& url, const RequestContext& context, HttpResponse* response = nullptr);

    HttpRequest make_request(const std::string& method, const std::string& url) const;
};

}  // namespace hubbench::hub
