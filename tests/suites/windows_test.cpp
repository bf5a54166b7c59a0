#include <doctest/doctest.h>

#include <set>

#include "core/error.hpp"
#include "suites/windows.hpp"
#include "tests/support/support.hpp"

using namespace hubbench;
using namespace hubbench::suites;

namespace {
std::size_t scored(const std::vector<Window>& windows) {
    std::size_t n = 0;
    for (const auto& w : windows) n += w.end - w.score_from;
    return n;
}
}  // namespace

TEST_SUITE("unit") {
TEST_CASE("rolling windows reproduce the reference window plan of every fixture") {
    for (const char* model : {"tiny-gpt2.json", "tiny-llama.json", "tiny-qwen2.json"}) {
        auto ref = test::read_json(test::reference(model));
        const std::size_t n_tokens = ref["eval"]["n_tokens"];
        for (const auto& r : ref["rolling"]) {
            CAPTURE(model);
            CAPTURE(r["stride"]);
            auto w = rolling_windows(n_tokens, r["max_length"], r["stride"]);
            CHECK(w.size() == r["n_windows"].get<std::size_t>());
            CHECK(scored(w) == r["n_scored"].get<std::size_t>());
            for (std::size_t i = 0; i < 3; ++i) {
                CHECK(w[i].begin == r["first_windows"][i][0].get<std::size_t>());
                CHECK(w[i].end == r["first_windows"][i][1].get<std::size_t>());
                CHECK(w[i].score_from == r["first_windows"][i][2].get<std::size_t>());
            }
            CHECK(w.back().end == n_tokens);
        }
    }
}

TEST_CASE("rolling windows score every token but the first exactly once when they overlap") {
    auto w = rolling_windows(1000, 100, 30);
    std::set<std::size_t> seen;
    for (const auto& x : w) {
        CHECK(x.end - x.begin <= 100);
        for (std::size_t p = x.score_from; p < x.end; ++p) CHECK(seen.insert(p).second);
    }
    CHECK(seen.size() == 999);
    CHECK(*seen.begin() == 1);
    CHECK(rolling_windows(1, 10, 5).size() == 1);
    CHECK(rolling_windows(0, 10, 5).empty());
    CHECK_THROWS_AS(rolling_windows(100, 10, 11), Error);
    CHECK_THROWS_AS(rolling_windows(100, 10, 0), Error);
}

TEST_CASE("llama.cpp chunks score the second half after a bos") {
    auto c = llama_cpp_chunks(1000, 256, true);
    REQUIRE(c.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(c[i].begin == 256 * i);
        CHECK(c[i].end == 256 * (i + 1));
        CHECK(c[i].score_from == 256 * i + 129);
        CHECK(c[i].end - c[i].score_from == 127);  // n_ctx - first - 1 with first = n_ctx/2
        CHECK(c[i].bos_first);
    }
    CHECK_THROWS_AS(llama_cpp_chunks(511, 256, false), Error);
}

TEST_CASE("shared windows run each distinct input once and keep every variant's order") {
    const std::size_t n = 5000;
    auto a = rolling_windows(n, 256, 128);
    auto b = rolling_windows(n, 256, 256);
    auto c = llama_cpp_chunks(n, 256, false);
    auto shared = share_windows({a, b, c});
    // Every stride-256 window and (without bos) every llama.cpp chunk is a stride-128 window,
    // except possibly the last stride-256 window.
    CHECK(shared.inputs.size() <= a.size() + 1);
    std::vector<std::size_t> count(3, 0), positions(3, 0);
    std::vector<std::size_t> last_begin(3, 0);
    for (std::size_t i = 0; i < shared.inputs.size(); ++i) {
        for (auto [v, from] : shared.users[i]) {
            CHECK(from >= shared.inputs[i].score_from);
            CHECK(shared.inputs[i].begin >= last_begin[v]);
            last_begin[v] = shared.inputs[i].begin;
            ++count[v];
            positions[v] += shared.inputs[i].end - from;
        }
    }
    CHECK(count[0] == a.size());
    CHECK(count[1] == b.size());
    CHECK(count[2] == c.size());
    CHECK(positions[0] == scored(a));
    CHECK(positions[1] == scored(b));
    CHECK(positions[2] == scored(c));
    // A bos-first chunk differs from the plain window at the same place.
    auto with_bos = share_windows({a, llama_cpp_chunks(n, 256, true)});
    CHECK(with_bos.inputs.size() > a.size());
}
}
