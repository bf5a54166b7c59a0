// Pseudo-perplexity of a masked LM (Salazar et al. 2020; docs/references.md "pppl"): every
// non-special token of every scored line is masked once, and the log-probabilities of the
// original tokens at the masked positions are summed. Not a true likelihood, so not comparable
// with causal perplexity; pseudo_bits_per_byte is labelled accordingly.
#pragma once
#include <cstddef>

#include "adapters/adapter.hpp"
#include "suites/dataset.hpp"
#include "suites/result.hpp"
#include "suites/task_entry.hpp"

namespace hubbench::suites {

struct PpplParams {
    std::size_t max_length = 0;   // tokens per line, special ones included; 0 = the model's limit
    std::size_t limit = 0;        // first `limit` scored lines; 0 = all
    std::size_t batch_size = 64;  // masked copies per forward pass (does not change the numbers)
};

// Lines as suites::scored_lines(); each tokenized with special tokens and truncated to
// max_length keeping its special tokens (transformers' truncation=True). Metrics: pll_sum (±),
// n_scored, pppl (±), pseudo_bits_per_byte (±), n_lines, n_bytes (bytes of the text the kept
// tokens cover). details.first_lines holds {pll, n} of the first five lines.
// Throws Error(unsupported) for a model without a masked-LM head or a tokenizer without a mask
// token.
SuiteResult run_pppl(adapters::Adapter& adapter, const Dataset& dataset, const PpplParams& params);

// The registry entry: parameters max_length, limit, batch_size; default dataset WikiText-2 raw test.
const TaskEntry& pppl_task();

}  // namespace hubbench::suites
