// Server-sent events (the text/event-stream format OpenAI-compatible servers stream completions
// in): bytes arrive in arbitrary pieces; complete events come out. Only `data:` fields matter to
// the OpenAI API; several data lines of one event are joined with "\n" as the HTML standard's
// event-stream parser does (https://html.spec.whatwg.org/multipage/server-sent-events.html).
#pragma once
#include <functional>
#include <string>
#include <string_view>

namespace hubbench::adapters {

class SseParser {
public:
    // Called with each event's data ("[DONE]" included, as sent); returning false stops parsing.
    using OnEvent = std::function<bool(std::string_view data)>;
    explicit SseParser(OnEvent on_event) : on_event_(std::move(on_event)) {}

    // Feeds bytes; returns false when on_event asked to stop.
    bool feed(std::string_view bytes);

private:
    bool line(std::string_view text);
    OnEvent on_event_;
    std::string pending_;  // an incomplete line
    std::string data_;     // data lines of the event being read
    bool has_data_ = false;
};

}  // namespace hubbench::adapters
