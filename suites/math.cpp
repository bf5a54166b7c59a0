#include "suites/math.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>

#include "core/error.hpp"

namespace hubbench::suites {

double NllAccumulator::mean() const { return n == 0 ? 0.0 : sum / static_cast<double>(n); }

double NllAccumulator::stderr_of_mean() const {
    if (n < 2) return 0.0;
    const double mu = mean();
    const double variance = sum_sq / static_cast<double>(n) - mu * mu;
    return variance > 0.0 ? std::sqrt(variance / static_cast<double>(n - 1)) : 0.0;
}

PerplexityFigures perplexity_figures(const NllAccumulator& nll, std::uint64_t n_words, std::uint64_t n_bytes) {
    PerplexityFigures f;
    f.nll_sum = nll.sum;
    f.n_scored = nll.n;
    f.n_words = n_words;
    f.n_bytes = n_bytes;
    f.mean_nll = nll.mean();
    f.mean_nll_stderr = nll.stderr_of_mean();
    const double n = static_cast<double>(nll.n);
    f.nll_sum_stderr = n * f.mean_nll_stderr;
    auto ppl = [&](std::uint64_t count, double& value, double& stderr_value) {
        if (count == 0) return;
        const double k = n / static_cast<double>(count);
        value = std::exp(nll.sum / static_cast<double>(count));
        stderr_value = value * k * f.mean_nll_stderr;
    };
    ppl(nll.n, f.token_ppl, f.token_ppl_stderr);
    ppl(n_words, f.word_ppl, f.word_ppl_stderr);
    ppl(n_bytes, f.byte_ppl, f.byte_ppl_stderr);
    if (n_bytes > 0) {
        f.bits_per_byte = bits_per_byte(nll.sum, n_bytes);
        f.bits_per_byte_stderr = f.nll_sum_stderr / (static_cast<double>(n_bytes) * std::numbers::ln2);
    }
    return f;
}

double bits_per_byte(double nll_sum, std::uint64_t n_bytes) {
    return nll_sum / (static_cast<double>(n_bytes) * std::numbers::ln2);
}

std::uint64_t count_words(std::string_view text) {
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; };
    std::uint64_t words = 0;
    bool in_word = false;
    for (char c : text) {
        if (space(c)) {
            in_word = false;
        } else if (!in_word) {
            in_word = true;
            ++words;
        }
    }
    return words;
}

double mean(std::span<const double> x) {
    if (x.empty()) return 0.0;
    return std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
}

double stderr_of_mean(std::span<const double> x) {
    if (x.size() < 2) return 0.0;
    const double m = mean(x);
    double ss = 0.0;
    for (double v : x) ss += (v - m) * (v - m);
    return std::sqrt(ss / static_cast<double>(x.size() - 1) / static_cast<double>(x.size()));
}

std::size_t first_argmax(std::span<const double> x) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < x.size(); ++i)
        if (x[i] > x[best]) best = i;
    return best;
}

std::vector<double> average_ranks(std::span<const double> x) {
    std::vector<std::size_t> order(x.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
    std::vector<double> ranks(x.size());
    for (std::size_t i = 0; i < order.size();) {
        std::size_t j = i;
        while (j + 1 < order.size() && x[order[j + 1]] == x[order[i]]) ++j;
        const double rank = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;  // ranks i+1..j+1
        for (std::size_t k = i; k <= j; ++k) ranks[order[k]] = rank;
        i = j + 1;
    }
    return ranks;
}

double pearson(std::span<const double> x, std::span<const double> y) {
    if (x.size() != y.size()) {
        throw Error(ErrorKind::invalid_input, "pearson: " + std::to_string(x.size()) + " values against " +
                                                  std::to_string(y.size()));
    }
    if (x.size() < 2) return std::nan("");
    const double mx = mean(x), my = mean(y);
    double sxy = 0.0, sxx = 0.0, syy = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double dx = x[i] - mx, dy = y[i] - my;
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if (sxx == 0.0 || syy == 0.0) return std::nan("");
    return sxy / std::sqrt(sxx * syy);
}

double spearman(std::span<const double> x, std::span<const double> y) {
    if (x.size() != y.size()) {
        throw Error(ErrorKind::invalid_input, "spearman: " + std::to_string(x.size()) + " values against " +
                                                  std::to_string(y.size()));
    }
    auto rx = average_ranks(x);
    auto ry = average_ranks(y);
    return pearson(rx, ry);
}

double cosine(std::span<const float> a, std::span<const float> b) {
    if (a.size() != b.size()) throw Error(ErrorKind::invalid_input, "cosine of vectors of different sizes");
    double ab = 0.0, aa = 0.0, bb = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        ab += static_cast<double>(a[i]) * b[i];
        aa += static_cast<double>(a[i]) * a[i];
        bb += static_cast<double>(b[i]) * b[i];
    }
    if (aa == 0.0 || bb == 0.0) return 0.0;
    return ab / std::sqrt(aa * bb);
}

double percentile(std::vector<double> sample, double q) {
    if (sample.empty()) throw Error(ErrorKind::invalid_input, "percentile of an empty sample");
    std::sort(sample.begin(), sample.end());
    const double pos = std::clamp(q, 0.0, 100.0) / 100.0 * static_cast<double>(sample.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const auto hi = std::min(lo + 1, sample.size() - 1);
    const double frac = pos - static_cast<double>(lo);
    return sample[lo] + (sample[hi] - sample[lo]) * frac;
}

}  // namespace hubbench::suites
