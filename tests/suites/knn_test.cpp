#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "core/error.hpp"
#include "suites/knn.hpp"
#include "tests/support/support.hpp"

using namespace hubbench;
using namespace hubbench::suites;
using hubbench::test::error_of;

namespace {

using Matrix = std::vector<std::vector<float>>;

// Unit vectors in the plane: the cosine with (1, 0) is the first coordinate, with (0, 1) the second.
const Matrix train{
    {0.6f, 0.8f},     // 0: class 1
    {0.8f, 0.6f},     // 1: class 0
    {0.28f, 0.96f},   // 2: class 0
    {0.96f, 0.28f},   // 3: class 1
    {0.0f, 1.0f},     // 4: class 2
    {-1.0f, 0.0f},    // 5: class 2
    {0.0f, 1.0f},     // 6: class 0, the same vector as 4
};
const std::vector<std::size_t> labels{1, 0, 0, 1, 2, 2, 0};

}  // namespace

TEST_SUITE("unit") {
TEST_CASE("a vote tie goes to the class with the larger summed cosine") {
    // Query (1, 0), k = 4: the nearest are 3 (0.96, class 1), 1 (0.8, class 0), 0 (0.6, class 1)
    // and 2 (0.28, class 0). Two votes each; class 1 sums 0.96 + 0.6 = 1.56 against class 0's
    // 0.8 + 0.28 = 1.08, so class 1 wins although class 0 is the lower index.
    const auto p = knn_predict(train, labels, 3, {{1.0f, 0.0f}}, 4);
    REQUIRE(p.size() == 1);
    CHECK(p[0].label == 1);
    CHECK(p[0].scores == std::vector<double>{0.5, 0.5, 0.0});
    CHECK(p[0].similarity[0] == doctest::Approx(1.08).epsilon(1e-6));
    CHECK(p[0].similarity[1] == doctest::Approx(1.56).epsilon(1e-6));
    CHECK(p[0].similarity[2] == 0.0);
}

TEST_CASE("equal similarities rank the lower training index first") {
    // Query (0, 1), k = 1: items 4 (class 2) and 6 (class 0) both have cosine 1; item 4 comes first.
    const auto p = knn_predict(train, labels, 3, {{0.0f, 1.0f}}, 1);
    CHECK(p[0].label == 2);
    CHECK(p[0].scores == std::vector<double>{0.0, 0.0, 1.0});
    // k = 3: 4 and 6 (cosine 1, classes 2 and 0), then 2 (0.96, class 0): class 0 by two votes.
    CHECK(knn_predict(train, labels, 3, {{0.0f, 1.0f}}, 3)[0].label == 0);
}

TEST_CASE("a tie in votes and summed cosine goes to the lower class") {
    const Matrix twins{{1.0f, 0.0f}, {1.0f, 0.0f}};
    const auto p = knn_predict(twins, std::vector<std::size_t>{1, 0}, 2, {{1.0f, 0.0f}}, 2);
    CHECK(p[0].label == 0);
    CHECK(p[0].similarity == std::vector<double>{1.0, 1.0});
}

TEST_CASE("k beyond the training set uses all of it") {
    // Query (1, 0), all 7 items vote: class 0 has 1, 2 and 6, classes 1 and 2 two each.
    const auto p = knn_predict(train, labels, 3, {{1.0f, 0.0f}}, 10);
    CHECK(p[0].label == 0);
    CHECK(p[0].scores[0] == doctest::Approx(3.0 / 7.0));
    CHECK(p[0].scores[1] == doctest::Approx(2.0 / 7.0));
    CHECK(p[0].scores[2] == doctest::Approx(2.0 / 7.0));
    // Class 2: (0, 1) and (-1, 0) sum to 0 + (-1).
    CHECK(p[0].similarity[2] == doctest::Approx(-1.0));
}

TEST_CASE("batched queries over several blocks find each training vector itself") {
    // 300 random unit vectors in 16 dimensions with labels 0..4; every training vector queried
    // twice (600 queries, three blocks of 256). With k = 1 its nearest neighbour is itself
    // (cosine 1; another random vector's is far below), so the prediction is its own label.
    std::mt19937_64 gen(3);
    Matrix vectors;
    std::vector<std::size_t> classes;
    for (std::size_t i = 0; i < 300; ++i) {
        std::vector<float> v(16);
        double norm = 0.0;
        for (auto& x : v) {
            x = static_cast<float>(static_cast<double>(gen() >> 11) * 0x1.0p-53 - 0.5);
            norm += static_cast<double>(x) * x;
        }
        for (auto& x : v) x = static_cast<float>(x / std::sqrt(norm));
        vectors.push_back(v);
        classes.push_back(gen() % 5);
    }
    Matrix queries = vectors;
    queries.insert(queries.end(), vectors.begin(), vectors.end());
    const auto p = knn_predict(vectors, classes, 5, queries, 1);
    REQUIRE(p.size() == 600);
    for (std::size_t i = 0; i < 600; ++i) {
        CHECK(p[i].label == classes[i % 300]);
        CHECK(p[i].similarity[classes[i % 300]] == doctest::Approx(1.0).epsilon(1e-5));
    }
}

TEST_CASE("knn refuses k 0 and mismatched inputs") {
    CHECK(error_of([] { knn_predict(train, labels, 3, {{1.0f, 0.0f}}, 0); }) == "--k must be at least 1");
    CHECK(error_of([] { knn_predict({}, {}, 3, {{1.0f, 0.0f}}, 1); }) == "knn: 0 training vectors for 0 labels");
    CHECK(error_of([] { knn_predict(train, labels, 2, {{1.0f, 0.0f}}, 1); }) ==
          "knn: class 2 of training vector 4 is not below 2");
    CHECK(error_of([] { knn_predict(train, labels, 3, {{1.0f, 0.0f, 0.0f}}, 1); }) ==
          "knn: query vector 0 has 3 values, not 2");
    CHECK(knn_predict(train, labels, 3, {}, 1).empty());
}
}
