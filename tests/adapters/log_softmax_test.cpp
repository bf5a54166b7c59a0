#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "adapters/log_softmax.hpp"

using namespace hubbench::adapters;

namespace {
// The definition, in long double and without the max shift (fine for small logits).
long double naive_log_softmax(const std::vector<float>& x, std::size_t target) {
    long double s = 0;
    for (float v : x) s += std::exp(static_cast<long double>(v));
    return static_cast<long double>(x[target]) - std::log(s);
}
}  // namespace

TEST_SUITE("unit") {
TEST_CASE("log softmax matches the definition for every vocabulary size remainder") {
    for (std::size_t n : {1u, 2u, 3u, 4u, 5u, 7u, 8u, 33u, 4096u}) {
        std::vector<float> x(n);
        for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<float>(std::sin(0.37 * static_cast<double>(i)) * 6.0);
        for (std::size_t t : {std::size_t{0}, n / 2, n - 1}) {
            CAPTURE(n);
            CHECK(log_softmax_at(x.data(), n, static_cast<std::int32_t>(t)) ==
                  doctest::Approx(static_cast<double>(naive_log_softmax(x, t))).epsilon(1e-13));
        }
    }
}

TEST_CASE("log softmax is stable for huge logits and a uniform row") {
    std::vector<float> big{1e30f, 1e30f - 1e24f, -1e30f, 0.0f};
    CHECK(std::isfinite(log_softmax_at(big.data(), big.size(), 0)));
    CHECK(log_softmax_at(big.data(), big.size(), 0) <= 0.0);
    std::vector<float> uniform(4096, 3.25f);
    CHECK(log_softmax_at(uniform.data(), uniform.size(), 17) == doctest::Approx(-std::log(4096.0)).epsilon(1e-14));
    std::vector<float> ninf{-std::numeric_limits<float>::infinity(), 0.0f};
    CHECK(log_softmax_at(ninf.data(), 2, 1) == 0.0);
    CHECK(std::isinf(log_softmax_at(ninf.data(), 2, 0)));
}
}
