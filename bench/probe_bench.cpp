// The model-independent cost of the classification task's probe and knn methods, on the sizes of a
// typical user dataset embedded by a MiniLM-sized model (384 dimensions):
//   hubbench-bench --benchmark_filter='probe_fit|knn_predict'
// probe_fit_5000x384/<classes>: LinearProbe::fit (LIBLINEAR, single-threaded) on 5,000 rows, the
// labels those of a random linear model with label noise, so the solver works as on real data.
// knn_predict_1000x4000x384: 1,000 queries against 4,000 training vectors, k = 10.
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <vector>

#include "suites/knn.hpp"
#include "suites/linear_probe.hpp"

namespace {

using namespace hubbench;
using Matrix = std::vector<std::vector<float>>;

float uniform(std::mt19937_64& gen) { return static_cast<float>(static_cast<double>(gen() >> 11) * 0x1.0p-53 * 2.0 - 1.0); }

Matrix random_unit_rows(std::size_t rows, std::size_t d, std::mt19937_64& gen) {
    Matrix m(rows, std::vector<float>(d));
    for (auto& row : m) {
        double norm = 0.0;
        for (auto& v : row) {
            v = uniform(gen);
            norm += static_cast<double>(v) * v;
        }
        for (auto& v : row) v = static_cast<float>(v / std::sqrt(norm));
    }
    return m;
}

void BM_probe_fit_5000x384(benchmark::State& state) {
    const auto classes = static_cast<std::size_t>(state.range(0));
    constexpr std::size_t n = 5000, d = 384;
    std::mt19937_64 gen(0);
    const Matrix x = random_unit_rows(n, d, gen);
    const Matrix w = random_unit_rows(classes, d, gen);
    std::vector<std::size_t> y(n);
    for (std::size_t i = 0; i < n; ++i) {
        std::size_t best = 0;
        double best_score = -1e300;
        for (std::size_t c = 0; c < classes; ++c) {
            double s = 0.0;
            for (std::size_t j = 0; j < d; ++j) s += static_cast<double>(w[c][j]) * x[i][j];
            if (s > best_score) best = c, best_score = s;
        }
        y[i] = gen() % 10 == 0 ? static_cast<std::size_t>(gen() % classes) : best;   // 10% label noise
    }
    for (auto _ : state) benchmark::DoNotOptimize(suites::LinearProbe::fit(x, y, classes, {}));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}
BENCHMARK(BM_probe_fit_5000x384)->Arg(2)->Arg(4)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_knn_predict_1000x4000x384(benchmark::State& state) {
    constexpr std::size_t d = 384, classes = 4;
    std::mt19937_64 gen(1);
    const Matrix train = random_unit_rows(4000, d, gen);
    const Matrix queries = random_unit_rows(1000, d, gen);
    std::vector<std::size_t> labels(train.size());
    for (auto& l : labels) l = gen() % classes;
    for (auto _ : state) benchmark::DoNotOptimize(suites::knn_predict(train, labels, classes, queries, 10));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * queries.size()));
}
BENCHMARK(BM_knn_predict_1000x4000x384)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
