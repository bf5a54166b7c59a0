// The matrix-product kernels behind ops::linear, float32 and bfloat16 weights, on both paths (the
// AVX-512 kernels on OpenMP threads, and OpenBLAS / widened blocks through sgemm), against a
// double-precision product of the same weights (bfloat16 widened exactly).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <utility>
#include <vector>

#include "engine/ops/ops.hpp"

using namespace hubbench;
using engine::ops::WeightType;

namespace {

float widened(std::uint16_t b) {
    const std::uint32_t bits = static_cast<std::uint32_t>(b) << 16;
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

// max |ops::linear - double product| / max |double product| for random weights and activations.
double kernel_error(WeightType type, std::size_t in, std::size_t out, std::size_t n, bool in_major, bool with_bias) {
    std::mt19937 rng(static_cast<unsigned>(in * 131 + out * 7 + n));
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    std::vector<float> w32(in * out);
    std::vector<std::uint16_t> w16(in * out);
    for (std::size_t i = 0; i < w32.size(); ++i) {
        const float f = u(rng);
        std::uint32_t bits;
        std::memcpy(&bits, &f, sizeof bits);
        w16[i] = static_cast<std::uint16_t>(bits >> 16);  // truncated: any bfloat16 will do
        w32[i] = type == WeightType::bf16 ? widened(w16[i]) : f;
    }
    std::vector<float> bias(out);
    for (auto& b : bias) b = u(rng);
    const std::size_t ldx = in + 3, ldy = out + 5;  // strided rows, as the models pass them
    std::vector<float> x(n * ldx), y(n * ldy, 123.0f);  // y's old contents must not leak in
    for (auto& v : x) v = u(rng);
    const engine::ops::Matrix matrix = type == WeightType::bf16 ? engine::ops::Matrix::bf16(w16.data())
                                                                : engine::ops::Matrix(w32.data());
    const engine::ops::Linear layer{matrix, with_bias ? bias.data() : nullptr, in, out, in_major};
    engine::ops::linear(layer, x.data(), ldx, n, y.data(), ldy);
    double worst = 0, scale = 0;
    for (std::size_t r = 0; r < n; ++r)
        for (std::size_t o = 0; o < out; ++o) {
            double expected = with_bias ? bias[o] : 0.0;
            for (std::size_t i = 0; i < in; ++i)
                expected += static_cast<double>(w32[in_major ? i * out + o : o * in + i]) * x[r * ldx + i];
            worst = std::max(worst, std::fabs(expected - y[r * ldy + o]));
            scale = std::max(scale, std::fabs(expected));
        }
    return worst / scale;
}

void check_kernels(WeightType type) {
    const bool had_avx512 = engine::ops::avx512_enabled();
    for (bool avx512 : {true, false}) {
        engine::ops::set_avx512_enabled(avx512);
        CAPTURE(engine::ops::avx512_enabled());
        // Sizes with tails (not multiples of 16, 4 or gemm_avx512.cpp's 14-row tiles), sizes whose
        // tiles make several L2 groups (1100 in: 8 tiles a group), one row (the gemv kernels) and
        // several (the GEMM: one 32-token panel; two or five with a tail), both weight layouts,
        // with and without a bias. Float32 products over fewer than 256 inputs go to OpenBLAS.
        for (auto [in, out] : {std::pair<std::size_t, std::size_t>{37, 70}, {64, 16}, {300, 129}, {257, 30}, {1100, 260}})
            for (std::size_t n : {1, 5, 45, 130})
                for (bool in_major : {false, true})
                    for (bool bias : {false, true}) {
                        CAPTURE(in);
                        CAPTURE(out);
                        CAPTURE(n);
                        CAPTURE(in_major);
                        CAPTURE(bias);
                        CHECK(kernel_error(type, in, out, n, in_major, bias) <= 1e-5);
                    }
    }
    engine::ops::set_avx512_enabled(had_avx512);
}

// ops::linear_add against ops::linear then ops::add_in_place: equal to the bit, as it promises.
void check_linear_add(WeightType type) {
    const bool had_avx512 = engine::ops::avx512_enabled();
    std::mt19937 rng(11);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    for (bool avx512 : {true, false})
        for (auto [in, out] : {std::pair<std::size_t, std::size_t>{300, 129}, {1100, 260}, {64, 16}})
            for (std::size_t n : {1, 45, 130})
                for (bool in_major : {false, true})
                    for (bool bias : {false, true}) {
                        engine::ops::set_avx512_enabled(avx512);
                        CAPTURE(engine::ops::avx512_enabled());
                        CAPTURE(in);
                        CAPTURE(n);
                        CAPTURE(in_major);
                        CAPTURE(bias);
                        std::vector<float> w32(in * out), b(out), x(n * in), residual(n * out);
                        std::vector<std::uint16_t> w16(in * out);
                        for (auto* v : {&w32, &b, &x, &residual})
                            for (auto& f : *v) f = u(rng);
                        for (std::size_t i = 0; i < w16.size(); ++i) {
                            std::uint32_t bits;
                            std::memcpy(&bits, &w32[i], sizeof bits);
                            w16[i] = static_cast<std::uint16_t>(bits >> 16);
                        }
                        const engine::ops::Matrix matrix = type == WeightType::bf16 ? engine::ops::Matrix::bf16(w16.data())
                                                                                    : engine::ops::Matrix(w32.data());
                        const engine::ops::Linear layer{matrix, bias ? b.data() : nullptr, in, out, in_major};
                        std::vector<float> two_steps = residual, product(n * out);
                        engine::ops::linear(layer, x.data(), n, product.data());
                        engine::ops::add_in_place(two_steps.data(), product.data(), n * out);
                        std::vector<float> fused = residual, scratch(n * out);
                        engine::ops::linear_add(layer, x.data(), n, fused.data(), scratch.data());
                        CHECK(fused == two_steps);
                        CHECK(fused != residual);
                    }
    engine::ops::set_avx512_enabled(had_avx512);
}

}  // namespace

TEST_SUITE("unit") {
TEST_CASE("float32 products match a double product on both kernel paths") { check_kernels(WeightType::f32); }
TEST_CASE("bfloat16 products match a double product of the widened weights on both kernel paths") {
    check_kernels(WeightType::bf16);
}
TEST_CASE("linear_add equals linear then add_in_place to the bit on both kernel paths") {
    check_linear_add(WeightType::f32);
    check_linear_add(WeightType::bf16);
}
}
