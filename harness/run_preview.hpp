// `run --dry-run`: what a run would do, without loading a model or writing anything. For each
// model of this shard, its identity as results know it (a cached snapshot's commit, a folder's
// content fingerprint) and, per job, how many result rows the database already holds under the
// same key (reused) and how many would be measured. Models of other shards are listed apart.
// A repo id not in the Hugging Face cache cannot be identified offline: its rows count as to be
// measured, with a note. The database is opened read-only and only when it exists.
#pragma once
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "harness/suite_runner.hpp"

namespace hubbench::harness {

struct PreviewJob {
    std::string name;                     // "perplexity stride=[128,256] L=256 wiki.test.raw"
    std::size_t rows = 0;                 // result rows the job produces
    std::size_t stored = 0;               // of which the database has (reused unless --force)
    std::set<std::int64_t> stored_in_runs;
};

struct PreviewModel {
    std::string spec;    // as given
    std::string id;      // as results name it
    std::string commit;  // snapshot commit or local-<fingerprint>; empty when unknown
    std::string note;    // why it could not be identified
    std::vector<PreviewJob> jobs;
};

struct RunPreview {
    std::vector<PreviewModel> models;        // this shard's
    std::vector<std::string> other_shards;   // the specs other shards run
    std::size_t rows = 0;
    std::size_t stored = 0;
    bool database_exists = false;
};

RunPreview preview_suite_run(const SuiteRunRequest& request);

}  // namespace hubbench::harness
