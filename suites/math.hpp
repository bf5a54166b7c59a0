// The statistics every suite shares, written once: mean and standard error of per-token NLLs,
// their propagation to perplexities (llama.cpp's "PPL = x ± y"), bits per byte, rank and linear
// correlation (scipy's spearmanr / pearsonr), cosine similarity and percentiles.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace hubbench::suites {

// Running sum and sum of squares of per-token negative log-likelihoods (natural log).
struct NllAccumulator {
    double sum = 0.0;
    double sum_sq = 0.0;
    std::uint64_t n = 0;

    void add(double nll) {
        sum += nll;
        sum_sq += nll * nll;
        ++n;
    }
    double mean() const;
    // Standard error of the mean, sqrt((E[x²] − μ²) / (n − 1)) as tools/perplexity/perplexity.cpp
    // computes it; 0 when n < 2.
    double stderr_of_mean() const;
};

// Everything reported from one set of per-token NLLs. Each perplexity is exp(nll_sum / count)
// for its own count, and its uncertainty is the standard error of the mean NLL propagated to
// first order: d exp(k·μ) = exp(k·μ) · k · σ_μ with k = n_scored / count.
struct PerplexityFigures {
    double nll_sum = 0.0, nll_sum_stderr = 0.0;
    std::uint64_t n_scored = 0, n_words = 0, n_bytes = 0;
    double mean_nll = 0.0, mean_nll_stderr = 0.0;
    double token_ppl = 0.0, token_ppl_stderr = 0.0;
    double word_ppl = 0.0, word_ppl_stderr = 0.0;
    double byte_ppl = 0.0, byte_ppl_stderr = 0.0;
    double bits_per_byte = 0.0, bits_per_byte_stderr = 0.0;
};
PerplexityFigures perplexity_figures(const NllAccumulator& nll, std::uint64_t n_words, std::uint64_t n_bytes);

// nll_sum / (n_bytes · ln 2): the one figure comparable across tokenizers.
double bits_per_byte(double nll_sum, std::uint64_t n_bytes);

// Words as lm-evaluation-harness and docs/references.md count them: runs of bytes between ASCII
// whitespace (space, \t, \n, \v, \f, \r) — Python's bytes.split().
std::uint64_t count_words(std::string_view text);

double mean(std::span<const double> x);
// Standard error of the mean of a sample, sqrt(s² / n) with the n − 1 sample variance, as
// lm-evaluation-harness's mean_stderr computes it for per-item accuracies; 0 when n < 2.
double stderr_of_mean(std::span<const double> x);
// Index of the first maximum (numpy.argmax, which lm-evaluation-harness uses to pick a choice).
std::size_t first_argmax(std::span<const double> x);

// 1-based ranks with ties given their average rank (scipy.stats.rankdata(method="average")).
std::vector<double> average_ranks(std::span<const double> x);
// Pearson's r; NaN when either side is constant. Throws Error(invalid_input) on size mismatch.
double pearson(std::span<const double> x, std::span<const double> y);
// Spearman's rho = Pearson's r of the average ranks (scipy.stats.spearmanr).
double spearman(std::span<const double> x, std::span<const double> y);

// Cosine similarity in double.
double cosine(std::span<const float> a, std::span<const float> b);

// Percentile q in [0, 100] with linear interpolation between order statistics
// (numpy.percentile's default). Throws Error(invalid_input) on an empty sample.
double percentile(std::vector<double> sample, double q);

}  // namespace hubbench::suites
