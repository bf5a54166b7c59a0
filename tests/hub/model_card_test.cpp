#include <doctest/doctest.h>

#include "core/error.hpp"
#include "core/fs.hpp"
#include "hub/model_card.hpp"
#include "tests/support/support.hpp"

using namespace hubbench;
using namespace hubbench::hub;

TEST_SUITE("unit") {
TEST_CASE("model card front matter becomes card data") {
    auto card = parse_model_card(read_file(test::fixture("tiny-bert-sentence") / "README.md"), "README.md");
    REQUIRE(card.is_object());
    CHECK(card["pipeline_tag"] == "sentence-similarity");
    CHECK(card["library_name"] == "sentence-transformers");
    CHECK(card["license"] == "cc-by-sa-3.0");
    CHECK(card["base_model"] == "fixtures/tiny-bert");
    CHECK(card["tags"].is_array());
    CHECK(card["language"] == nlohmann::json::array({"en"}));
}

TEST_CASE("yaml scalars are typed and quoted ones stay strings") {
    auto card = parse_model_card("---\na: 1\nb: 2.5\nc: true\nd: \"1\"\ne: ~\nf: text\n---\n# Title\n", "x");
    CHECK(card["a"] == 1);
    CHECK(card["b"] == 2.5);
    CHECK(card["c"] == true);
    CHECK(card["d"] == "1");
    CHECK(card["e"].is_null());
    CHECK(card["f"] == "text");
}

TEST_CASE("readme without front matter has no card data") {
    CHECK(parse_model_card("# Just a title\n", "x").is_null());
    CHECK(parse_model_card("---\nnot closed\n", "x").is_null());
    CHECK_THROWS_AS(parse_model_card("---\na: [1, 2\n---\n", "x"), Error);
}
}
