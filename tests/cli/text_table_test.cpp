#include <doctest/doctest.h>

#include <sstream>

#include "cli/search_options.hpp"
#include "cli/text_table.hpp"
#include "core/error.hpp"

using namespace hubbench;

TEST_SUITE("unit") {
TEST_CASE("a text table pads to the widest cell in code points and right-aligns numbers") {
    cli::TextTable table({"model", "value"}, {false, true});
    table.add_row({"tiny-gpt2", "1.5 ± 0.2"});
    table.add_row({"bert", "12"});
    std::ostringstream out;
    table.print(out);
    // "1.5 ± 0.2" is 9 code points (10 bytes): the column is 9 wide, so "12" gets 7 spaces.
    CHECK(out.str() == "model          value\n"
                       "tiny-gpt2  1.5 ± 0.2\n"
                       "bert              12\n");
}

TEST_CASE("a text table leaves no trailing spaces after a short last cell") {
    cli::TextTable table({"a", "long header"});
    table.add_row({"x", "y"});
    std::ostringstream out;
    table.print(out);
    CHECK(out.str() == "a  long header\nx  y\n");
}

TEST_CASE("counts parse with k M B suffixes and reject other text naming the option") {
    CHECK(cli::parse_count("search", "max-params", "125000") == 125000);
    CHECK(cli::parse_count("search", "max-params", "1.5M") == 1500000);
    CHECK(cli::parse_count("search", "max-params", "7B") == 7000000000ULL);
    CHECK(cli::parse_count("search", "max-params", "350k") == 350000);
    try {
        cli::parse_count("compare", "min-params", "lots");
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(std::string(e.what()).find("compare: --min-params 'lots'") != std::string::npos);
        CHECK(e.kind() == ErrorKind::usage);
    }
    CHECK(cli::human_count(std::nullopt) == "-");
    CHECK(cli::human_count(1234567) == "1.23M");
    CHECK(cli::human_count(999) == "999");
}
}
