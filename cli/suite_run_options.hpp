// The options `run` and `nightly` share, read into one SuiteRunRequest: the models (--model,
// --models-file), --suite, --db, --force, --threads, --shard/--shards, and the command line.
#pragma once
#include <boost/program_options.hpp>
#include <string>

#include "cli/options.hpp"
#include "harness/suite_runner.hpp"

namespace hubbench::cli {

// Throws Error(usage) when no model is named, --threads is negative or --shards comes without
// --shard; resolves --shard auto from the scheduler's environment (harness::resolve_shard).
harness::SuiteRunRequest suite_run_request(const boost::program_options::variables_map& vm, const std::string& command,
                                           const Args& args);

}  // namespace hubbench::cli
