// Is a model worse than the best one on a question, or within noise? A paired bootstrap over the
// items both were scored on (Koehn 2004, "Statistical Significance Tests for Machine Translation
// Evaluation"; Berg-Kirkpatrick et al. 2012): resample the item indices with replacement, take the
// mean per-item difference (best - other) of each resample, and call the other model "tied" when
// the 2.5th percentile of those means is not above zero (one-sided, 95%). Pairing by item removes
// the variance the two models share (the same hard items), so it separates models that unpaired
// standard errors cannot.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace hubbench::reports {

// What a report says about one result among those answering the same question (report_data.hpp).
enum class Significance {
    unranked,  // its task ranks nothing (speed), or it has no metric to rank by
    best,      // the best of its question by the ranking metric
    tied,      // not significantly worse than the best (paired bootstrap, 95%)
    worse,     // significantly worse than the best
    unknown,   // not tested: no per-item samples comparable with the best's
};

// "best", "tied", "worse", "unknown"; "unranked".
const char* to_string(Significance significance);

struct PairedBootstrap {
    std::size_t items = 0;
    double mean_difference = 0.0;  // mean over items of (best - other), oriented: > 0 means best is better
    double lower = 0.0;            // 2.5th percentile of the resampled mean differences
    bool tied() const { return lower <= 0.0; }  // not significantly worse at 95%
};

// The item indices a bootstrap resamples: `resamples` x n draws of std::mt19937_64(seed)() % n,
// in draw order (std::uniform_int_distribution is not used: its algorithm is not specified, so
// results would differ between standard libraries). The same seed draws the same indices for
// every comparison on n items, so a report draws them once per n and shares them (4 bytes x n x
// resamples: 3.5 MB for SST-2's 872 items).
class BootstrapDraws {
public:
    BootstrapDraws(std::size_t items, std::size_t resamples = 1000, std::uint64_t seed = 0);
    std::size_t items() const { return items_; }
    std::size_t resamples() const { return resamples_; }
    std::span<const std::uint32_t> resample(std::size_t r) const { return {indices_.data() + r * items_, items_}; }

private:
    std::size_t items_, resamples_;
    std::vector<std::uint32_t> indices_;
};

// `best` and `other` are per-item values of one metric on the same items, in the same order (1/0
// correctness, nDCG of a query). With higher_is_better false the difference is other - best, so
// that it stays positive when the best is better. Nullopt when the sizes differ, there are no
// items, or `draws` is for another number of items. Each resample's mean sums the differences in
// draw order; the percentile interpolates linearly between the sorted means
// (numpy.percentile's default): position 0.025 * (resamples - 1).
std::optional<PairedBootstrap> paired_bootstrap(std::span<const double> best, std::span<const double> other, bool higher_is_better,
                                                const BootstrapDraws& draws);
// The same, drawing the same indices as BootstrapDraws(n, resamples, seed) as it goes (for one
// comparison, or more items than a shared table should hold).
std::optional<PairedBootstrap> paired_bootstrap(std::span<const double> best, std::span<const double> other, bool higher_is_better,
                                                std::size_t resamples = 1000, std::uint64_t seed = 0);

}  // namespace hubbench::reports
