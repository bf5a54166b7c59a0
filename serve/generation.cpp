#include "serve/generation.hpp"

#include <algorithm>
#include <mutex>
#include <numeric>

#include "adapters/log_softmax.hpp"

namespace hubbench::serve {
namespace {

// U+FFFD, what a decoder writes for bytes that do not yet form a character (byte-level BPE and
// byte-fallback pieces split characters across tokens).
constexpr std::string_view replacement = "\xEF\xBF\xBD";

bool ends_incomplete(const std::string& text) { return text.size() >= 3 && text.compare(text.size() - 3, 3, replacement) == 0; }

// The top-k tokens of one row of logits, as {token text: log-probability}.
nlohmann::json top_logprobs(const Engine& engine, std::span<const float> logits, std::size_t k, bool as_ids) {
    const double lse = adapters::log_sum_exp(logits.data(), logits.size());
    std::vector<std::int32_t> order(logits.size());
    std::iota(order.begin(), order.end(), 0);
    k = std::min(k, order.size());
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                      [&](std::int32_t a, std::int32_t b) { return logits[a] > logits[b] || (logits[a] == logits[b] && a < b); });
    nlohmann::json top = nlohmann::json::object();
    for (std::size_t i = 0; i < k; ++i) {
        const std::string key = engine.token_text(order[i], as_ids);
        if (!top.contains(key)) top[key] = static_cast<double>(logits[order[i]]) - lse;
    }
    return top;
}

}  // namespace

std::string Engine::token_text(std::int32_t id, bool as_id) const {
    if (as_id) return "token_id:" + std::to_string(id);
    return model_.decode(std::vector<std::int32_t>{id}, false);
}

Generation Engine::generate(const std::vector<std::int32_t>& prompt, const GenerationFields& fields,
                            const std::function<bool(const TokenEvent&)>& on_token) {
    Generation out;
    std::vector<std::int32_t> ids;
    std::size_t sent = 0;  // bytes of text handed out so far
    bool stopped_by_text = false, client_gone = false;
    const auto start = Clock::now();
    Clock::time_point first = start;
    std::unique_lock turn(turn_);
    const auto result = model_.generate(prompt, fields.max_tokens, !fields.ignore_eos, [&](std::int32_t id, std::span<const float> logits) {
        if (ids.empty()) first = Clock::now();
        ids.push_back(id);
        TokenEvent event;
        event.id = id;
        event.token = token_text(id, fields.tokens_as_ids);
        if (fields.logprobs) {
            event.logprob = adapters::log_softmax_at(logits.data(), logits.size(), id);
            if (*fields.logprobs > 0) event.top = top_logprobs(*this, logits, *fields.logprobs, fields.tokens_as_ids);
        }
        std::string text = model_.decode(ids, true);
        // A stop sequence ends the text before it; look only where a new one could have appeared.
        for (const auto& stop : fields.stop) {
            const std::size_t from = sent > stop.size() ? sent - stop.size() : 0;
            if (const auto at = text.find(stop, from); at != std::string::npos) {
                text.resize(at);
                stopped_by_text = true;
            }
        }
        if (stopped_by_text || !ends_incomplete(text)) {
            if (text.size() > sent) event.delta = text.substr(sent);
            sent = std::max(sent, text.size());
            out.text = text.substr(0, sent);
        }
        out.tokens.push_back(event);
        if (on_token) {
            // Writing to the socket happens outside the engine's turn so other streams go on.
            turn.unlock();
            client_gone = !on_token(event);
            turn.lock();
        }
        return !client_gone && !stopped_by_text;
    });
    turn.unlock();
    const auto end = Clock::now();
    out.prompt_ms = ms_between(start, first);
    out.predicted_ms = ms_between(first, end);
    if (!stopped_by_text && !client_gone && !ids.empty()) {
        // Bytes held back at the end (an incomplete character) are the text's own end.
        if (std::string text = model_.decode(ids, true); text.size() > sent) out.text = std::move(text);
    }
    out.finish_reason = client_gone ? "cancelled" : stopped_by_text ? "stop" : result.finish_reason;
    return out;
}

std::vector<double> Engine::prompt_logprobs(const std::vector<std::int32_t>& prompt) {
    if (prompt.size() < 2) return {};
    std::lock_guard turn(turn_);
    return model_.causal_logprobs(std::vector<adapters::CausalWindow>{{prompt, 1}}).at(0);
}

std::vector<std::vector<float>> Engine::embed(const std::vector<std::string>& texts) {
    std::lock_guard turn(turn_);
    return model_.embed(texts);
}

}  // namespace hubbench::serve
