// What `run` looks results up by, shared by the run itself (harness/suite_runner.cpp) and its
// --dry-run preview (harness/run_preview.cpp), so both agree on what is already stored.
#pragma once
#include <string>

#include "results/records.hpp"
#include "suites/suite_file.hpp"

namespace hubbench::harness {

// "perplexity stride=[256,512] L=256 wiki.test.raw": enough to tell the jobs of one model apart.
std::string job_name(const suites::TaskSpec& spec);

// The dataset a task row reads (its own or the task's default), hashed; speed's synthetic ids are
// an empty dataset, so every result still has a dataset hash.
results::DatasetRecord dataset_record(const suites::TaskSpec& spec);

// (model commit, task, dataset sha256, canonical parameters); the thread count joins the
// parameters of tasks keyed by it (speed), and "dtype": "bfloat16" those of a model computed in
// bfloat16 (`compute_dtype`, adapters::ModelInfo::compute_dtype).
results::ResultKey result_key(const results::ModelRef& model, const suites::TaskSpec& row, const results::DatasetRecord& dataset,
                              int threads, const std::string& compute_dtype);

}  // namespace hubbench::harness
