#include <doctest/doctest.h>

#include "core/error.hpp"

using namespace hubbench;

TEST_SUITE("unit") {
TEST_CASE("errors map to exit codes: usage and not-built are 2 and interrupted is 130 and others 1") {
    CHECK(Error(ErrorKind::usage, "x").exit_code() == 2);
    CHECK(Error(ErrorKind::not_built, "x").exit_code() == 2);
    CHECK(Error(ErrorKind::interrupted, "x").exit_code() == 130);
    CHECK(Error(ErrorKind::invalid_input, "x").exit_code() == 1);
    CHECK(Error(ErrorKind::network, "x").exit_code() == 1);
    CHECK(std::string(error_kind_name(ErrorKind::not_found)) == "not_found");
}

TEST_CASE("one_line folds newlines and cuts long messages on a UTF-8 boundary") {
    CHECK(one_line("a\nb\r\nc\t") == "a b  c");
    std::string korean;
    for (int i = 0; i < 50; ++i) korean += "\xEC\x95\x88";  // U+C548, 3 bytes
    std::string cut = one_line(korean, 10);
    CHECK(cut == "\xEC\x95\x88\xEC\x95\x88\xEC\x95\x88...");
}
}
