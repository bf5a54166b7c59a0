#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>

#include "cli/app.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"
#include "tests/support/support.hpp"

using namespace hubbench;
using hubbench::cli::run_cli;

namespace {
int exit_code_of(const cli::Args& args, std::string* message = nullptr) {
    std::ostringstream out;
    try {
        return run_cli(args, out);
    } catch (const Error& e) {
        if (message) *message = e.what();
        return e.exit_code();
    }
}
}  // namespace

TEST_SUITE("unit") {
TEST_CASE("--help lists every registered subcommand") {
    std::ostringstream out;
    CHECK(run_cli({"--help"}, out) == 0);
    for (const char* name : {"search", "pull", "mirror", "tokenize", "eval", "generate", "compare", "run", "report", "history"}) {
        CHECK_MESSAGE(out.str().find(std::string("  ") + name + " ") != std::string::npos, name);
    }
}

TEST_CASE("--version prints the version and a commit") {
    std::ostringstream out;
    CHECK(run_cli({"--version"}, out) == 0);
    CHECK(out.str().rfind("hubbench 0.", 0) == 0);
    CHECK(out.str().find("(commit ") != std::string::npos);
}

TEST_CASE("an unknown option or command or log level is a usage error (exit 2)") {
    std::string message;
    CHECK(exit_code_of({"--frobnicate"}, &message) == 2);
    CHECK(message.find("frobnicate") != std::string::npos);
    CHECK(exit_code_of({"frobnicate"}, &message) == 2);
    CHECK(message.find("not a hubbench command") != std::string::npos);
    CHECK(exit_code_of({"--log-level", "loud", "--version"}) == 2);
    CHECK(exit_code_of({}) == 2);
}

TEST_CASE("verbosity flags are counted and removed before parsing") {
    cli::Args args{"-vv", "--model", "x", "-v", "--verbose", "--", "-v"};
    CHECK(cli::take_verbosity(args) == 4);
    CHECK(args == cli::Args{"--model", "x", "--", "-v"});
}
}

TEST_SUITE("integration") {
TEST_CASE("the binary prints one line on stderr and exits 2 for an unknown option") {
    auto r = test::run_hubbench({"--no-such-option"});
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.rfind("hubbench: error: ", 0) == 0);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

TEST_CASE("the binary's --help and --version exit 0 on stdout") {
    auto help = test::run_hubbench({"--help"});
    CHECK(help.exit_code == 0);
    CHECK(help.out.find("Commands:") != std::string::npos);
    auto version = test::run_hubbench({"--version"});
    CHECK(version.exit_code == 0);
    CHECK(version.out.find("hubbench ") == 0);
}
}

TEST_SUITE("unit") {
TEST_CASE("an unknown --format is a usage error naming the command the formats and the value") {
    // Checked before anything is searched, opened or loaded (the model path does not exist).
    const std::vector<std::pair<cli::Args, std::string>> calls = {
        {{"search", "--format", "xml"}, "table or json"},
        {{"history", "--db", "missing.db", "--format", "xml"}, "table, json, csv or md"},
        {{"eval", "--model", "missing", "--task", "sts", "--format", "xml"}, "table or json"}};
    for (const auto& [args, formats] : calls) {
        CAPTURE(args[0]);
        std::string message;
        CHECK(exit_code_of(args, &message) == 2);
        CHECK(message == args[0] + ": --format must be " + formats + ", not 'xml'");
    }
}
}
