// One request's generation inside `hubbench serve`: the engine's one greedy loop
// (Adapter::generate → engine::generate_greedy) with the server's rules around it — the engine is
// used in turns (slots.hpp), text is detokenized incrementally (a token that ends inside a UTF-8
// character waits for the next), stop sequences end the text before them as the OpenAI API does,
// log-probabilities come from the logits each token was chosen from, and the server keeps its own
// timings (queue, prompt, decode) in llama-server's "timings" names.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "adapters/adapter.hpp"
#include "serve/openai_api.hpp"
#include "serve/slots.hpp"

namespace hubbench::serve {

// One new token as a streaming client sees it.
struct TokenEvent {
    std::int32_t id = 0;
    std::string token;             // the token's own text (special tokens spelled out)
    std::string delta;             // new text since the last event ("" while a character is incomplete)
    std::optional<double> logprob; // when log-probabilities were asked for
    nlohmann::json top = nullptr;  // {token: logprob} of the top-k when k > 0
};

struct Generation {
    std::vector<TokenEvent> tokens;
    std::string text;           // what the client gets, cut before a stop sequence
    std::string finish_reason;  // "stop", "length" or "cancelled" (the client went away)
    double prompt_ms = 0.0;     // from the slot to the first token
    double predicted_ms = 0.0;  // from the first token to the last
};

// The engine shared by every request: the model, its lock and the log-probability helpers.
class Engine {
public:
    explicit Engine(adapters::Adapter& model) : model_(model) {}
    adapters::Adapter& model() { return model_; }
    const adapters::Adapter& model_const() const { return model_; }
    TurnLock& turn() { return turn_; }

    // Greedy tokens after `prompt` under `fields` (max_tokens, ignore_eos, stop, logprobs);
    // on_token sees each event as it comes and returns false when the client is gone.
    Generation generate(const std::vector<std::int32_t>& prompt, const GenerationFields& fields,
                        const std::function<bool(const TokenEvent&)>& on_token = {});

    // log p(prompt[i] | prompt[..i]) for i >= 1 (for echo with logprobs), in one engine turn.
    std::vector<double> prompt_logprobs(const std::vector<std::int32_t>& prompt);
    std::vector<std::vector<float>> embed(const std::vector<std::string>& texts);

    // The token's text for "tokens": "token_id:N" when asked, else its vocabulary text decoded.
    std::string token_text(std::int32_t id, bool as_id) const;

private:
    adapters::Adapter& model_;
    TurnLock turn_;
};

using Clock = std::chrono::steady_clock;
inline double ms_between(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}

}  // namespace hubbench::serve
