#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "results/canonical_json.hpp"

using namespace hubbench;
using hubbench::results::canonical_json;
using hubbench::results::canonical_json_text;

TEST_SUITE("unit") {
TEST_CASE("keys are sorted and whitespace removed at every depth") {
    CHECK(canonical_json_text(R"( { "b" : 1, "a" : { "d" : [ 3, 2 ], "c" : null } } )") ==
          R"({"a":{"c":null,"d":[3,2]},"b":1})");
}

TEST_CASE("the same number written differently gives the same text") {
    CHECK(canonical_json_text(R"({"x": 512.0})") == R"({"x":512})");
    CHECK(canonical_json_text(R"({"x": 5.12e2})") == R"({"x":512})");
    CHECK(canonical_json_text(R"({"x": -0.0})") == R"({"x":0})");
    CHECK(canonical_json_text(R"({"x": 0.50})") == R"({"x":0.5})");
    CHECK(canonical_json_text("1e-7") == "1e-07");
}

TEST_CASE("doubles print as the shortest text that reads back exactly") {
    for (double v : {0.1, 1.0 / 3.0, 2.5e-300, 123456.789, 1e300, -7.25}) {
        auto text = canonical_json(v);
        CHECK(std::strtod(text.c_str(), nullptr) == v);
    }
    CHECK(canonical_json(0.1) == "0.1");
    CHECK(canonical_json(1.0 / 3.0) == "0.3333333333333333");
}

TEST_CASE("large integers keep every digit") {
    CHECK(canonical_json(nlohmann::json(std::int64_t{9007199254740993})) == "9007199254740993");
    CHECK(canonical_json(nlohmann::json(std::uint64_t{18446744073709551615ULL})) == "18446744073709551615");
}

TEST_CASE("strings are escaped minimally and keep UTF-8") {
    CHECK(canonical_json(nlohmann::json("caf\xc3\xa9 \"q\"\n")) == "\"caf\xc3\xa9 \\\"q\\\"\\n\"");
}

TEST_CASE("NaN and infinity and invalid UTF-8 and non-JSON text are refused") {
    CHECK_THROWS_AS(canonical_json(nlohmann::json(std::nan(""))), Error);
    CHECK_THROWS_AS(canonical_json(nlohmann::json(std::numeric_limits<double>::infinity())), Error);
    CHECK_THROWS_AS(canonical_json(nlohmann::json("\xff")), Error);
    CHECK_THROWS_AS(canonical_json_text("{window: 3}"), Error);
}
}
