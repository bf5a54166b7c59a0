// The command line: hubbench [global options] <command> [command options].
#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace hubbench::cli {

using Args = std::vector<std::string>;

// Runs the CLI on argv[1..] and returns the exit code. Errors are thrown as hubbench::Error (or
// boost::program_options errors) and turned into one line by report_error().
int run_cli(const Args& args, std::ostream& out);

// Prints the one-line message for the current exception to `err` and returns the exit code.
int report_error(std::ostream& err);

}  // namespace hubbench::cli
