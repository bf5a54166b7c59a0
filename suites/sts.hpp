// Semantic textual similarity (STS Benchmark format): embed both sentences of every pair, take
// the cosine, and correlate with the gold scores. MTEB's main STS score is the Spearman
// correlation of cosines ("cosine_spearman"); sentence-transformers' EmbeddingSimilarityEvaluator
// reports the same pair.
#pragma once
#include <cstddef>
#include <cstdint>

#include "adapters/adapter.hpp"
#include "suites/dataset.hpp"
#include "suites/result.hpp"
#include "suites/task_entry.hpp"

namespace hubbench::suites {

struct StsParams {
    std::size_t batch_size = 32;    // sentences per forward pass (does not change the numbers)
    std::size_t limit = 0;          // first `limit` pairs; 0 = all
    std::size_t bootstrap = 1000;   // resamples for the standard errors; 0 = none
    std::uint64_t seed = 0;         // of the bootstrap, so a run is reproducible
};

// Metrics: spearman_cosine and pearson_cosine (± bootstrap standard error), n_pairs, n_sentences
// (distinct sentences; each is embedded once).
// details.first_cosines holds the first ten cosines.
SuiteResult run_sts(adapters::Adapter& adapter, const Dataset& dataset, const StsParams& params);

// The registry entry: parameters limit, batch_size, bootstrap, seed; default dataset STS-B test.
const TaskEntry& sts_task();

}  // namespace hubbench::suites
