#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <set>
#include <vector>

#include "core/error.hpp"
#include "suites/nearest.hpp"
#include "tests/support/support.hpp"

using namespace hubbench;
using namespace hubbench::suites;
using hubbench::test::error_of;

namespace {

// Rows of independent standard normal values, L2-normalised: unit vectors spread uniformly.
Matrix random_unit_rows(std::size_t rows, std::size_t cols, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> normal;
    Matrix m(rows, cols);
    for (float& v : m.values) v = normal(rng);
    normalize_rows(m);
    return m;
}

struct Scored {
    double score;
    std::size_t index;
};

// Every document scored in double and sorted: higher score first, then lower row.
std::vector<Scored> brute_force(const Matrix& docs, std::span<const float> query) {
    std::vector<Scored> all(docs.rows);
    for (std::size_t i = 0; i < docs.rows; ++i) {
        double s = 0.0;
        for (std::size_t j = 0; j < docs.cols; ++j) s += static_cast<double>(docs.row(i)[j]) * query[j];
        all[i] = {s, i};
    }
    std::sort(all.begin(), all.end(), [](const Scored& a, const Scored& b) {
        return a.score > b.score || (a.score == b.score && a.index < b.index);
    });
    return all;
}

}  // namespace

TEST_SUITE("unit") {
TEST_CASE("retrieval nearest: exact top k equals a brute force ranking of random unit vectors") {
    // 9,000 documents and 300 queries: three document tiles of 4,096 and two query blocks of 256.
    const Matrix docs = random_unit_rows(9000, 48, 1);
    const Matrix queries = random_unit_rows(300, 48, 2);
    const std::size_t k = 10;
    const Neighbours got = top_k_exact(docs, queries, k);
    CHECK_FALSE(got.approximate);
    REQUIRE(got.ids.size() == 300);
    REQUIRE(got.scores.size() == 300);
    std::size_t compared = 0;
    for (std::size_t q = 0; q < queries.rows; ++q) {
        const auto expected = brute_force(docs, queries.row(q));
        REQUIRE(got.ids[q].size() == k);
        for (std::size_t r = 0; r < k; ++r) {
            // float sgemm against double sums: scores agree to float rounding; the ids agree
            // wherever the neighbouring expected scores are more than that apart.
            CHECK(std::fabs(got.scores[q][r] - expected[r].score) < 1e-5);
            const bool near_tie = std::fabs(expected[r].score - expected[r + 1].score) < 1e-5 ||
                                  (r > 0 && std::fabs(expected[r].score - expected[r - 1].score) < 1e-5);
            if (!near_tie) {
                CHECK(got.ids[q][r] == expected[r].index);
                ++compared;
            }
        }
    }
    CHECK(compared > 2900);   // nearly every position is compared by id
}

TEST_CASE("retrieval nearest: exact top k breaks equal scores by the lower document row") {
    // Integer-valued vectors: every dot product is a small integer, exact in float whatever order
    // BLAS sums in. 10,000 documents drawn from 12 patterns: long runs of equal scores that cross
    // the 4,096-document tiles.
    std::mt19937_64 rng(7);
    std::uniform_int_distribution<int> value(-1, 2);
    Matrix patterns(12, 8);
    for (float& v : patterns.values) v = static_cast<float>(value(rng));
    Matrix docs(10000, 8);
    std::uniform_int_distribution<std::size_t> pick(0, 11);
    for (std::size_t i = 0; i < docs.rows; ++i) {
        const auto p = patterns.row(pick(rng));
        std::copy(p.begin(), p.end(), docs.row(i).begin());
    }
    Matrix queries(260, 8);
    for (float& v : queries.values) v = static_cast<float>(value(rng));
    const std::size_t k = 25;
    const Neighbours got = top_k_exact(docs, queries, k);
    for (std::size_t q = 0; q < queries.rows; ++q) {
        const auto expected = brute_force(docs, queries.row(q));
        REQUIRE(got.ids[q].size() == k);
        for (std::size_t r = 0; r < k; ++r) {
            CHECK(got.ids[q][r] == expected[r].index);
            CHECK(got.scores[q][r] == static_cast<float>(expected[r].score));
        }
    }
    // All documents equal: the first k rows, in order.
    Matrix same(50, 3);
    std::fill(same.values.begin(), same.values.end(), 1.0f);
    const auto tied = top_k_exact(same, Matrix(1, 3), 5);
    CHECK(tied.ids[0] == std::vector<std::size_t>{0, 1, 2, 3, 4});
}

TEST_CASE("retrieval nearest: top k of fewer documents than k returns them all and the threshold picks the method") {
    Matrix docs = Matrix::from_rows({{1, 0}, {0, 1}, {0.6f, 0.8f}});
    const Matrix queries = Matrix::from_rows({{1, 0}, {0, 1}});
    const auto got = top_k(docs, queries, 10);
    CHECK_FALSE(got.approximate);
    CHECK(got.ids[0] == std::vector<std::size_t>{0, 2, 1});
    CHECK(got.ids[1] == std::vector<std::size_t>{1, 2, 0});
    CHECK(got.scores[1] == std::vector<float>{1.0f, 0.8f, 0.0f});
    NearestOptions hnsw;
    hnsw.exact_max_documents = 2;   // 3 documents > 2: HNSW, which finds all of so few exactly
    const auto approx = top_k(docs, queries, 10, hnsw);
    CHECK(approx.approximate);
    CHECK(approx.ids == got.ids);
    CHECK(approx.scores[0][0] == doctest::Approx(1.0));
    // No queries: no lists. Zero-width vectors: every score 0, rows in order.
    CHECK(top_k(docs, Matrix(0, 2), 3).ids.empty());
    CHECK(top_k_exact(Matrix(4, 0), Matrix(1, 0), 2).ids[0] == std::vector<std::size_t>{0, 1});
}

TEST_CASE("retrieval nearest: nearest rejects bad shapes values and k") {
    const Matrix docs = Matrix::from_rows({{1, 0}, {0, 1}});
    CHECK(error_of([&] { top_k(docs, docs, 0); }) == "nearest: k must be at least 1");
    CHECK(error_of([&] { top_k(docs, Matrix(1, 3), 1); }) == "nearest: documents have 2 dimensions, queries 3");
    CHECK(error_of([&] { top_k(Matrix(0, 2), docs, 1); }) == "nearest: no documents to search");
    Matrix nan_docs = docs;
    nan_docs.values[3] = std::numeric_limits<float>::quiet_NaN();
    CHECK(error_of([&] { top_k(nan_docs, docs, 1); }) == "nearest: document 1 has a value that is not finite");
    CHECK(error_of([&] { top_k(docs, nan_docs, 1); }) == "nearest: query 1 has a value that is not finite");
    CHECK(error_of([&] { Matrix::from_rows({{1, 2}, {3}}); }) == "vector 1 has 1 values, vector 0 has 2");
    const HnswIndex index(docs);
    CHECK(index.size() == 2);
    CHECK(index.dimension() == 2);
    CHECK(error_of([&] { index.search(Matrix(1, 3), 1); }) == "nearest: documents have 2 dimensions, queries 3");
    CHECK(error_of([&] { index.search(docs, 0); }) == "nearest: k must be at least 1");
}

TEST_CASE("retrieval nearest: rows are normalised to unit length and zero rows stay zero") {
    Matrix m = Matrix::from_rows({{3, 4}, {0, 0}, {-2, 0}});
    normalize_rows(m);
    CHECK(m.values == std::vector<float>{0.6f, 0.8f, 0.0f, 0.0f, -1.0f, 0.0f});
}

TEST_CASE("retrieval nearest: hnsw recall at 10 against the exact search is at least 0.95") {
    // 10,000 random unit vectors of 32 dimensions, above a lowered threshold so that top_k takes
    // the HNSW path with the default parameters (M 16, ef_construction 200, ef_search 100).
    // Uniformly spread vectors are the hard case for a graph index; real embeddings score higher.
    const Matrix docs = random_unit_rows(10000, 32, 11);
    const Matrix queries = random_unit_rows(200, 32, 12);
    NearestOptions options;
    options.exact_max_documents = 5000;
    const Neighbours exact = top_k_exact(docs, queries, 10);
    const Neighbours approx = top_k(docs, queries, 10, options);
    CHECK(approx.approximate);
    std::size_t found = 0;
    for (std::size_t q = 0; q < queries.rows; ++q) {
        REQUIRE(approx.ids[q].size() == 10);
        const std::set<std::size_t> truth(exact.ids[q].begin(), exact.ids[q].end());
        for (std::size_t r = 0; r < 10; ++r) {
            found += truth.count(approx.ids[q][r]);
            // Best first, and the score is the document's dot product with the query.
            if (r > 0) CHECK(approx.scores[q][r] <= approx.scores[q][r - 1]);
            const auto d = docs.row(approx.ids[q][r]);
            const double dot = std::inner_product(d.begin(), d.end(), queries.row(q).begin(), 0.0);
            CHECK(std::fabs(approx.scores[q][r] - dot) < 1e-5);
        }
    }
    const double recall = static_cast<double>(found) / (10.0 * queries.rows);
    MESSAGE("hnsw recall@10 = " << recall);
    CHECK(recall >= 0.95);
}

TEST_CASE("retrieval nearest: an hnsw index gives the same lists on every build and with any number of threads") {
    const Matrix docs = random_unit_rows(2000, 32, 21);
    const Matrix queries = random_unit_rows(100, 32, 22);
    const HnswIndex one(docs);
    NearestOptions four;
    four.threads = 4;
    const HnswIndex again(docs, four);   // a second build, searched on four threads
    const Neighbours first = one.search(queries, 10);
    const Neighbours second = again.search(queries, 10);
    CHECK(first.ids == second.ids);
    CHECK(first.scores == second.scores);
    // k above ef_search: the search widens to k.
    CHECK(one.search(queries, 150).ids[0].size() == 150);
}
}
