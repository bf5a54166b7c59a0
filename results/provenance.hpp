// Where a run happened: the host's CPU, cores, memory and OS, read from /proc and uname(2), plus
// hubbench's own version and commit (core/version.hpp). Stored with every run so that a number can
// always be traced to the code and machine that produced it.
#pragma once
#include <string>
#include <vector>

#include "results/records.hpp"

namespace hubbench::results {

// Never throws: a field that cannot be read is "unknown" (or 0), since a missing /proc must not
// stop a benchmark.
HostInfo current_host();

// RunInfo for this process: version and commit of this build, current_host(), and what the caller
// knows (argv, the BLAS in use, compute threads, a label such as the suite name).
RunInfo current_run_info(std::vector<std::string> command_line, std::string blas, int threads,
                         std::string label = {});

}  // namespace hubbench::results
