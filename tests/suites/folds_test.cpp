#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "suites/folds.hpp"
#include "tests/support/support.hpp"

using namespace hubbench;
using namespace hubbench::suites;
using hubbench::test::error_of;

namespace {

// 100 "pos", 37 "neg", 11 "neu", scattered by the permutation i -> 61·i mod 148 (61 and 148 are
// coprime) as a file might hold them.
std::vector<std::string> uneven_labels() {
    std::vector<std::string> grouped(100, "pos");
    grouped.insert(grouped.end(), 37, "neg");
    grouped.insert(grouped.end(), 11, "neu");
    std::vector<std::string> labels(grouped.size());
    for (std::size_t i = 0; i < grouped.size(); ++i) labels[61 * i % grouped.size()] = grouped[i];
    return labels;
}

}  // namespace

TEST_SUITE("unit") {
TEST_CASE("every fold gets floor or ceil of each label count divided by the folds") {
    const auto labels = uneven_labels();
    std::map<std::string, std::size_t> totals;
    for (const auto& l : labels) ++totals[l];
    REQUIRE(totals.size() == 3);
    for (std::size_t folds : {2u, 3u, 5u}) {
        const auto fold = stratified_folds(labels, folds, 0);
        REQUIRE(fold.size() == labels.size());
        std::map<std::string, std::vector<std::size_t>> counts;
        std::vector<std::size_t> sizes(folds, 0);
        for (std::size_t i = 0; i < labels.size(); ++i) {
            REQUIRE(fold[i] < folds);
            auto& c = counts[labels[i]];
            c.resize(folds, 0);
            ++c[fold[i]];
            ++sizes[fold[i]];
        }
        for (const auto& [label, c] : counts) {
            const auto [lo, hi] = std::minmax_element(c.begin(), c.end());
            CHECK(*hi - *lo <= 1);
            CHECK(*lo == totals[label] / folds);
        }
        const auto [lo, hi] = std::minmax_element(sizes.begin(), sizes.end());
        CHECK(*hi - *lo <= 1);
    }
}

TEST_CASE("the same seed gives the same folds and another seed others") {
    const auto labels = uneven_labels();
    const auto a = stratified_folds(labels, 5, 1234);
    CHECK(stratified_folds(labels, 5, 1234) == a);
    CHECK(stratified_folds(labels, 5, 1235) != a);
}

TEST_CASE("a tiny input gets the folds worked out by hand from mt19937_64") {
    // tools/references/probe_reference.py prints the draws j = gen() % (i + 1) of
    // std::mt19937_64(7), from an independent Python mt19937_64 checked against the standard's
    // 10000th output: 3, 0, 0 (neg, i = 3, 2, 1), 0, 1 (neu, i = 2, 1), 0, 0, 0 (pos, i = 3, 2, 1).
    //   neg [1, 2, 6, 9]  -> i=3 j=3 keep; i=2 j=0 swap 6,1 -> [6, 2, 1, 9]; i=1 j=0 -> [2, 6, 1, 9]
    //                        dealt from fold 0: 2→0, 6→1, 1→2, 9→0
    //   neu [4, 7, 10]    -> i=2 j=0 -> [10, 7, 4]; i=1 j=1 keep; dealt from fold 1: 10→1, 7→2, 4→0
    //   pos [0, 3, 5, 8]  -> i=3 j=0 -> [8, 3, 5, 0]; i=2 j=0 -> [5, 3, 8, 0]; i=1 j=0 -> [3, 5, 8, 0]
    //                        dealt from fold 1: 3→1, 5→2, 8→0, 0→1
    // The script's own implementation of the procedure prints the same list.
    const std::vector<std::string> labels{"pos", "neg", "neg", "pos", "neu", "pos", "neg", "neu", "pos", "neg", "neu"};
    CHECK(stratified_folds(labels, 3, 7) == std::vector<std::size_t>{1, 2, 0, 1, 0, 2, 1, 2, 0, 0, 1});
}

TEST_CASE("fewer than two folds or a label rarer than the folds is an error") {
    const std::vector<std::string> labels{"a", "b", "a", "b", "a", "b", "b"};
    CHECK(error_of([&] { stratified_folds(labels, 1, 0); }) == "--folds must be at least 2, not 1");
    try {
        stratified_folds(labels, 0, 0);
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::usage);
    }
    CHECK(error_of([&] { stratified_folds(labels, 4, 0); }) == "label 'a' has 3 examples, fewer than --folds 4");
    try {
        stratified_folds(labels, 4, 0);
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::invalid_input);
    }
    CHECK(stratified_folds(labels, 3, 0).size() == 7);
}
}
