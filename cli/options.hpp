// Shared Boost.Program_options plumbing: the option group every command accepts (-v, -q,
// --log-level), parsing with one-line usage errors, and help output.
#pragma once
#include <boost/program_options.hpp>
#include <ostream>
#include <string>

#include "cli/app.hpp"
#include "engine/config.hpp"

namespace hubbench::cli {

namespace po = boost::program_options;

// -v/-vv/--verbose, -q/--quiet, --log-level. Accepted before or after the command name.
po::options_description output_options();

// Counts and removes -v, -vv, -vvv and --verbose from args (Program_options cannot count flags).
int take_verbosity(Args& args);

// Applies verbosity, -q and --log-level (HUBBENCH_LOG is read first; the command line wins).
void apply_output_options(const po::variables_map& vm, int verbosity);

// Parses args against `options` (+ output_options()) with optional positionals. Unknown options,
// missing values and bad types become Error(usage) with a one-line message naming the command.
po::variables_map parse_command(const std::string& command, Args args, const po::options_description& options,
                                const po::positional_options_description* positional = nullptr);

// Usage line + option groups, printed by `hubbench <command> --help`.
void print_command_help(std::ostream& out, const std::string& command, const std::string& usage,
                        const std::string& summary, const po::options_description& options);

// The value of --format for commands that print a table or JSON: Error(usage) naming the command
// for anything else.
std::string table_or_json(const po::variables_map& vm, const std::string& command);

// --dtype auto|float32|bfloat16|int8 (what native models multiply their weight matrices in).
inline constexpr const char* dtype_help =
    "weight dtype of native models: float32, bfloat16 (half the memory), int8 (8-bit weights in blocks of 32, about a "
    "quarter), or auto (float32 when it takes under half the machine's memory, else bfloat16)";
inline constexpr const char* api_key_env_help =
    "served models (openai:…): the environment variable holding the API key (default OPENAI_API_KEY)";
// The value of --dtype, or `fallback` when it is not given; Error(usage) naming the command for a bad one.
engine::ComputeDtype dtype_option(const po::variables_map& vm, const std::string& command,
                                  engine::ComputeDtype fallback = engine::ComputeDtype::automatic);

}  // namespace hubbench::cli
