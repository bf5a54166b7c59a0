#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "core/error.hpp"
#include "suites/math.hpp"

using namespace hubbench;
using namespace hubbench::suites;

TEST_SUITE("unit") {
TEST_CASE("the nll accumulator gives llama.cpp's standard error of the mean") {
    NllAccumulator acc;
    for (double v : {1.0, 2.0, 3.0, 4.0}) acc.add(v);
    CHECK(acc.sum == 10.0);
    CHECK(acc.n == 4);
    CHECK(acc.mean() == doctest::Approx(2.5));
    // E[x²] = 7.5, μ² = 6.25, variance 1.25, divided by n − 1 = 3, square root.
    CHECK(acc.stderr_of_mean() == doctest::Approx(std::sqrt(1.25 / 3.0)));
    NllAccumulator one;
    one.add(3.0);
    CHECK(one.stderr_of_mean() == 0.0);
}

TEST_CASE("perplexity figures share one nll sum and propagate its uncertainty") {
    NllAccumulator acc;
    for (double v : {2.0, 3.0, 4.0, 3.0}) acc.add(v);
    auto f = perplexity_figures(acc, 2, 10);
    CHECK(f.nll_sum == 12.0);
    CHECK(f.token_ppl == doctest::Approx(std::exp(3.0)));
    CHECK(f.word_ppl == doctest::Approx(std::exp(6.0)));
    CHECK(f.byte_ppl == doctest::Approx(std::exp(1.2)));
    CHECK(f.bits_per_byte == doctest::Approx(12.0 / (10 * std::numbers::ln2)));
    CHECK(std::pow(2.0, f.bits_per_byte) == doctest::Approx(f.byte_ppl));
    const double se = acc.stderr_of_mean();
    CHECK(se > 0.0);
    CHECK(f.token_ppl_stderr == doctest::Approx(std::exp(3.0) * se));
    // word_ppl = exp(μ · n/words): the derivative brings the factor n/words = 2.
    CHECK(f.word_ppl_stderr == doctest::Approx(std::exp(6.0) * 2.0 * se));
    CHECK(f.nll_sum_stderr == doctest::Approx(4.0 * se));
    CHECK(f.bits_per_byte_stderr == doctest::Approx(4.0 * se / (10 * std::numbers::ln2)));
}

TEST_CASE("words are runs between ascii whitespace like python bytes split") {
    CHECK(count_words("") == 0);
    CHECK(count_words("   \n\t ") == 0);
    CHECK(count_words(" = Valkyria = \n") == 3);
    CHECK(count_words("a\vb\fc\rd e") == 5);
    CHECK(count_words("caf\xc3\xa9 na\xc3\xafve") == 2);
}

TEST_CASE("average ranks give tied values their mean rank") {
    std::vector<double> x{0.1, 0.4, 0.4, 0.9, 0.3, 0.7, 0.7, 0.7};
    CHECK(average_ranks(x) == std::vector<double>{1.0, 3.5, 3.5, 8.0, 2.0, 6.0, 6.0, 6.0});
}

TEST_CASE("spearman and pearson match the textbook definitions") {
    std::vector<double> x{0.1, 0.4, 0.4, 0.9, 0.3, 0.7, 0.7, 0.7};
    std::vector<double> y{1.0, 2.0, 3.0, 2.5, 0.5, 4.0, 3.5, 5.0};
    // Computed with a separate textbook implementation (sums of deviations, ranks with ties
    // averaged) in Python.
    CHECK(pearson(x, y) == doctest::Approx(0.6980260089410116).epsilon(1e-12));
    CHECK(spearman(x, y) == doctest::Approx(0.6874400625963308).epsilon(1e-12));
    std::vector<double> up{1, 2, 3, 4}, down{8, 6, 4, 2}, flat{1, 1, 1, 1};
    CHECK(spearman(up, down) == doctest::Approx(-1.0));
    CHECK(pearson(up, down) == doctest::Approx(-1.0));
    CHECK(std::isnan(pearson(up, flat)));
    std::vector<double> shorter{1, 2};
    CHECK_THROWS_AS(pearson(up, shorter), Error);
}

TEST_CASE("cosine and percentiles") {
    std::vector<float> a{1, 0, 0}, b{1, 1, 0}, zero{0, 0, 0};
    CHECK(cosine(a, b) == doctest::Approx(1.0 / std::sqrt(2.0)));
    CHECK(cosine(a, zero) == 0.0);
    // numpy.percentile([1, 2, 3, 4, 10], 50) = 3, 95 -> 4 + 0.8 * 6 = 8.8, 0 -> 1, 100 -> 10.
    std::vector<double> s{10, 2, 4, 1, 3};
    CHECK(percentile(s, 50) == doctest::Approx(3.0));
    CHECK(percentile(s, 95) == doctest::Approx(8.8));
    CHECK(percentile(s, 0) == 1.0);
    CHECK(percentile(s, 100) == 10.0);
    CHECK_THROWS_AS(percentile({}, 50), Error);
}
}
