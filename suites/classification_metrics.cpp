#include "suites/classification_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace hubbench::suites {
namespace {

void check_lengths(std::span<const std::size_t> gold, std::span<const std::size_t> predicted) {
    if (gold.size() != predicted.size())
        throw Error(ErrorKind::internal, std::to_string(gold.size()) + " gold classes for " +
                                             std::to_string(predicted.size()) + " predictions");
}

}  // namespace

double accuracy(std::span<const std::size_t> gold, std::span<const std::size_t> predicted) {
    check_lengths(gold, predicted);
    if (gold.empty()) return std::nan("");
    std::size_t right = 0;
    for (std::size_t i = 0; i < gold.size(); ++i) right += gold[i] == predicted[i] ? 1 : 0;
    return static_cast<double>(right) / static_cast<double>(gold.size());
}

double macro_f1(std::span<const std::size_t> gold, std::span<const std::size_t> predicted, std::size_t classes) {
    check_lengths(gold, predicted);
    if (gold.empty()) return std::nan("");
    std::vector<std::size_t> tp(classes, 0), fp(classes, 0), fn(classes, 0);
    for (std::size_t i = 0; i < gold.size(); ++i) {
        if (gold[i] >= classes || predicted[i] >= classes)
            throw Error(ErrorKind::internal, "class " + std::to_string(std::max(gold[i], predicted[i])) +
                                                 " is not below " + std::to_string(classes));
        if (gold[i] == predicted[i]) {
            ++tp[gold[i]];
        } else {
            ++fn[gold[i]];
            ++fp[predicted[i]];
        }
    }
    // sklearn's labels = unique_labels(y_true, y_pred): exactly the classes with 2TP + FP + FN > 0.
    double sum = 0.0;
    std::size_t counted = 0;
    for (std::size_t c = 0; c < classes; ++c) {
        const std::size_t denominator = 2 * tp[c] + fp[c] + fn[c];
        if (denominator == 0) continue;
        sum += 2.0 * static_cast<double>(tp[c]) / static_cast<double>(denominator);
        ++counted;
    }
    return sum / static_cast<double>(counted);
}

double bootstrap_stderr(std::size_t n_items, std::size_t resamples, std::uint64_t seed,
                        const std::function<double(std::span<const std::size_t>)>& statistic) {
    if (resamples < 2 || n_items < 2) return std::nan("");
    std::mt19937_64 gen(seed);
    std::vector<std::size_t> sample(n_items);
    std::vector<double> values;
    values.reserve(resamples);
    for (std::size_t r = 0; r < resamples; ++r) {
        for (auto& index : sample) index = static_cast<std::size_t>(gen() % n_items);
        const double v = statistic(sample);
        if (std::isfinite(v)) values.push_back(v);
    }
    if (values.size() < 2) return std::nan("");
    double mean = 0.0;
    for (double v : values) mean += v;
    mean /= static_cast<double>(values.size());
    double ss = 0.0;
    for (double v : values) ss += (v - mean) * (v - mean);
    return std::sqrt(ss / static_cast<double>(values.size() - 1));
}

}  // namespace hubbench::suites
