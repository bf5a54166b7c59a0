// Scores of a classifier's predictions against the gold classes, and bootstrap standard errors
// over items for any such score.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>

namespace hubbench::suites {

// Share of items whose prediction equals the gold class; NaN for no items. Error(internal) when
// the two lists differ in length.
double accuracy(std::span<const std::size_t> gold, std::span<const std::size_t> predicted);

// scikit-learn's f1_score(gold, predicted, average="macro"): the unweighted mean over the classes
// that occur in gold or predicted of F1 = 2·TP / (2·TP + FP + FN); a class with no true positive
// scores 0 (zero_division's default). A class below `classes` that occurs in neither is not
// counted. NaN for no items. Error(internal) for lists of different lengths or a class ≥ classes.
double macro_f1(std::span<const std::size_t> gold, std::span<const std::size_t> predicted, std::size_t classes);

// Sample standard deviation (n − 1) of `statistic` over `resamples` bootstrap resamples of the
// items 0..n_items-1, each a list of n_items indices drawn with replacement as
// std::mt19937_64(seed)() % n_items (the same draws as suites/sts.cpp's bootstrap, fixed by the
// standard, so a seed gives the same figure with every compiler). Non-finite statistics are left
// out. NaN when fewer than two resamples or two items, or fewer than two finite statistics.
double bootstrap_stderr(std::size_t n_items, std::size_t resamples, std::uint64_t seed,
                        const std::function<double(std::span<const std::size_t>)>& statistic);

// The defaults the classification task reports with.
inline constexpr std::size_t default_bootstrap_resamples = 1000;
inline constexpr std::uint64_t default_bootstrap_seed = 0;

}  // namespace hubbench::suites
