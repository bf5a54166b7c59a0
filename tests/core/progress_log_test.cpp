#include <doctest/doctest.h>

#include "core/log.hpp"
#include "core/progress.hpp"

using namespace hubbench;

TEST_SUITE("unit") {
TEST_CASE("log levels parse from names and filter by threshold") {
    CHECK(log::parse_level("debug") == log::Level::debug);
    CHECK(log::parse_level("warning") == log::Level::warn);
    CHECK_FALSE(log::parse_level("loud").has_value());
    log::set_level(log::Level::warn);
    CHECK(log::enabled(log::Level::error));
    CHECK_FALSE(log::enabled(log::Level::info));
    log::set_level(log::Level::info);
}

TEST_CASE("progress renders percentage and counts and unit and scaled bytes") {
    set_progress_mode(ProgressMode::off);
    Progress bar("download", 2048, "B");
    bar.advance(1024);
    std::string line = bar.render();
    CHECK(line.find("download [############............]  50%") == 0);
    CHECK(line.find("1.0 KiB/2.0 KiB") != std::string::npos);
    Progress open_ended("windows", 0, "win");
    open_ended.advance(7);
    CHECK(open_ended.render().find("windows 7 win") == 0);
}

TEST_CASE("HUBBENCH_PROGRESS overrides terminal detection") {
    setenv("HUBBENCH_PROGRESS", "plain", 1);
    CHECK(detect_progress_mode() == ProgressMode::plain);
    setenv("HUBBENCH_PROGRESS", "off", 1);
    CHECK(detect_progress_mode() == ProgressMode::off);
    unsetenv("HUBBENCH_PROGRESS");
}
}
