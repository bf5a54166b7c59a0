// Which windows of a tokenized document are run and which of their positions are scored, for
// each perplexity convention. Pure index arithmetic, so it is tested on its own.
#pragma once
#include <cstddef>
#include <vector>

namespace hubbench::suites {

// Tokens [begin, end) of the document are fed to the model (with the first replaced by BOS when
// bos_first is set); positions score_from .. end-1 (absolute) are scored.
struct Window {
    std::size_t begin = 0;
    std::size_t end = 0;
    std::size_t score_from = 0;
    bool bos_first = false;

    bool same_input(const Window& o) const { return begin == o.begin && end == o.end && bos_first == o.bos_first; }
};

// docs/references.md "Causal LM perplexity (rolling)": windows of max_length tokens start at 0,
// stride, 2·stride, … until one reaches the end; window [b, e) scores max(b + 1, previous end)
// .. e − 1. Every token but the first is scored once when stride < max_length; with
// stride == max_length (disjoint windows) the first token of each window is context only.
// Throws Error(usage) unless 0 < stride <= max_length.
std::vector<Window> rolling_windows(std::size_t n_tokens, std::size_t max_length, std::size_t stride);

// llama.cpp's `llama-perplexity` (tools/perplexity/perplexity.cpp, perplexity()): ⌊N / n_ctx⌋
// independent chunks, the first token replaced by BOS when the tokenizer adds one, and only
// the second half scored: positions n_ctx/2 + 1 .. n_ctx − 1 of each chunk (n_ctx − n_ctx/2 − 1
// tokens). Throws Error(invalid_input) when N < 2·n_ctx, as llama.cpp refuses it.
std::vector<Window> llama_cpp_chunks(std::size_t n_tokens, std::size_t n_ctx, bool bos_first);

// Several conventions over the same document share forward passes: `inputs` holds each distinct
// window once, ordered by position, with the smallest score_from any convention needs; users[i]
// lists (variant, score_from) for every variant that scores inputs[i]. A pass over `inputs` in
// order visits each variant's windows in that variant's own order, so sums come out the same as
// when each variant runs alone.
struct SharedWindows {
    std::vector<Window> inputs;
    std::vector<std::vector<std::pair<std::size_t, std::size_t>>> users;
};
SharedWindows share_windows(const std::vector<std::vector<Window>>& variants);

}  // namespace hubbench::suites
