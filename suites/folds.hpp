// Stratified k-fold assignment for cross-validated classification on the user's data: every label
// spread evenly over the folds, reproducible from a seed on every compiler and standard library.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace hubbench::suites {

// The fold (0 .. folds-1) of every item. The items of each label, labels in sorted (byte) order,
// are shuffled by a Fisher–Yates pass driven by std::mt19937_64(seed)'s raw output (one generator
// for all labels), then dealt round-robin over the folds, the deal continuing where the previous
// label stopped. So each fold holds floor or ceil of (label count / folds) items of every label,
// and fold sizes differ by at most one overall (the aim of scikit-learn's StratifiedKFold).
// Error(usage) when folds < 2; Error(invalid_input) when a label has fewer items than folds.
std::vector<std::size_t> stratified_folds(std::span<const std::string> labels, std::size_t folds,
                                          std::uint64_t seed);

}  // namespace hubbench::suites
