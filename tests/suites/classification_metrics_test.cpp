#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

#include "core/error.hpp"
#include "suites/classification_metrics.hpp"
#include "tests/support/support.hpp"

using namespace hubbench;
using namespace hubbench::suites;
using hubbench::test::error_of;

TEST_SUITE("unit") {
TEST_CASE("accuracy and macro f1 of a hand-worked example match scikit-learn") {
    const std::vector<std::size_t> gold{0, 0, 0, 1, 1, 2, 2, 2, 2, 3};
    const std::vector<std::size_t> pred{0, 0, 1, 1, 2, 2, 2, 0, 2, 0};
    // Right: items 0, 1, 3, 5, 6, 8 -> 6 / 10.
    CHECK(accuracy(gold, pred) == doctest::Approx(0.6));
    // F1 = 2TP / (2TP + FP + FN) per class:
    //   0: TP 2 (items 0, 1), FP 2 (7, 9), FN 1 (2)  -> 4/7
    //   1: TP 1 (3), FP 1 (2), FN 1 (4)              -> 1/2
    //   2: TP 3 (5, 6, 8), FP 1 (4), FN 1 (7)        -> 3/4
    //   3: TP 0, FN 1 (9)                            -> 0, counted: it occurs in gold
    //   4: occurs nowhere                            -> not counted
    // mean of four = (4/7 + 1/2 + 3/4) / 4 = 0.455357142857...; tools/references/probe_reference.py
    // prints f1_score(gold, pred, average="macro") = 0.45535714285714285 and accuracy_score 0.6.
    CHECK(macro_f1(gold, pred, 5) == doctest::Approx((4.0 / 7 + 0.5 + 0.75) / 4));
    CHECK(std::fabs(macro_f1(gold, pred, 5) - 0.45535714285714285) < 1e-15);
    // Class 0: 2TP / (2TP + FP) = 4/5; class 1: 2/(2 + 1) = 2/3; classes 2..4 occur nowhere.
    // scikit-learn: 0.7333333333333334.
    CHECK(macro_f1(std::vector<std::size_t>{0, 1, 1, 0}, std::vector<std::size_t>{0, 1, 0, 0}, 5) ==
          doctest::Approx(0.7333333333333334));
    // A class only predicted counts too: gold all 0, one item predicted 1 -> (2/3 + 0) / 2.
    CHECK(macro_f1(std::vector<std::size_t>{0, 0}, std::vector<std::size_t>{0, 1}, 2) == doctest::Approx(1.0 / 3));
}

TEST_CASE("metrics of no items are nan and mismatched lists are errors") {
    CHECK(std::isnan(accuracy({}, {})));
    CHECK(std::isnan(macro_f1({}, {}, 2)));
    const std::vector<std::size_t> two{0, 1}, three{0, 1, 1};
    CHECK(error_of([&] { accuracy(two, three); }) == "2 gold classes for 3 predictions");
    CHECK(error_of([&] { macro_f1(two, std::vector<std::size_t>{0, 2}, 2); }) == "class 2 is not below 2");
}

TEST_CASE("bootstrap resamples draw mt19937_64 raw output modulo the item count") {
    // The first resample's indices are the first n outputs of std::mt19937_64(seed) mod n.
    std::vector<std::vector<std::size_t>> seen;
    const double se = bootstrap_stderr(7, 3, 11, [&](std::span<const std::size_t> s) {
        seen.emplace_back(s.begin(), s.end());
        return static_cast<double>(s[0]);
    });
    REQUIRE(seen.size() == 3);
    std::mt19937_64 gen(11);
    std::vector<std::size_t> first(7);
    for (auto& i : first) i = static_cast<std::size_t>(gen() % 7);
    CHECK(seen[0] == first);
    // The statistic is each resample's first index: its sample standard deviation over the three.
    const double a = static_cast<double>(seen[0][0]), b = static_cast<double>(seen[1][0]), c = static_cast<double>(seen[2][0]);
    const double m = (a + b + c) / 3;
    CHECK(se == doctest::Approx(std::sqrt(((a - m) * (a - m) + (b - m) * (b - m) + (c - m) * (c - m)) / 2)));
}

TEST_CASE("bootstrap standard error of accuracy is reproducible and near the binomial one") {
    // 2000 items, 30% right: the standard error of the accuracy is sqrt(p (1 - p) / n) = 0.010247.
    // With 1000 resamples the bootstrap estimate has a relative error of about 1/sqrt(2 · 999) = 2.2%;
    // the band is ±10%.
    const std::size_t n = 2000;
    std::vector<std::size_t> gold(n, 1), pred(n, 0);
    for (std::size_t i = 0; i < 600; ++i) pred[i] = 1;
    auto acc = [&](std::span<const std::size_t> sample) {
        std::vector<std::size_t> g, p;
        for (std::size_t i : sample) g.push_back(gold[i]), p.push_back(pred[i]);
        return accuracy(g, p);
    };
    const double se = bootstrap_stderr(n, default_bootstrap_resamples, default_bootstrap_seed, acc);
    const double binomial = std::sqrt(0.3 * 0.7 / 2000.0);
    CHECK(se > 0.9 * binomial);
    CHECK(se < 1.1 * binomial);
    CHECK(bootstrap_stderr(n, default_bootstrap_resamples, default_bootstrap_seed, acc) == se);
    CHECK(bootstrap_stderr(n, default_bootstrap_resamples, 1, acc) != se);
}

TEST_CASE("bootstrap standard error needs two resamples and two items and finite statistics") {
    auto mean_index = [](std::span<const std::size_t> s) {
        double sum = 0.0;
        for (std::size_t i : s) sum += static_cast<double>(i);
        return sum / static_cast<double>(s.size());
    };
    CHECK(std::isnan(bootstrap_stderr(10, 1, 0, mean_index)));
    CHECK(std::isnan(bootstrap_stderr(1, 100, 0, mean_index)));
    CHECK(std::isnan(bootstrap_stderr(10, 100, 0, [](std::span<const std::size_t>) { return std::nan(""); })));
    // Non-finite values are left out: a statistic that is NaN on every other resample still gives
    // a figure.
    int calls = 0;
    const double se = bootstrap_stderr(10, 100, 0, [&](std::span<const std::size_t> s) {
        return ++calls % 2 == 0 ? std::nan("") : mean_index(s);
    });
    CHECK(std::isfinite(se));
    CHECK(se > 0.0);
}
}
