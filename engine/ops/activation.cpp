// transformers activations.py: GELUActivation (erf), NewGELUActivation / gelu_pytorch_tanh /
// FastGELUActivation (tanh approximations), QuickGELUActivation, SiLU, ReLU.
#include <algorithm>
#include <cmath>

#include "engine/ops/exp_poly.hpp"
#include "engine/ops/ops.hpp"
#include "engine/ops/parallel.hpp"
#include "engine/ops/unsanitized.hpp"

namespace hubbench::engine::ops {

namespace {

constexpr float sqrt_2_over_pi = 0.7978845608028654f;
constexpr float inv_sqrt2 = 0.7071067811865476f;

template <typename F>
void map(float* x, std::size_t count, F f) {
#pragma omp parallel for if (parallel_rows(count)) schedule(static)
    for (std::size_t i = 0; i < count; ++i) x[i] = f(x[i]);
}

template <typename F>
void map_multiply(float* gate, const float* up, std::size_t count, F f) {
#pragma omp parallel for if (parallel_rows(count)) schedule(static)
    for (std::size_t i = 0; i < count; ++i) gate[i] = f(gate[i]) * up[i];
}

inline float gelu(float x) { return 0.5f * x * (1.0f + std::erf(x * inv_sqrt2)); }
inline float gelu_tanh(float x) { return 0.5f * x * (1.0f + std::tanh(sqrt_2_over_pi * (x + 0.044715f * x * x * x))); }
inline float quick_gelu(float x) { return x / (1.0f + std::exp(-1.702f * x)); }
inline float silu(float x) { return x / (1.0f + std::exp(-x)); }
inline float relu(float x) { return x > 0.0f ? x : 0.0f; }

template <typename Fn>
void dispatch(Activation act, Fn&& fn) {
    switch (act) {
        case Activation::gelu: return fn(gelu);
        case Activation::gelu_new:
        case Activation::gelu_pytorch_tanh:
        case Activation::gelu_fast: return fn(gelu_tanh);
        case Activation::quick_gelu: return fn(quick_gelu);
        case Activation::silu: return fn(silu);
        case Activation::relu: return fn(relu);
    }
}

// gate <- SiLU(gate) * up over a span, vectorised: sigmoid(x) = 1 / (1 + e) for x >= 0 and
// e / (1 + e) below, e = exp(-|x|), so exp_poly only sees non-positive arguments. With libm's
// scalar expf, SiLU was 4% of a float32 prefill of the 110M bench model (perf).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__SANITIZE_ADDRESS__)
__attribute__((target_clones("avx512f", "avx2", "default")))
#endif
HUBBENCH_UNSANITIZED void silu_multiply_span(float* gate, const float* up, std::size_t count) {
#pragma omp simd
    for (std::size_t i = 0; i < count; ++i) {
        const float x = gate[i];
        const float e = exp_poly(-std::fabs(x));
        const float sigmoid = (x >= 0.0f ? 1.0f : e) / (1.0f + e);
        gate[i] = x * sigmoid * up[i];
    }
}

}  // namespace

void activate(Activation act, float* x, std::size_t count) {
    dispatch(act, [&](auto f) { map(x, count, f); });
}

void activate_and_multiply(Activation act, float* gate, const float* up, std::size_t count) {
    if (act == Activation::silu) {
        constexpr std::size_t chunk = 4096;
        const std::size_t chunks = (count + chunk - 1) / chunk;
#pragma omp parallel for if (parallel_rows(count)) schedule(static)
        for (std::size_t c = 0; c < chunks; ++c)
            silu_multiply_span(gate + c * chunk, up + c * chunk, std::min(chunk, count - c * chunk));
        return;
    }
    dispatch(act, [&](auto f) { map_multiply(gate, up, count, f); });
}

}  // namespace hubbench::engine::ops
