#include "adapters/remote/http_post.hpp"

#include "core/error.hpp"

namespace hubbench::adapters {

std::string error_message(const std::string& body) {
    const nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
    if (!j.is_discarded() && j.is_object() && j.contains("error")) {
        const auto& e = j["error"];
        if (e.is_object() && e.contains("message") && e["message"].is_string()) return e["message"].get<std::string>();
        return e.is_string() ? e.get<std::string>() : e.dump();
    }
    return body;
}

nlohmann::json JsonPoster::post(const std::string& url, const nlohmann::json& body, const std::vector<std::string>& headers) {
    hub::HttpRequest request;
    request.method = "POST";
    request.url = url;
    request.headers = headers;
    request.headers.push_back("Content-Type: application/json");
    request.body = body.dump();
    request.stall_timeout_s = 0;
    request.max_body = std::size_t{1} << 30;
    hub::HttpResponse response;
    try {
        response = session_.perform(request);
    } catch (const hub::TransportError& e) {
        throw Error(ErrorKind::network, e.what());
    }
    if (response.status < 200 || response.status >= 300) {
        throw Error(ErrorKind::network,
                    one_line(url + ": HTTP " + std::to_string(response.status) + ": " + error_message(response.body)));
    }
    nlohmann::json j = nlohmann::json::parse(response.body, nullptr, false);
    if (j.is_discarded()) throw Error(ErrorKind::invalid_input, one_line(url + ": the answer is not JSON: " + response.body));
    return j;
}

}  // namespace hubbench::adapters
