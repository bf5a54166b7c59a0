#include "adapters/adapter.hpp"

#include "core/error.hpp"

namespace hubbench::adapters {

const char* capability_name(Capability capability) {
    switch (capability) {
        case Capability::causal_lm: return "causal_lm";
        case Capability::masked_lm: return "masked_lm";
        case Capability::embeddings: return "embeddings";
        case Capability::generation: return "generation";
    }
    return "?";
}

PhaseTimings operator-(const PhaseTimings& a, const PhaseTimings& b) {
    return {a.tokenize - b.tokenize, a.forward - b.forward, a.score - b.score};
}

PhaseTimings operator+(const PhaseTimings& a, const PhaseTimings& b) {
    return {a.tokenize + b.tokenize, a.forward + b.forward, a.score + b.score};
}

void Adapter::require(Capability what) const {
    if (auto reason = unsupported(what)) throw Error(ErrorKind::unsupported, *reason);
}

std::vector<std::vector<std::vector<double>>> Adapter::continuation_logprobs(std::span<const ContinuationRequest> requests) {
    std::vector<CausalWindow> windows;
    for (const auto& r : requests) {
        if (r.context.empty()) throw Error(ErrorKind::internal, "a continuation needs a non-empty context");
        for (const auto& c : r.continuations) {
            CausalWindow w;
            w.ids = r.context;
            w.ids.insert(w.ids.end(), c.begin(), c.end());
            w.score_from = r.context.size();
            windows.push_back(std::move(w));
        }
    }
    auto logprobs = causal_logprobs(windows);
    std::vector<std::vector<std::vector<double>>> out(requests.size());
    std::size_t next = 0;
    for (std::size_t i = 0; i < requests.size(); ++i) {
        for (std::size_t c = 0; c < requests[i].continuations.size(); ++c) out[i].push_back(std::move(logprobs[next++]));
    }
    return out;
}

}  // namespace hubbench::adapters
