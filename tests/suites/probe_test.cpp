#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "core/error.hpp"
#include "suites/folds.hpp"
#include "suites/linear_probe.hpp"
#include "tests/support/support.hpp"

using namespace hubbench;
using namespace hubbench::suites;
using hubbench::test::error_of;

namespace {

using Matrix = std::vector<std::vector<float>>;

// Uniform in [-1, 1) from mt19937_64's raw output (fixed by the standard, unlike the
// distributions), so the synthetic sets are the same everywhere.
float uniform(std::mt19937_64& gen) {
    return static_cast<float>(static_cast<double>(gen() >> 11) * 0x1.0p-53 * 2.0 - 1.0);
}

// Accuracy of predictions pooled over stratified k-fold cross-validation, as the classification
// task will compute it.
double cross_validated_accuracy(const Matrix& x, const std::vector<std::size_t>& y, std::size_t classes,
                                std::size_t folds) {
    std::vector<std::string> names;
    for (std::size_t c : y) names.push_back(std::to_string(c));
    const auto fold = stratified_folds(names, folds, 0);
    std::size_t right = 0;
    for (std::size_t f = 0; f < folds; ++f) {
        Matrix train_x;
        std::vector<std::size_t> train_y;
        for (std::size_t i = 0; i < x.size(); ++i) {
            if (fold[i] != f) train_x.push_back(x[i]), train_y.push_back(y[i]);
        }
        const auto probe = LinearProbe::fit(train_x, train_y, classes, {});
        for (std::size_t i = 0; i < x.size(); ++i) {
            if (fold[i] == f && probe.predict(x[i]) == y[i]) ++right;
        }
    }
    return static_cast<double>(right) / static_cast<double>(x.size());
}

// Two small fixed problems and scikit-learn's answers, printed by tools/references/probe_reference.py
// (scikit-learn 1.9.1) and pasted here. scikit-learn bundles its own modified liblinear while
// hubbench links Debian's LIBLINEAR 2.30, whose trust-region Newton solver (preconditioned since
// 2.20) takes other steps. With the default tol = 1e-4 each stops once the gradient norm has fallen
// by about that factor, short of the optimum and not at the same point (scikit-learn's own default
// and converged values differ by up to 3e-5 here), so the defaults are compared to 1e-4 and by
// prediction; with tol = 1e-10 both have converged and the decision values agree to 1e-6 (the
// script's BFGS solve of the same objective agrees as well).
const Matrix binary_x{{0.5f, 1.0f}, {1.5f, 2.0f}, {2.0f, 0.5f}, {3.0f, 1.5f},
                      {1.0f, 3.0f}, {2.5f, 2.5f}, {3.5f, 3.0f}, {0.0f, 2.0f}};
const std::vector<std::size_t> binary_y{0, 0, 1, 1, 0, 1, 1, 0};
const Matrix binary_queries{{1.0f, 1.0f}, {3.0f, 3.0f}, {2.0f, 2.0f}, {0.0f, 0.0f}};
// LogisticRegression(solver="liblinear", tol=...).decision_function: the score of class 1.
const std::vector<double> sklearn_binary_default{0.041783138883429605, 0.9343452168173672, 0.4880641778503984,
                                                 -0.4044979000835392};
const std::vector<double> sklearn_binary_converged{0.041780514230552235, 0.9343541676067708, 0.4880673409186615,
                                                   -0.404506312457557};
const std::vector<std::size_t> sklearn_binary_predict{1, 1, 1, 0};

const Matrix three_x{{0.0f, 0.0f}, {0.5f, 1.0f}, {1.0f, 0.25f}, {3.0f, 0.0f}, {3.5f, 1.0f},
                     {2.5f, 0.5f}, {1.5f, 3.0f}, {2.0f, 2.5f}, {1.0f, 2.75f}};
const std::vector<std::size_t> three_y{0, 0, 0, 1, 1, 0, 2, 2, 2};
const Matrix three_queries{{0.5f, 0.5f}, {3.0f, 0.5f}, {1.5f, 2.5f}, {2.0f, 1.0f}};
// OneVsRestClassifier(LogisticRegression(solver="liblinear", tol=...)).decision_function: scikit-learn
// 1.8+ refuses 3+ classes with liblinear itself and fits the same one-vs-rest problems this way.
const std::vector<std::vector<double>> sklearn_three_default{
    {0.26114811628070844, -0.9933257066965133, -0.5326032913015358},
    {-0.7475355709032924, 0.26180522254365135, -1.9504513957741207},
    {-1.4475073773539888, -2.122959465137973, 0.9979537776176317},
    {-0.6703576007199664, -0.6481686816867959, -0.8588880763080364}};
const std::vector<std::vector<double>> sklearn_three_converged{
    {0.26114667514241474, -0.9933258150836843, -0.5326033793453608},
    {-0.7475519805458846, 0.26180517188286156, -1.9504515159623024},
    {-1.4475377665389848, -2.122959845749212, 0.9979537566903539},
    {-0.6703737631220847, -0.6481688292667932, -0.858888163644903}};
const std::vector<std::size_t> sklearn_three_predict{0, 1, 2, 1};

}  // namespace

