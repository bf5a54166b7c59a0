// The paired bootstrap behind the report's best / tied / worse marks (reports/significance.hpp),
// on cases worked out by hand and on cases checked against an independent implementation:
// tests/reports/bootstrap_check.py writes MT19937-64 from its published definition (checked
// against the C++ standard's value for the 10000th draw), resamples the same way and computes
// the means and the percentile in exact rational arithmetic. `python3 tests/reports/bootstrap_check.py`
// prints the figures used below.
#include <doctest/doctest.h>

#include <random>
#include <vector>

#include "reports/significance.hpp"

using namespace hubbench::reports;

namespace {

// 1 on the items of [first, last) ranges, 0 elsewhere: 50 items.
std::vector<double> right_on(std::vector<std::pair<int, int>> ranges, int n = 50) {
    std::vector<double> out(n, 0.0);
    for (auto [first, last] : ranges) {
        for (int i = first; i < last; ++i) out[i] = 1.0;
    }
    return out;
}

}  // namespace

TEST_SUITE("unit") {
TEST_CASE("the bootstrap draws from std mt19937_64 as the standard defines it") {
    // The standard's check value ([rand.predef]): the 10000th draw of a default-constructed engine.
    std::mt19937_64 gen;
    gen.discard(9999);
    CHECK(gen() == 9981545732273789042ULL);
}

TEST_CASE("identical samples are tied") {
    auto a = right_on({{0, 30}});
    auto b = paired_bootstrap(a, a, true);
    REQUIRE(b.has_value());
    CHECK(b->items == 50);
    CHECK(b->mean_difference == 0.0);
    CHECK(b->lower == 0.0);  // every resampled difference is 0, and 0 is not above 0
    CHECK(b->tied());
}

TEST_CASE("a best right on every item against an other wrong on every item is worse") {
    auto b = paired_bootstrap(right_on({{0, 50}}), right_on({}), true);
    REQUIRE(b.has_value());
    CHECK(b->mean_difference == 1.0);
    CHECK(b->lower == 1.0);  // every resample differs by 1 on every item
    CHECK_FALSE(b->tied());
    // The same with lower-is-better values (an error per item): the orientation follows.
    auto lower = paired_bootstrap(right_on({}), right_on({{0, 50}}), false);
    REQUIRE(lower.has_value());
    CHECK(lower->mean_difference == 1.0);
    CHECK_FALSE(lower->tied());
}

TEST_CASE("one item apart out of 50 is within noise") {
    // d is 1 on one item and 0 elsewhere: a resample misses that item with probability
    // (49/50)^50 = 0.36, so well over 2.5% of the resampled means are 0.
    auto b = paired_bootstrap(right_on({{0, 40}}), right_on({{0, 39}}), true);
    REQUIRE(b.has_value());
    CHECK(b->mean_difference == doctest::Approx(0.02));
    CHECK(b->lower == 0.0);
    CHECK(b->tied());
}

TEST_CASE("mixed wins and losses match an independent computation") {
    // The fixture's classification question: the best right on 0..39, the other on 0..31 and
    // 40..42 (8 won, 3 lost). bootstrap_check.py: mean 1/10, 2.5th percentile -1/50.
    auto best = right_on({{0, 40}});
    auto other = right_on({{0, 32}, {40, 43}});
    auto b = paired_bootstrap(best, other, true);
    REQUIRE(b.has_value());
    CHECK(b->mean_difference == doctest::Approx(0.1));
    CHECK(b->lower == doctest::Approx(-0.02).epsilon(1e-12));
    CHECK(b->tied());
    // 14 won, 3 lost: mean 0.22, 2.5th percentile 0.08 > 0.
    auto clear = paired_bootstrap(best, right_on({{0, 26}, {40, 43}}), true);
    REQUIRE(clear.has_value());
    CHECK(clear->mean_difference == doctest::Approx(0.22));
    CHECK(clear->lower == doctest::Approx(0.08).epsilon(1e-12));
    CHECK_FALSE(clear->tied());
}

TEST_CASE("real valued samples interpolate between order statistics like numpy percentile") {
    // nDCG-like values on 20 queries; the 25th and 26th smallest resampled means are -0.07 and
    // -0.065, so the 2.5th percentile (position 24.975) is -0.07 + 0.975 * 0.005 = -0.065125.
    std::vector<double> best(20), other(20);
    for (int i = 0; i < 20; ++i) {
        best[i] = ((i * 7) % 11) / 10.0;
        other[i] = ((i * 5) % 9) / 10.0;
    }
    auto b = paired_bootstrap(best, other, true);
    REQUIRE(b.has_value());
    CHECK(b->mean_difference == doctest::Approx(0.105));
    CHECK(b->lower == doctest::Approx(-0.065125).epsilon(1e-9));
    CHECK(b->tied());
}

TEST_CASE("a shared table of draws gives exactly what drawing as it goes gives") {
    std::vector<double> best(37), other(37);
    for (int i = 0; i < 37; ++i) {
        best[i] = ((i * 13) % 17) / 16.0;
        other[i] = ((i * 11) % 19) / 18.0;
    }
    const BootstrapDraws draws(37);
    std::mt19937_64 gen(0);
    CHECK(draws.resample(0)[0] == gen() % 37);
    CHECK(draws.resample(0)[1] == gen() % 37);
    for (bool higher : {true, false}) {
        auto shared = paired_bootstrap(best, other, higher, draws);
        auto own = paired_bootstrap(best, other, higher);
        REQUIRE(shared.has_value());
        REQUIRE(own.has_value());
        CHECK(shared->lower == own->lower);
        CHECK(shared->mean_difference == own->mean_difference);
    }
    CHECK_FALSE(paired_bootstrap(best, other, true, BootstrapDraws(36)).has_value());  // draws for another size
}

TEST_CASE("samples of different sizes or none cannot be compared") {
    CHECK_FALSE(paired_bootstrap(right_on({{0, 10}}), right_on({{0, 10}}, 40), true).has_value());
    CHECK_FALSE(paired_bootstrap(std::vector<double>{}, std::vector<double>{}, true).has_value());
}

TEST_CASE("significance names are the json values") {
    CHECK(std::string(to_string(Significance::best)) == "best");
    CHECK(std::string(to_string(Significance::tied)) == "tied");
    CHECK(std::string(to_string(Significance::worse)) == "worse");
    CHECK(std::string(to_string(Significance::unknown)) == "unknown");
}
}
