// Causal-LM perplexity of one document (docs/references.md "Causal LM perplexity (rolling)"):
// the text is tokenized once, whole, with the tokenizer's default special tokens, scored in
// rolling windows, and every figure (token, word and byte perplexity, bits per byte, with their
// standard errors) comes from the same per-token log-probabilities. Several strides, and
// llama.cpp's chunked convention, share the forward passes of the windows they have in common.
#pragma once
#include <cstddef>
#include <vector>

#include "adapters/adapter.hpp"
#include "suites/dataset.hpp"
#include "suites/result.hpp"
#include "suites/task_entry.hpp"

namespace hubbench::suites {

struct PerplexityParams {
    std::size_t max_length = 0;        // window length L; 0 = the model's max_length
    std::vector<std::size_t> strides;  // one result per stride; empty = {L / 2}
    std::size_t batch_size = 8;        // windows per forward pass (does not change the numbers)
    std::size_t limit = 0;             // score only the document's first `limit` tokens; 0 = all
    bool llama_cpp = false;            // also llama.cpp's figure: n_ctx = L chunks, second half
};

// One result per stride, in the order given. Metrics: nll_sum, n_scored, token_ppl, word_ppl,
// byte_ppl, bits_per_byte (each with its standard error), mean_nll, n_tokens, n_words, n_bytes,
// n_windows; with llama_cpp also llamacpp_ppl (± stderr), llamacpp_nll_sum, llamacpp_n_scored and
// llamacpp_n_chunks. details.first_windows holds [begin, end, first scored, window nll] for the
// first three windows. Throws Error(unsupported) for a model without a causal LM head and
// Error(usage) for a window longer than the model accepts.
std::vector<SuiteResult> run_perplexity(adapters::Adapter& adapter, const Dataset& dataset,
                                        const PerplexityParams& params);

// The registry entry: parameters max_length, stride (the row parameter), limit, batch_size,
// convention; default dataset WikiText-2 raw test.
const TaskEntry& perplexity_task();

}  // namespace hubbench::suites
