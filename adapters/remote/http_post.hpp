// POST a JSON body and parse the JSON answer: what the remote adapter needs of HTTP, over the one
// HTTP client (hub/http.hpp).
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hub/http.hpp"

namespace hubbench::adapters {

// The message of an OpenAI-style error body ({"error": {"message": …}}), else the body itself.
std::string error_message(const std::string& body);

class JsonPoster {
public:
    // Throws Error(network) for a transport failure or a non-2xx status (with the server's error
    // message when it sent one) and Error(invalid_input) for a body that is not JSON; both name
    // the URL. Ctrl-C aborts the transfer with Error(interrupted). A server may think for long
    // before answering (a large batch): no stall timeout, only the connect timeout.
    nlohmann::json post(const std::string& url, const nlohmann::json& body, const std::vector<std::string>& headers = {});

private:
    hub::HttpSession session_;
};

}  // namespace hubbench::adapters
