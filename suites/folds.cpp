#include "suites/folds.hpp"

#include <map>
#include <random>
#include <utility>

#include "core/error.hpp"

namespace hubbench::suites {

std::vector<std::size_t> stratified_folds(std::span<const std::string> labels, std::size_t folds,
                                          std::uint64_t seed) {
    if (folds < 2) throw Error(ErrorKind::usage, "--folds must be at least 2, not " + std::to_string(folds));
    // Item indices by label; std::map orders the labels, each list keeps file order.
    std::map<std::string, std::vector<std::size_t>> by_label;
    for (std::size_t i = 0; i < labels.size(); ++i) by_label[labels[i]].push_back(i);
    for (const auto& [label, items] : by_label) {
        if (items.size() < folds)
            throw Error(ErrorKind::invalid_input, one_line("label '" + label + "' has " + std::to_string(items.size()) +
                                                           " examples, fewer than --folds " + std::to_string(folds)));
    }
    // Not std::shuffle or std::uniform_int_distribution: their algorithms are implementation-defined,
    // while mt19937_64's sequence is fixed by the standard. `gen() % (i + 1)` has a modulo bias of
    // at most (i + 1) / 2^64, far below anything a fold split could show.
    std::mt19937_64 gen(seed);
    std::vector<std::size_t> fold(labels.size());
    std::size_t next = 0;   // the fold the next dealt item goes to
    for (auto& [label, items] : by_label) {
        for (std::size_t i = items.size() - 1; i > 0; --i) {
            const auto j = static_cast<std::size_t>(gen() % (i + 1));
            std::swap(items[i], items[j]);
        }
        for (std::size_t item : items) {
            fold[item] = next;
            next = (next + 1) % folds;
        }
    }
    return fold;
}

}  // namespace hubbench::suites
