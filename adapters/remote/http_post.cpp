#include "adapters/remote/http_post.hpp"

#include <curl/curl.h>

#include <memory>

#include "core/error.hpp"
#include "core/interrupt.hpp"

namespace hubbench::adapters {
namespace {

std::size_t collect(char* data, std::size_t size, std::size_t count, void* out) {
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
}

int progress(void*, curl_off_t, curl_off_t, curl_off_t, curl_off_t) { return interrupted() ? 1 : 0; }

}  // namespace

JsonPoster::JsonPoster() : curl_(curl_easy_init()) {
    if (curl_ == nullptr) throw Error(ErrorKind::internal, "libcurl: curl_easy_init failed");
}

JsonPoster::~JsonPoster() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

nlohmann::json JsonPoster::post(const std::string& url, const nlohmann::json& body, const std::vector<std::string>& headers) {
    CURL* curl = static_cast<CURL*>(curl_);
    curl_easy_reset(curl);
    const std::string payload = body.dump();
    std::string answer;
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> list(nullptr, curl_slist_free_all);
    curl_slist* raw = curl_slist_append(nullptr, "Content-Type: application/json");
    for (const auto& h : headers) raw = curl_slist_append(raw, h.c_str());
    list.reset(raw);
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, payload.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(payload.size()));
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list.get());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, progress);
    const CURLcode rc = curl_easy_perform(curl);
    if (rc == CURLE_ABORTED_BY_CALLBACK) throw Error(ErrorKind::interrupted, "interrupted");
    if (rc != CURLE_OK) throw Error(ErrorKind::network, url + ": " + curl_easy_strerror(rc));
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    nlohmann::json j = nlohmann::json::parse(answer, nullptr, false);
    if (status < 200 || status >= 300) {
        std::string why = answer;
        if (!j.is_discarded() && j.contains("error")) {
            const auto& e = j["error"];
            why = e.is_object() && e.contains("message") && e["message"].is_string() ? e["message"].get<std::string>() : e.dump();
        }
        throw Error(ErrorKind::network, one_line(url + ": HTTP " + std::to_string(status) + ": " + why));
    }
    if (j.is_discarded()) throw Error(ErrorKind::invalid_input, one_line(url + ": the answer is not JSON: " + answer));
    return j;
}

}  // namespace hubbench::adapters
