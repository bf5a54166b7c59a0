#include "adapters/remote/load_generator.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <random>
#include <thread>

#include "adapters/remote/http_post.hpp"
#include "adapters/remote/sse.hpp"
#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "hub/http.hpp"

namespace hubbench::adapters {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_between(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

nlohmann::json request_body(const ServedEndpoint& server, const std::string& prompt, const LoadOptions& options) {
    nlohmann::json body = {{"model", server.model},
                           {"max_tokens", options.output_tokens},
                           {"temperature", 0},
                           {"stream", true},
                           // The usage chunk gives the output token count when the server sends it.
                           {"stream_options", {{"include_usage", true}}}};
    if (options.ignore_eos) body["ignore_eos"] = true;
    if (options.endpoint == ApiEndpoint::chat) {
        body["messages"] = nlohmann::json::array({{{"role", "user"}, {"content", prompt}}});
    } else {
        body["prompt"] = prompt;
    }
    return body;
}

// The text a streamed chunk carries: choices[0].text (completions) or choices[0].delta.content
// (chat); empty for a role-only delta, a usage chunk or a final chunk with only finish_reason.
std::string chunk_text(const nlohmann::json& chunk, ApiEndpoint endpoint) {
    if (!chunk.contains("choices") || !chunk["choices"].is_array() || chunk["choices"].empty()) return {};
    const auto& choice = chunk["choices"][0];
    const nlohmann::json* text = nullptr;
    if (endpoint == ApiEndpoint::chat) {
        if (choice.contains("delta") && choice["delta"].is_object() && choice["delta"].contains("content")) {
            text = &choice["delta"]["content"];
        }
    } else if (choice.contains("text")) {
        text = &choice["text"];
    }
    return text != nullptr && text->is_string() ? text->get<std::string>() : std::string();
}

// One request in flight.
struct InFlight {
    RequestRecord* record = nullptr;
    Clock::time_point sent;
    Clock::time_point last_chunk;
    std::unique_ptr<SseParser> parser;
    bool saw_usage = false;
    bool done = false;  // [DONE] seen
};

}  // namespace

const char* api_endpoint_name(ApiEndpoint endpoint) { return endpoint == ApiEndpoint::chat ? "chat" : "completions"; }

ApiEndpoint parse_api_endpoint(const std::string& name) {
    if (name == "completions") return ApiEndpoint::completions;
    if (name == "chat") return ApiEndpoint::chat;
    throw Error(ErrorKind::usage, "--endpoint must be completions or chat, got '" + name + "'");
}

LoadRun run_load(const ServedEndpoint& server, std::span<const std::string> prompts, const LoadOptions& options) {
    if (prompts.empty()) throw Error(ErrorKind::usage, "load: no prompts to send");
    if (options.requests == 0 && options.duration_seconds <= 0.0) {
        throw Error(ErrorKind::usage, "load: give a number of requests or a duration");
    }
    if (options.request_rate <= 0.0 && options.concurrency == 0) throw Error(ErrorKind::usage, "load: concurrency must be at least 1");
    const std::string url = server.base_url + (options.endpoint == ApiEndpoint::chat ? "/chat/completions" : "/completions");
    std::vector<std::string> headers = server.headers;
    headers.push_back("Content-Type: application/json");
    headers.push_back("Accept: text/event-stream");

    LoadRun run;
    // Each record and its in-flight state live in their own allocation: callbacks hold pointers.
    std::vector<std::unique_ptr<RequestRecord>> records;
    std::vector<std::unique_ptr<InFlight>> states;
    hub::HttpMulti multi;
    std::mt19937_64 rng(options.seed);
    std::exponential_distribution<double> gap(options.request_rate > 0.0 ? options.request_rate : 1.0);
    const Clock::time_point begin = Clock::now();
    Clock::time_point next_arrival = begin;
    std::size_t sent = 0;

    auto may_send = [&](Clock::time_point now) {
        if (options.requests != 0 && sent >= options.requests) return false;
        if (options.duration_seconds > 0.0 && seconds_between(begin, now) >= options.duration_seconds) return false;
        return true;
    };

    auto send = [&](Clock::time_point now) {
        records.push_back(std::make_unique<RequestRecord>());
        RequestRecord* record = records.back().get();
        record->prompt_index = sent % prompts.size();
        record->sent = seconds_between(begin, now);
        states.push_back(std::make_unique<InFlight>());
        InFlight* state = states.back().get();
        state->record = record;
        state->sent = now;
        state->last_chunk = now;
        state->parser = std::make_unique<SseParser>([state, endpoint = options.endpoint](std::string_view data) {
            const Clock::time_point at = Clock::now();
            RequestRecord& r = *state->record;
            if (data == "[DONE]") {
                state->done = true;
                return true;
            }
            const nlohmann::json chunk = nlohmann::json::parse(data, nullptr, false);
            if (chunk.is_discarded()) {
                r.error = "a streamed event is not JSON: " + std::string(data.substr(0, 120));
                return false;
            }
            if (chunk.contains("error")) {
                r.error = error_message(std::string(data));
                return false;
            }
            const std::string text = chunk_text(chunk, endpoint);
            if (!text.empty()) {
                if (r.text_chunks == 0) {
                    r.ttft = seconds_between(state->sent, at);
                } else {
                    r.inter_token.push_back(seconds_between(state->last_chunk, at));
                }
                state->last_chunk = at;
                ++r.text_chunks;
                r.text += text;
            }
            if (chunk.contains("usage") && chunk["usage"].is_object() && chunk["usage"].contains("completion_tokens") &&
                chunk["usage"]["completion_tokens"].is_number_unsigned()) {
                r.output_tokens = chunk["usage"]["completion_tokens"].get<std::size_t>();
                state->saw_usage = true;
            }
            if (chunk.contains("timings") && chunk["timings"].is_object()) r.server_timings = chunk["timings"];
            return true;
        });
        hub::HttpRequest request;
        request.method = "POST";
        request.url = url;
        request.headers = headers;
        request.body = request_body(server, prompts[record->prompt_index], options).dump();
        request.stall_timeout_s = 0;
        request.on_body = [state](const char* data, std::size_t size) { return state->parser->feed(std::string_view(data, size)); };
        multi.add(std::move(request), [state](hub::HttpResponse&& response, std::exception_ptr error) {
            RequestRecord& r = *state->record;
            r.e2e = seconds_between(state->sent, Clock::now());
            if (error) {
                try {
                    std::rethrow_exception(error);
                } catch (const std::exception& e) {
                    if (r.error.empty()) r.error = e.what();
                }
            } else if (response.status < 200 || response.status >= 300) {
                r.error = one_line("HTTP " + std::to_string(response.status) + ": " + error_message(response.body));
            } else if (r.error.empty() && r.text_chunks == 0 && !state->saw_usage) {
                r.error = "the stream carried no text";
            }
            if (!state->saw_usage) r.output_tokens = r.text_chunks;
            r.ok = r.error.empty();
        });
        ++sent;
    };

    while (true) {
        throw_if_interrupted();
        Clock::time_point now = Clock::now();
        if (options.request_rate > 0.0) {
            while (may_send(now) && now >= next_arrival) {
                send(now);
                next_arrival += std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(gap(rng)));
            }
        } else {
            while (may_send(now) && multi.active() < options.concurrency) send(now);
        }
        const bool more = may_send(Clock::now());
        if (multi.active() == 0 && !more) break;
        auto wait = std::chrono::milliseconds(50);
        if (options.request_rate > 0.0 && more) {
            const auto until = std::chrono::duration_cast<std::chrono::milliseconds>(next_arrival - Clock::now());
            wait = std::max(std::chrono::milliseconds(0), std::min(wait, until));
        }
        if (multi.active() > 0) {
            multi.run(wait);
        } else if (wait.count() > 0) {
            std::this_thread::sleep_for(wait);
        }
    }
    run.seconds = seconds_between(begin, Clock::now());
    run.requests.reserve(records.size());
    for (auto& r : records) run.requests.push_back(std::move(*r));
    return run;
}

}  // namespace hubbench::adapters
