#include "adapters/adapter.hpp"

#include "core/error.hpp"

namespace hubbench::adapters {

const char* model_kind_name(ModelKind kind) {
    switch (kind) {
        case ModelKind::encoder: return "encoder";
        case ModelKind::decoder: return "decoder";
    }
    return "?";
}

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

}  // namespace hubbench::adapters
