// The one error type of hubbench. Library code throws it; only cli/main.cpp catches it and turns it
// into a single line on stderr plus an exit code (README "Development: errors").
#pragma once
#include <stdexcept>
#include <string>

namespace hubbench {

// What went wrong, coarse enough to pick an exit code and a retry policy, fine enough for tests.
enum class ErrorKind {
    usage,        // bad command line; exit 2
    not_built,    // a subcommand that exists in the CLI but not yet in code; exit 2
    invalid_input,// malformed file or data (JSON, safetensors, UTF-8, config); exit 1
    not_found,    // a file, repo, revision or tensor that does not exist; exit 1
    unsupported,  // valid input we do not handle (architecture, dtype, task); exit 1
    network,      // HTTP or connection failure after retries; exit 1
    io,           // disk: cannot read, write, rename, disk full; exit 1
    interrupted,  // Ctrl-C / SIGTERM; exit 130
    internal,     // a bug in hubbench; exit 1
};

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    ErrorKind kind() const noexcept { return kind_; }
    int exit_code() const noexcept;

private:
    ErrorKind kind_;
};

const char* error_kind_name(ErrorKind kind) noexcept;

// Makes `message` a single line: newlines become spaces and long text is cut, so an error that
// quotes user data (a JSON snippet, a server reply) still prints as one line.
std::string one_line(std::string message, std::size_t max_length = 400);

}  // namespace hubbench
