// POST a JSON body with libcurl and parse the JSON answer: all the remote adapter needs of HTTP.
// (hub/http.hpp is GET/HEAD only, built around the Hub's redirects and resumable downloads.)
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace hubbench::adapters {

class JsonPoster {
public:
    JsonPoster();
    ~JsonPoster();
    JsonPoster(const JsonPoster&) = delete;
    JsonPoster& operator=(const JsonPoster&) = delete;

    // Throws Error(network) for a transport failure or a non-2xx status (with the server's error
    // message when it sent one) and Error(invalid_input) for a body that is not JSON; both name
    // the URL. Ctrl-C aborts the transfer with Error(interrupted).
    nlohmann::json post(const std::string& url, const nlohmann::json& body, const std::vector<std::string>& headers = {});

private:
    void* curl_;
};

}  // namespace hubbench::adapters