TEST_SUITE("unit") {
TEST_CASE("binary decision values equal scikit-learn's liblinear logistic regression") {
    for (const auto& [tol, expected, bound] :
         {std::tuple{1e-4, sklearn_binary_default, 1e-4}, std::tuple{1e-10, sklearn_binary_converged, 1e-6}}) {
        const double tolerance = tol;   // a copy: lambdas (CAPTURE) may not capture bindings before clang 16
        CAPTURE(tolerance);
        const auto probe = LinearProbe::fit(binary_x, binary_y, 2, {1.0, tolerance});
        CHECK(probe.classes() == 2);
        CHECK(probe.dimension() == 2);
        for (std::size_t q = 0; q < binary_queries.size(); ++q) {
            const auto d = probe.decision(binary_queries[q]);
            REQUIRE(d.size() == 2);
            CHECK(std::fabs(d[1] - expected[q]) <= bound);
            CHECK(d[0] == -d[1]);
            CHECK(probe.predict(binary_queries[q]) == sklearn_binary_predict[q]);
        }
    }
}

TEST_CASE("three-class decision values equal scikit-learn's one-vs-rest liblinear") {
    for (const auto& [tol, expected, bound] :
         {std::tuple{1e-4, sklearn_three_default, 1e-4}, std::tuple{1e-10, sklearn_three_converged, 1e-6}}) {
        const double tolerance = tol;
        CAPTURE(tolerance);
        const auto probe = LinearProbe::fit(three_x, three_y, 3, {1.0, tolerance});
        for (std::size_t q = 0; q < three_queries.size(); ++q) {
            const auto d = probe.decision(three_queries[q]);
            REQUIRE(d.size() == 3);
            for (std::size_t c = 0; c < 3; ++c) CHECK(std::fabs(d[c] - expected[q][c]) <= bound);
            CHECK(probe.predict(three_queries[q]) == sklearn_three_predict[q]);
        }
    }
}

TEST_CASE("decision values follow the class indices whatever order liblinear sees them in") {
    // Swapping the two classes flips the sign of the optimum (the objective is symmetric), so the
    // scores swap: LIBLINEAR numbers its classes by first appearance, now class 1 first.
    std::vector<std::size_t> swapped;
    for (std::size_t c : binary_y) swapped.push_back(1 - c);
    const auto a = LinearProbe::fit(binary_x, binary_y, 2, {});
    const auto b = LinearProbe::fit(binary_x, swapped, 2, {});
    for (const auto& q : binary_queries) {
        CHECK(b.decision(q)[0] == doctest::Approx(a.decision(q)[1]).epsilon(1e-9));
        CHECK(b.decision(q)[1] == doctest::Approx(a.decision(q)[0]).epsilon(1e-9));
    }
    // Classes 2 and 0 of four: class 1 and 3 never occur and score −inf; 0 and 2 get the binary
    // problem's scores.
    std::vector<std::size_t> sparse;
    for (std::size_t c : binary_y) sparse.push_back(2 * c);
    const auto s = LinearProbe::fit(binary_x, sparse, 4, {});
    for (const auto& q : binary_queries) {
        const auto d = s.decision(q);
        REQUIRE(d.size() == 4);
        CHECK(d[1] == -std::numeric_limits<double>::infinity());
        CHECK(d[3] == -std::numeric_limits<double>::infinity());
        CHECK(d[2] == doctest::Approx(a.decision(q)[1]).epsilon(1e-9));
        CHECK(s.predict(q) == 2 * a.predict(q));
    }
}

TEST_CASE("a linearly separable set is classified perfectly under cross-validation") {
    // 300 points in 8 dimensions, the class the side of a fixed hyperplane; points within 0.2 of it
    // are dropped so that the margin survives C = 1 regularisation.
    std::mt19937_64 gen(42);
    std::vector<float> w(8);
    for (auto& v : w) v = uniform(gen);
    Matrix x;
    std::vector<std::size_t> y;
    while (x.size() < 300) {
        std::vector<float> p(8);
        double margin = 0.25;   // an offset, so the classes are not the same size
        for (std::size_t j = 0; j < 8; ++j) {
            p[j] = 2.0f * uniform(gen);
            margin += static_cast<double>(w[j]) * static_cast<double>(p[j]);
        }
        if (std::fabs(margin) < 0.2) continue;
        x.push_back(p);
        y.push_back(margin > 0 ? 1 : 0);
    }
    CHECK(cross_validated_accuracy(x, y, 2, 5) == 1.0);

    // Three classes: the nearest of three well-separated centres, noise ±0.3 per coordinate.
    const float centres[3][4] = {{2, 0, 0, 0}, {0, 2, 0, 0}, {0, 0, 2, 2}};
    Matrix x3;
    std::vector<std::size_t> y3;
    for (std::size_t i = 0; i < 150; ++i) {
        const std::size_t c = i % 3;
        std::vector<float> p(4);
        for (std::size_t j = 0; j < 4; ++j) p[j] = centres[c][j] + 0.3f * uniform(gen);
        x3.push_back(p);
        y3.push_back(c);
    }
    CHECK(cross_validated_accuracy(x3, y3, 3, 5) == 1.0);
}

TEST_CASE("labels independent of the features give chance accuracy") {
    // 400 points, 16 random features, labels from a separate coin: accuracy is Binomial(400, 1/2)/400
    // for an uninformed classifier, standard deviation 0.025; the band is four of them.
    std::mt19937_64 gen(7), coin(8);
    Matrix x;
    std::vector<std::size_t> y;
    for (std::size_t i = 0; i < 400; ++i) {
        std::vector<float> p(16);
        for (auto& v : p) v = uniform(gen);
        x.push_back(p);
        y.push_back(coin() >> 63);
    }
    const double accuracy = cross_validated_accuracy(x, y, 2, 5);
    CHECK(accuracy > 0.4);
    CHECK(accuracy < 0.6);
}

TEST_CASE("bad probe options and inputs are errors") {
    CHECK(error_of([] { LinearProbe::fit(binary_x, binary_y, 2, {0.0, 1e-4}); }) == "the probe's C must be > 0, not 0.000000");
    CHECK(error_of([] { LinearProbe::fit(binary_x, binary_y, 2, {1.0, -1.0}); }) ==
          "the probe's tolerance must be > 0, not -1.000000");
    CHECK(error_of([] { LinearProbe::fit({}, {}, 2, {}); }) == "probe: 0 feature rows for 0 labels");
    CHECK(error_of([] { LinearProbe::fit({{1.0f}, {2.0f, 3.0f}}, std::vector<std::size_t>{0, 1}, 2, {}); }) ==
          "probe: row 1 has 2 features, not 1");
    CHECK(error_of([] { LinearProbe::fit({{1.0f}, {2.0f}}, std::vector<std::size_t>{0, 2}, 2, {}); }) ==
          "probe: class 2 of row 1 is not below 2");
    CHECK(error_of([] { LinearProbe::fit({{1.0f}, {2.0f}}, std::vector<std::size_t>{1, 1}, 2, {}); }) ==
          "probe: the training rows hold fewer than two classes");
    const auto probe = LinearProbe::fit(binary_x, binary_y, 2, {});
    CHECK(error_of([&] { probe.decision(std::vector<float>{1.0f}); }) == "probe: 1 features, the probe has 2");
}

TEST_CASE("pair features are u and v and their absolute difference and product") {
    const std::vector<float> u{1.0f, 2.0f}, v{3.0f, -1.0f};
    // [u, v, |u - v|, u * v] = [1, 2, 3, -1, |1-3|, |2+1|, 1*3, 2*-1]
    CHECK(pair_features(u, v) == std::vector<float>{1, 2, 3, -1, 2, 3, 3, -2});
    CHECK(pair_features(std::vector<float>{}, std::vector<float>{}).empty());
    CHECK(error_of([&] { pair_features(u, std::vector<float>{1.0f}); }) == "pair features of 2 and 1 dimensions");
}
}
