// The matrix-product kernels behind ops::linear, float32, bfloat16 and int8 weights, on both paths
// (the AVX-512 kernels on OpenMP threads, and OpenBLAS / widened or dequantized blocks through
// sgemm), against a double-precision product of the same weights (bfloat16 widened exactly, int8
// as value times its block's scale). Where bfloat16 products run on AVX512-BF16's vdpbf16ps
// (ops.hpp: (out, in) weights with an even `in`), the activations are rounded to bfloat16, to
// nearest even, and so they are in the double product.
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

// f rounded to the nearest bfloat16, ties to even (finite f), written out here rather than taken
// from the engine.
float rounded_to_bf16(float f) {
    std::uint32_t bits;
    std::memcpy(&bits, &f, sizeof bits);
    bits += 0x7FFFu + ((bits >> 16) & 1u);
    return widened(static_cast<std::uint16_t>(bits >> 16));
}

// Random weights of `type` and their float32 values: bfloat16 the upper half of a random float,
// int8 a random value in [-127, 127] times a random scale per block of 32 (quantize.hpp).
struct TestWeights {
    std::vector<float> w32;
    std::vector<std::uint16_t> w16;
    std::vector<std::int8_t> w8;
    std::vector<float> scales;
    engine::ops::Matrix matrix;

    TestWeights(const TestWeights&) = delete;  // `matrix` points into the vectors
    TestWeights& operator=(const TestWeights&) = delete;
    TestWeights(WeightType type, std::size_t count, std::mt19937& rng) : w32(count) {
        std::uniform_real_distribution<float> u(-1.0f, 1.0f);
        if (type == WeightType::q8) {
            std::uniform_int_distribution<int> value(-127, 127);
            std::uniform_real_distribution<float> scale(0.001f, 0.01f);
            w8.resize(count);
            scales.resize(count / engine::ops::q8_block);
            for (auto& d : scales) d = scale(rng);
            for (std::size_t i = 0; i < count; ++i) {
                w8[i] = static_cast<std::int8_t>(value(rng));
                w32[i] = static_cast<float>(w8[i]) * scales[i / engine::ops::q8_block];
            }
            matrix = engine::ops::Matrix::q8(w8.data(), scales.data());
            return;
        }
        w16.resize(count);
        for (std::size_t i = 0; i < count; ++i) {
            const float f = u(rng);
            std::uint32_t bits;
            std::memcpy(&bits, &f, sizeof bits);
            w16[i] = static_cast<std::uint16_t>(bits >> 16);  // truncated: any bfloat16 will do
            w32[i] = type == WeightType::bf16 ? widened(w16[i]) : f;
        }
        matrix = type == WeightType::bf16 ? engine::ops::Matrix::bf16(w16.data()) : engine::ops::Matrix(w32.data());
    }
};

// max |ops::linear - double product| / max |double product| for random weights and activations.
double kernel_error(WeightType type, std::size_t in, std::size_t out, std::size_t n, bool in_major, bool with_bias) {
    std::mt19937 rng(static_cast<unsigned>(in * 131 + out * 7 + n));
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    const TestWeights weights(type, in * out, rng);
    const std::vector<float>& w32 = weights.w32;
    std::vector<float> bias(out);
    for (auto& b : bias) b = u(rng);
    const std::size_t ldx = in + 3, ldy = out + 5;  // strided rows, as the models pass them
    std::vector<float> x(n * ldx), y(n * ldy, 123.0f);  // y's old contents must not leak in
    for (auto& v : x) v = u(rng);
    const engine::ops::Linear layer{weights.matrix, with_bias ? bias.data() : nullptr, in, out, in_major};
    engine::ops::linear(layer, x.data(), ldx, n, y.data(), ldy);
    const bool bf16_pairs = type == WeightType::bf16 && engine::ops::avx512_bf16_enabled() && !in_major && in % 2 == 0;
    double worst = 0, scale = 0;
    for (std::size_t r = 0; r < n; ++r)
        for (std::size_t o = 0; o < out; ++o) {
            double expected = with_bias ? bias[o] : 0.0;
            for (std::size_t i = 0; i < in; ++i) {
                const float xi = bf16_pairs ? rounded_to_bf16(x[r * ldx + i]) : x[r * ldx + i];
                expected += static_cast<double>(w32[in_major ? i * out + o : o * in + i]) * xi;
            }
            worst = std::max(worst, std::fabs(expected - y[r * ldy + o]));
            scale = std::max(scale, std::fabs(expected));
        }
    return worst / scale;
}

