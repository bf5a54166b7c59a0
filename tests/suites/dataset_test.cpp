#include <doctest/doctest.h>

#include "core/error.hpp"
#include "core/fs.hpp"
#include "hub/hash.hpp"
#include "suites/dataset.hpp"
#include "tests/support/support.hpp"

using namespace hubbench;
using namespace hubbench::suites;

TEST_SUITE("unit") {
TEST_CASE("scored lines skip blanks and headings and strip whitespace") {
    const std::string text = " = Title = \n\n Some text . \n\t\n = = Sub = = \n Second line\r\nlast";
    auto lines = scored_lines(text, 0);
    CHECK(lines == std::vector<std::string>{"Some text .", "Second line", "last"});
    CHECK(scored_lines(text, 2).size() == 2);
}

TEST_CASE("scored lines of wiki test raw number 2183 and start with the robert boulter article") {
    auto d = load_dataset({"wikitext-2-raw/wiki.test.raw", {}, ""});
    CHECK(d.text.size() == 1290590);
    auto lines = scored_lines(d.text, 0);
    CHECK(lines.size() == 2183);
    CHECK(lines[0].rfind("Robert Boulter is an English film", 0) == 0);
    CHECK(scored_lines(d.text, 120).size() == 120);
}

TEST_CASE("sts pairs come from columns 5 to 7 and extra columns are ignored") {
    const std::string text =
        "main-captions\tMSRvid\t2012test\t0024\t2.500\tA girl is styling her hair.\tA girl is brushing her hair.\n"
        "\n"
        "main-news\theadlines\t2015\t0001\t4.0\tFirst.\tSecond.\tsource-a\tsource-b\r\n";
    auto pairs = parse_sts(text, "x.csv");
    REQUIRE(pairs.size() == 2);
    CHECK(pairs[0].score == 2.5);
    CHECK(pairs[0].first == "A girl is styling her hair.");
    CHECK(pairs[0].second == "A girl is brushing her hair.");
    CHECK(pairs[1].score == 4.0);
    CHECK(pairs[1].second == "Second.");
    CHECK_THROWS_WITH_AS(parse_sts("a\tb\tc\n", "x.csv"), doctest::Contains("x.csv line 1"), Error);
    CHECK_THROWS_WITH_AS(parse_sts(text + "g\tf\ty\ti\tnope\ta\tb\n", "x.csv"), doctest::Contains("line 4"), Error);
    // A header row (KorSTS) is skipped.
    CHECK(parse_sts("genre\tfilename\tyear\tid\tscore\tsentence1\tsentence2\n" + text, "k.tsv").size() == 2);
}

TEST_CASE("the bundled sts benchmark test file has 1379 pairs") {
    auto d = load_dataset(DatasetRef{"stsbenchmark/sts-test.csv", {}, ""});
    auto pairs = parse_sts(d.text, d.name);
    CHECK(pairs.size() == 1379);
}

TEST_CASE("a dataset whose sha256 does not match is refused") {
    TempDir dir;
    write_file_atomic(dir.path() / "d.txt", "hello");
    DatasetRef ref;
    ref.path = dir.path() / "d.txt";
    ref.sha256 = hub::sha256_hex("hello");
    CHECK(load_dataset(ref).text == "hello");
    ref.sha256 = hub::sha256_hex("other");
    CHECK_THROWS_WITH_AS(load_dataset(ref), doctest::Contains("expected"), Error);
    ref.path = dir.path() / "missing.txt";
    ref.sha256.clear();
    CHECK_THROWS_AS(load_dataset(ref), Error);
}
}
