#include "adapters/remote/sse.hpp"

namespace hubbench::adapters {

bool SseParser::feed(std::string_view bytes) {
    pending_.append(bytes);
    std::size_t start = 0;
    while (true) {
        const std::size_t end = pending_.find('\n', start);
        if (end == std::string::npos) break;
        std::string_view text(pending_.data() + start, end - start);
        if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
        start = end + 1;
        if (!line(text)) {
            pending_.erase(0, start);
            return false;
        }
    }
    pending_.erase(0, start);
    return true;
}

bool SseParser::line(std::string_view text) {
    if (text.empty()) {  // a blank line dispatches the event
        if (!has_data_) return true;
        const std::string data = std::move(data_);
        data_.clear();
        has_data_ = false;
        return on_event_(data);
    }
    if (text.front() == ':') return true;  // a comment (servers send these as keep-alives)
    const std::size_t colon = text.find(':');
    const std::string_view field = text.substr(0, colon);
    std::string_view value = colon == std::string_view::npos ? std::string_view() : text.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    if (field == "data") {
        if (has_data_) data_ += '\n';
        data_.append(value);
        has_data_ = true;
    }
    return true;  // event:, id:, retry: are not used by the OpenAI API
}

}  // namespace hubbench::adapters