void check_kernels(WeightType type) {
    const bool had_avx512 = engine::ops::avx512_enabled(), had_bf16 = engine::ops::avx512_bf16_enabled();
    // AVX-512 with vdpbf16ps (where the CPU has it), AVX-512 widening bfloat16, portable.
    for (auto [avx512, bf16_instructions] : {std::pair{true, true}, std::pair{true, false}, std::pair{false, false}}) {
        if (type != WeightType::bf16 && avx512 && !bf16_instructions) continue;  // the same as the first for them
        engine::ops::set_avx512_enabled(avx512);
        engine::ops::set_avx512_bf16_enabled(bf16_instructions);
        CAPTURE(engine::ops::avx512_enabled());
        CAPTURE(engine::ops::avx512_bf16_enabled());
        // Sizes with tails (not multiples of 16, 4 or gemm_avx512.cpp's 14-row tiles), sizes whose
        // tiles make several L2 groups (1100 in: 8 tiles a group), one row (the gemv kernels) and
        // several (the GEMM: one 32-token panel; two or five with a tail), both weight layouts,
        // with and without a bias. Float32 products over fewer than 256 inputs go to OpenBLAS.
        // int8 rows (of either layout) are whole blocks of 32, so its sizes are multiples of 32.
        // Rows of 1024 float32s or 2048 bfloat16s are a multiple of 4 KiB: gemm_avx512.cpp copies
        // such tiles to a longer stride first.
        const std::vector<std::pair<std::size_t, std::size_t>> sizes =
            type == WeightType::q8
                ? std::vector<std::pair<std::size_t, std::size_t>>{{64, 32}, {288, 160}, {256, 64}, {1120, 96}, {1024, 64}}
                : std::vector<std::pair<std::size_t, std::size_t>>{{37, 70}, {64, 16}, {300, 129}, {257, 30}, {1100, 260}, {1024, 45}, {2048, 20}};
        for (auto [in, out] : sizes)
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
    engine::ops::set_avx512_bf16_enabled(had_bf16);
}

// ops::linear_add against ops::linear then ops::add_in_place: equal to the bit, as it promises.
void check_linear_add(WeightType type) {
    const bool had_avx512 = engine::ops::avx512_enabled();
    std::mt19937 rng(11);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    for (bool avx512 : {true, false})
        for (auto [in, out] : type == WeightType::q8 ? std::vector<std::pair<std::size_t, std::size_t>>{{288, 160}, {1120, 96}, {64, 32}}
                                                     : std::vector<std::pair<std::size_t, std::size_t>>{{300, 129}, {1100, 260}, {64, 16}})
            for (std::size_t n : {1, 45, 130})
                for (bool in_major : {false, true})
                    for (bool bias : {false, true}) {
                        engine::ops::set_avx512_enabled(avx512);
                        CAPTURE(engine::ops::avx512_enabled());
                        CAPTURE(in);
                        CAPTURE(n);
                        CAPTURE(in_major);
                        CAPTURE(bias);
                        const TestWeights weights(type, in * out, rng);
                        std::vector<float> b(out), x(n * in), residual(n * out);
                        for (auto* v : {&b, &x, &residual})
                            for (auto& f : *v) f = u(rng);
                        const engine::ops::Linear layer{weights.matrix, bias ? b.data() : nullptr, in, out, in_major};
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
TEST_CASE("int8 products match a double product of the dequantized weights on both kernel paths") {
    check_kernels(WeightType::q8);
}
TEST_CASE("linear_add equals linear then add_in_place to the bit on both kernel paths") {
    check_linear_add(WeightType::f32);
    check_linear_add(WeightType::bf16);
    check_linear_add(WeightType::q8);
}
}
