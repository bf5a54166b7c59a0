#include "reports/significance.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace hubbench::reports {

const char* to_string(Significance significance) {
    switch (significance) {
        case Significance::unranked: return "unranked";
        case Significance::best: return "best";
        case Significance::tied: return "tied";
        case Significance::worse: return "worse";
        case Significance::unknown: return "unknown";
    }
    return "unknown";
}

BootstrapDraws::BootstrapDraws(std::size_t items, std::size_t resamples, std::uint64_t seed)
    : items_(items), resamples_(resamples), indices_(items * resamples) {
    std::mt19937_64 gen(seed);
    for (auto& index : indices_) index = static_cast<std::uint32_t>(gen() % items);
}

namespace {

// d[i] > 0: the best did better on item i.
std::vector<double> differences(std::span<const double> best, std::span<const double> other, bool higher_is_better) {
    std::vector<double> d(best.size());
    for (std::size_t i = 0; i < d.size(); ++i) d[i] = higher_is_better ? best[i] - other[i] : other[i] - best[i];
    return d;
}

PairedBootstrap summarize(const std::vector<double>& d, std::vector<double>& means) {
    std::sort(means.begin(), means.end());
    // numpy.percentile(means, 2.5): linear between the order statistics around 0.025 * (R - 1).
    const double position = 0.025 * static_cast<double>(means.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, means.size() - 1);
    const double fraction = position - static_cast<double>(below);
    double total = 0.0;
    for (double x : d) total += x;
    PairedBootstrap out;
    out.items = d.size();
    out.mean_difference = total / static_cast<double>(d.size());
    out.lower = means[below] + fraction * (means[above] - means[below]);
    return out;
}

}  // namespace

std::optional<PairedBootstrap> paired_bootstrap(std::span<const double> best, std::span<const double> other, bool higher_is_better,
                                                const BootstrapDraws& draws) {
    const std::size_t n = best.size();
    if (n == 0 || other.size() != n || draws.items() != n || draws.resamples() == 0) return std::nullopt;
    const auto d = differences(best, other, higher_is_better);
    std::vector<double> means(draws.resamples());
    for (std::size_t r = 0; r < means.size(); ++r) {
        double sum = 0.0;
        for (std::uint32_t index : draws.resample(r)) sum += d[index];
        means[r] = sum / static_cast<double>(n);
    }
    return summarize(d, means);
}

std::optional<PairedBootstrap> paired_bootstrap(std::span<const double> best, std::span<const double> other, bool higher_is_better,
                                                std::size_t resamples, std::uint64_t seed) {
    const std::size_t n = best.size();
    if (n == 0 || other.size() != n || resamples == 0) return std::nullopt;
    // The same draws as BootstrapDraws(n, resamples, seed), without keeping them.
    const auto d = differences(best, other, higher_is_better);
    std::mt19937_64 gen(seed);
    std::vector<double> means(resamples);
    for (auto& mean : means) {
        double sum = 0.0;
        for (std::size_t k = 0; k < n; ++k) sum += d[static_cast<std::uint32_t>(gen() % n)];
        mean = sum / static_cast<double>(n);
    }
    return summarize(d, means);
}

}  // namespace hubbench::reports
