// The plan `--dry-run` prints (run, nightly): this shard's jobs, what the database already has and
// would reuse, and what would be measured.
#pragma once
#include <ostream>

#include "harness/run_preview.hpp"
#include "harness/suite_runner.hpp"

namespace hubbench::cli {

void print_run_preview(std::ostream& out, const harness::SuiteRunRequest& request, const harness::RunPreview& preview);

}  // namespace hubbench::cli
