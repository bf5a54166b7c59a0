// The k documents most similar to each query by cosine, for L2-normalised embeddings (the dot
// product is the cosine): exact through BLAS, or approximate through an HNSW graph (hnswlib) when
// the corpus is too large for an exact search to be cheap. Vectors only; no model code.
#pragma once
#include <cstddef>
#include <memory>
#include <span>
#include <vector>

namespace hubbench::suites {

// A row-major (rows, cols) float matrix: one embedding a row.
struct Matrix {
    std::size_t rows = 0;
    std::size_t cols = 0;
    std::vector<float> values;   // (rows, cols)

    Matrix() = default;
    Matrix(std::size_t rows, std::size_t cols) : rows(rows), cols(cols), values(rows * cols, 0.0f) {}

    // Rows of equal length (what adapters' embed() returns); Error(invalid_input) names the first
    // row whose length differs from row 0's.
    static Matrix from_rows(const std::vector<std::vector<float>>& rows);

    std::span<float> row(std::size_t r) { return {values.data() + r * cols, cols}; }
    std::span<const float> row(std::size_t r) const { return {values.data() + r * cols, cols}; }
};

// Divides every row by its L2 norm (computed in double); an all-zero row stays zero.
void normalize_rows(Matrix& m);

struct NearestOptions {
    // Corpora of up to this many documents are searched exactly; larger ones with HNSW. A million,
    // not 100,000: at 100,000 documents the exact search answers a query as fast as the graph
    // (figures below) and needs no 162 s build, and a million 384-float rows still fit in 1.5 GB.
    std::size_t exact_max_documents = 1000000;
    // HNSW parameters (hnswlib's names). M = 16 links a node (32 on the bottom layer) and
    // ef_construction = 200 are hnswlib's defaults; the search explores max(k, ef_search)
    // candidates. Measured by bench/retrieval_bench.cpp on 100,000 embedding-like 384-dimensional
    // vectors (one core of a 2-core EPYC, -O2, hnswlib's SSE code): build 162 s, 0.92 ms a query,
    // recall@10 0.935 against the exact search, which takes 0.94 ms a query there. The level of
    // each inserted node comes from hnswlib's std::default_random_engine seeded with hnsw_seed, and
    // the documents are inserted one by one in row order on one thread, so the graph, and every
    // result, is the same on every run of the same build.
    std::size_t hnsw_m = 16;
    std::size_t hnsw_ef_construction = 200;
    std::size_t hnsw_ef_search = 100;
    std::size_t hnsw_seed = 100;
    // Threads that search the HNSW graph for different queries at once (0: one per core). The
    // results do not depend on it. The exact search runs on OpenBLAS's own threads.
    std::size_t threads = 1;
};

struct Neighbours {
    // (queries, min(k, documents)): document rows, most similar first; equal scores rank the
    // lower row first.
    std::vector<std::vector<std::size_t>> ids;
    // Same shape: the dot products (cosines) of those documents.
    std::vector<std::vector<float>> scores;
    // True when an HNSW graph answered: the lists are then approximate (a true neighbour may be
    // missing and replaced by the next best the graph found) and their scores are
    // 1 − hnswlib's inner-product distance, equal to the dot product up to float rounding.
    bool approximate = false;
};

// Exact: similarities from one cblas_sgemm per block of 256 queries × 4,096 documents (float, as
// the embeddings are), each query keeping its k best in a heap. Error(usage) for k = 0;
// Error(invalid_input) when docs and queries differ in width, docs has no rows, or a value is
// not finite (naming the row).
Neighbours top_k_exact(const Matrix& docs, const Matrix& queries, std::size_t k);

// An HNSW graph over the rows of `docs` (hnswlib's HierarchicalNSW with InnerProductSpace,
// distance 1 − dot), built on one thread as NearestOptions describes. It copies the vectors; docs
// may go away afterwards.
class HnswIndex {
public:
    explicit HnswIndex(const Matrix& docs, const NearestOptions& options = {});
    ~HnswIndex();
    HnswIndex(HnswIndex&&) noexcept;
    HnswIndex& operator=(HnswIndex&&) noexcept;

    std::size_t size() const;
    std::size_t dimension() const;

    // The k nearest rows for each query (approximate = true), with the same errors as top_k_exact.
    Neighbours search(const Matrix& queries, std::size_t k) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// top_k_exact when docs has at most options.exact_max_documents rows, else an HnswIndex built for
// this call and searched once.
Neighbours top_k(const Matrix& docs, const Matrix& queries, std::size_t k, const NearestOptions& options = {});

}  // namespace hubbench::suites
