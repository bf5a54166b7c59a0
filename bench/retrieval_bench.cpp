// The model-independent cost of the retrieval task's search (suites/nearest.hpp) at the size where
// it switches from exact to HNSW: 100,000 documents and 1,000 queries of 384 dimensions (a
// MiniLM-sized embedding), top 10:
//   hubbench-bench --benchmark_filter='retrieval_'
// retrieval_exact_top10: top_k_exact (blocked cblas_sgemm + a heap per query).
// retrieval_hnsw_build: HnswIndex over the 100,000 documents (one thread, M 16, ef_construction 200).
// retrieval_hnsw_query: its search for the 1,000 queries (one thread, ef_search 100); the counter
// recall_at_10 is the share of the exact top 10 it returns.
// The vectors are embedding-like rather than uniform: a random 384 × 32 linear map of 32 normal
// latent values plus small independent noise, L2-normalised, so they fill a low-dimensional part
// of the space as sentence embeddings do (uniform random unit vectors in 384 dimensions have no
// near neighbours and are the worst case for any graph index). One iteration each: the build
// takes minutes on two cores.
#include <benchmark/benchmark.h>

#include <memory>
#include <random>
#include <set>

#include "suites/nearest.hpp"

namespace {

using hubbench::suites::HnswIndex;
using hubbench::suites::Matrix;
using hubbench::suites::Neighbours;

constexpr std::size_t n_docs = 100000, n_queries = 1000, dim = 384, latent = 32, k = 10;

// Rows A·z + 0.05·e with z ~ N(0, I_latent) and e ~ N(0, I_dim), A shared (drawn from seed 0),
// each row normalised.
Matrix embedding_like(std::size_t rows, std::uint64_t seed) {
    std::mt19937_64 map_gen(0), gen(seed);
    std::normal_distribution<float> normal;
    std::vector<float> a(dim * latent);   // (dim, latent)
    for (float& v : a) v = normal(map_gen);
    Matrix m(rows, dim);
    std::vector<float> z(latent);
    for (std::size_t r = 0; r < rows; ++r) {
        for (float& v : z) v = normal(gen);
        auto row = m.row(r);
        for (std::size_t i = 0; i < dim; ++i) {
            float s = 0.05f * normal(gen);
            for (std::size_t j = 0; j < latent; ++j) s += a[i * latent + j] * z[j];
            row[i] = s;
        }
    }
    hubbench::suites::normalize_rows(m);
    return m;
}

const Matrix& docs() {
    static const Matrix m = embedding_like(n_docs, 1);
    return m;
}
const Matrix& queries() {
    static const Matrix m = embedding_like(n_queries, 2);
    return m;
}
const Neighbours& exact() {
    static const Neighbours n = hubbench::suites::top_k_exact(docs(), queries(), k);
    return n;
}
// The index retrieval_hnsw_build made, so that retrieval_hnsw_query need not build another.
std::unique_ptr<HnswIndex>& built_index() {
    static std::unique_ptr<HnswIndex> index;
    return index;
}

void BM_retrieval_exact_top10(benchmark::State& state) {
    docs();
    queries();
    for (auto _ : state) benchmark::DoNotOptimize(hubbench::suites::top_k_exact(docs(), queries(), k));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n_queries));   // queries/s
}
BENCHMARK(BM_retrieval_exact_top10)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);

void BM_retrieval_hnsw_build(benchmark::State& state) {
    docs();
    for (auto _ : state) {
        built_index().reset();
        built_index() = std::make_unique<HnswIndex>(docs());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n_docs));   // documents/s
}
BENCHMARK(BM_retrieval_hnsw_build)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);

void BM_retrieval_hnsw_query(benchmark::State& state) {
    if (!built_index()) built_index() = std::make_unique<HnswIndex>(docs());
    const HnswIndex& index = *built_index();
    queries();
    Neighbours found;
    for (auto _ : state) found = index.search(queries(), k);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n_queries));   // queries/s
    std::size_t hits = 0;
    for (std::size_t q = 0; q < n_queries; ++q) {
        const std::set<std::size_t> truth(exact().ids[q].begin(), exact().ids[q].end());
        for (std::size_t id : found.ids[q]) hits += truth.count(id);
    }
    state.counters["recall_at_10"] = static_cast<double>(hits) / (k * n_queries);
}
BENCHMARK(BM_retrieval_hnsw_query)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
