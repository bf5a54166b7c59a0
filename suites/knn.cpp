#include "suites/knn.hpp"

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "core/error.hpp"

namespace hubbench::suites {
namespace {

// Rows copied into one row-major (rows, d) buffer for BLAS; every row must have d values.
std::vector<float> pack(const std::vector<std::vector<float>>& rows, std::size_t first, std::size_t count,
                        std::size_t d, const char* what) {
    std::vector<float> out(count * d);
    for (std::size_t r = 0; r < count; ++r) {
        const auto& row = rows[first + r];
        if (row.size() != d)
            throw Error(ErrorKind::invalid_input, std::string("knn: ") + what + " vector " + std::to_string(first + r) +
                                                      " has " + std::to_string(row.size()) + " values, not " +
                                                      std::to_string(d));
        std::copy(row.begin(), row.end(), out.begin() + static_cast<std::ptrdiff_t>(r * d));
    }
    return out;
}

}  // namespace

std::vector<KnnPrediction> knn_predict(const std::vector<std::vector<float>>& train,
                                       std::span<const std::size_t> train_labels, std::size_t classes,
                                       const std::vector<std::vector<float>>& queries, std::size_t k) {
    if (k == 0) throw Error(ErrorKind::usage, "--k must be at least 1");
    if (train.empty() || train.size() != train_labels.size())
        throw Error(ErrorKind::invalid_input, "knn: " + std::to_string(train.size()) + " training vectors for " +
                                                  std::to_string(train_labels.size()) + " labels");
    for (std::size_t i = 0; i < train_labels.size(); ++i) {
        if (train_labels[i] >= classes)
            throw Error(ErrorKind::invalid_input, "knn: class " + std::to_string(train_labels[i]) + " of training vector " +
                                                      std::to_string(i) + " is not below " + std::to_string(classes));
    }
    const std::size_t n = train.size(), d = train[0].size();
    k = std::min(k, n);
    const std::vector<float> t = pack(train, 0, n, d, "training");   // (n, d)

    // Queries a block at a time, so the similarity matrix stays at block × n floats.
    constexpr std::size_t block = 256;
    std::vector<float> sims;                  // (block, n)
    std::vector<std::size_t> order(n);
    std::vector<KnnPrediction> out;
    out.reserve(queries.size());
    for (std::size_t first = 0; first < queries.size(); first += block) {
        const std::size_t rows = std::min(block, queries.size() - first);
        const std::vector<float> q = pack(queries, first, rows, d, "query");   // (rows, d)
        sims.assign(rows * n, 0.0f);
        if (d > 0) {
            // sims = q · tᵀ
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(rows), static_cast<int>(n),
                        static_cast<int>(d), 1.0f, q.data(), static_cast<int>(d), t.data(), static_cast<int>(d), 0.0f,
                        sims.data(), static_cast<int>(n));
        }
        for (std::size_t r = 0; r < rows; ++r) {
            const float* s = &sims[r * n];
            // NaN (from non-finite input) ranks last, so the order stays a strict weak ordering.
            auto key = [&](std::size_t i) { return std::isnan(s[i]) ? -std::numeric_limits<float>::infinity() : s[i]; };
            std::iota(order.begin(), order.end(), std::size_t{0});
            std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                              [&](std::size_t a, std::size_t b) { return key(a) > key(b) || (key(a) == key(b) && a < b); });
            KnnPrediction p;
            std::vector<std::size_t> votes(classes, 0);
            p.similarity.assign(classes, 0.0);
            for (std::size_t j = 0; j < k; ++j) {
                const std::size_t c = train_labels[order[j]];
                ++votes[c];
                p.similarity[c] += static_cast<double>(key(order[j]));
            }
            p.scores.resize(classes);
            for (std::size_t c = 0; c < classes; ++c) {
                p.scores[c] = static_cast<double>(votes[c]) / static_cast<double>(k);
                const bool better = votes[c] > votes[p.label] ||
                                    (votes[c] == votes[p.label] && p.similarity[c] > p.similarity[p.label]);
                if (better) p.label = c;
            }
            out.push_back(std::move(p));
        }
    }
    return out;
}

}  // namespace hubbench::suites
