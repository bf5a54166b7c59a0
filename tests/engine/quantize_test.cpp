// ops::quantize_q8 / dequantize_q8 (llama.cpp's Q8_0 rule, ops/quantize.hpp) on blocks whose
// values were worked out by hand.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "engine/ops/ops.hpp"
#include "engine/ops/quantize.hpp"

using namespace hubbench;

TEST_SUITE("unit") {
TEST_CASE("quantize_q8 scales each block of 32 by its largest magnitude over 127") {
    // Block 0: x_j = (j - 16) / 10, so max |x| = 1.6, d = 1.6 / 127 and x_j / d = (j - 16) * 7.9375.
    // Block 1: x_j = 0 but for 127 at j = 0, so d = 1 and q = round(x): 2.5 -> 3 and -2.5 -> -3
    // (half away from zero, C's roundf), 0.49 -> 0. Block 2: all zero, so d = 0 and q = 0.
    std::vector<float> x(96, 0.0f);
    for (int j = 0; j < 32; ++j) x[j] = static_cast<float>(j - 16) / 10.0f;
    x[32] = 127.0f;
    x[33] = 2.5f;
    x[34] = -2.5f;
    x[35] = 0.49f;
    std::vector<std::int8_t> q(96);
    std::vector<float> d(3);
    engine::ops::quantize_q8(x.data(), x.size(), q.data(), d.data());
    CHECK(d[0] == doctest::Approx(1.6 / 127).epsilon(1e-6));
    CHECK(q[0] == -127);  // -1.6
    CHECK(q[16] == 0);
    CHECK(q[17] == 8);    // 7.9375
    CHECK(q[18] == 16);   // 15.875
    CHECK(q[20] == 32);   // 31.75
    CHECK(q[31] == 119);  // 119.0625
    CHECK(d[1] == 1.0f);
    CHECK(q[32] == 127);
    CHECK(q[33] == 3);
    CHECK(q[34] == -3);
    CHECK(q[35] == 0);
    CHECK(d[2] == 0.0f);
    for (int j = 64; j < 96; ++j) CHECK(q[j] == 0);

    // Reading back: element i is q[i] * d[i / 32], over any range (here one across blocks 0 and 1).
    std::vector<float> back(20);
    engine::ops::dequantize_q8(q.data(), d.data(), 22, back.size(), back.data());
    for (std::size_t j = 0; j < back.size(); ++j) CHECK(back[j] == static_cast<float>(q[22 + j]) * d[(22 + j) / 32]);
}

TEST_CASE("quantize_q8 reads back within half a step of every value on either dequantize path") {
    std::mt19937 rng(5);
    std::normal_distribution<float> normal(0.0f, 0.05f);
    const std::size_t count = 32 * 40;
    std::vector<float> x(count), back(count), back_portable(count);
    for (auto& v : x) v = normal(rng);
    std::vector<std::int8_t> q(count);
    std::vector<float> d(count / 32);
    engine::ops::quantize_q8(x.data(), count, q.data(), d.data());
    const bool had = engine::ops::avx512_enabled();
    engine::ops::dequantize_q8(q.data(), d.data(), 0, count, back.data());
    engine::ops::set_avx512_enabled(false);
    engine::ops::dequantize_q8(q.data(), d.data(), 0, count, back_portable.data());
    engine::ops::set_avx512_enabled(had);
    for (std::size_t i = 0; i < count; ++i) {
        CHECK(std::fabs(back[i] - x[i]) <= d[i / 32] * 0.5f * (1.0f + 1e-5f));
        CHECK(back[i] == back_portable[i]);
    }
}
}
