// transformers activations.py: GELUActivation (erf), NewGELUActivation / gelu_pytorch_tanh /
// FastGELUActivation (tanh approximations), QuickGELUActivation, SiLU, ReLU.
#include <cmath>

#include "engine/ops/ops.hpp"
#include "engine/ops/parallel.hpp"

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

}  // namespace

void activate(Activation act, float* x, std::size_t count) {
    dispatch(act, [&](auto f) { map(x, count, f); });
}

void activate_and_multiply(Activation act, float* gate, const float* up, std::size_t count) {
    dispatch(act, [&](auto f) { map_multiply(gate, up, count, f); });
}

}  // namespace hubbench::engine::ops
