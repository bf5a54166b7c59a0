#include "suites/nearest.hpp"

#include <cblas.h>

// hnswlib 0.6 defines non-inline functions (cpuid, xgetbv, AVXCapable) in hnswlib.h: this must stay
// the only file of the program that includes it.
//
// Under AddressSanitizer hnswlib is built without its SSE code: its searchBaseLayer prefetches the
// neighbour after the last one, reading 4 bytes past the end of an upper layer's link list
// (nmslib/hnswlib issues #107 and #578, fix proposed in PR #459, unmerged). The read only feeds a
// prefetch hint and stays inside malloc's padding, but ASan stops on it. Without SSE the distances
// are plain loops, so sanitized builds are slower and may round the last bit differently.
#if defined(__SANITIZE_ADDRESS__)
#define NO_MANUAL_VECTORIZATION
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NO_MANUAL_VECTORIZATION
#endif
#endif
#include <hnswlib/hnswlib.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <string>
#include <thread>

#include "core/error.hpp"
#include "core/interrupt.hpp"

namespace hubbench::suites {
namespace {

struct Candidate {
    float score;
    std::size_t index;
};

// a ranks before b: higher score, then lower row.
bool better(const Candidate& a, const Candidate& b) {
    return a.score > b.score || (a.score == b.score && a.index < b.index);
}

void check_finite(const Matrix& m, const char* what) {
    for (std::size_t r = 0; r < m.rows; ++r) {
        for (float v : m.row(r)) {
            if (!std::isfinite(v))
                throw Error(ErrorKind::invalid_input, std::string("nearest: ") + what + " " + std::to_string(r) +
                                                          " has a value that is not finite");
        }
    }
}

void check_inputs(const Matrix& docs, const Matrix& queries, std::size_t k) {
    if (k == 0) throw Error(ErrorKind::usage, "nearest: k must be at least 1");
    if (docs.rows == 0) throw Error(ErrorKind::invalid_input, "nearest: no documents to search");
    if (docs.cols != queries.cols)
        throw Error(ErrorKind::invalid_input, "nearest: documents have " + std::to_string(docs.cols) +
                                                  " dimensions, queries " + std::to_string(queries.cols));
    if (docs.values.size() != docs.rows * docs.cols || queries.values.size() != queries.rows * queries.cols)
        throw Error(ErrorKind::internal, "nearest: a matrix whose values do not match its shape");
    check_finite(docs, "document");
    check_finite(queries, "query");
}

// Best first: the order `better` defines.
void fill(Neighbours& out, std::size_t q, std::vector<Candidate>& candidates) {
    std::sort(candidates.begin(), candidates.end(), better);
    auto& ids = out.ids[q];
    auto& scores = out.scores[q];
    ids.resize(candidates.size());
    scores.resize(candidates.size());
    for (std::size_t j = 0; j < candidates.size(); ++j) {
        ids[j] = candidates[j].index;
        scores[j] = candidates[j].score;
    }
}

}  // namespace

Matrix Matrix::from_rows(const std::vector<std::vector<float>>& rows) {
    Matrix m(rows.size(), rows.empty() ? 0 : rows[0].size());
    for (std::size_t r = 0; r < rows.size(); ++r) {
        if (rows[r].size() != m.cols)
            throw Error(ErrorKind::invalid_input, "vector " + std::to_string(r) + " has " + std::to_string(rows[r].size()) +
                                                      " values, vector 0 has " + std::to_string(m.cols));
        std::copy(rows[r].begin(), rows[r].end(), m.row(r).begin());
    }
    return m;
}

void normalize_rows(Matrix& m) {
    for (std::size_t r = 0; r < m.rows; ++r) {
        auto row = m.row(r);
        double sum = 0.0;
        for (float v : row) sum += static_cast<double>(v) * v;
        if (sum == 0.0) continue;
        const double norm = std::sqrt(sum);
        for (float& v : row) v = static_cast<float>(v / norm);
    }
}

Neighbours top_k_exact(const Matrix& docs, const Matrix& queries, std::size_t k) {
    check_inputs(docs, queries, k);
    const std::size_t n = docs.rows, d = docs.cols;
    k = std::min(k, n);
    Neighbours out;
    out.ids.resize(queries.rows);
    out.scores.resize(queries.rows);

    // A tile of 256 × 4,096 similarities (4 MiB) at a time, so memory stays flat for any corpus.
    constexpr std::size_t query_block = 256, doc_block = 4096;
    std::vector<float> sims;                       // (rows, cols) of the current tile
    std::vector<std::vector<Candidate>> heaps;     // per query of the block: its k best so far,
                                                   // a heap whose front is the worst of them
    for (std::size_t q0 = 0; q0 < queries.rows; q0 += query_block) {
        throw_if_interrupted();
        const std::size_t rows = std::min(query_block, queries.rows - q0);
        heaps.assign(rows, {});
        for (auto& h : heaps) h.reserve(k);
        for (std::size_t d0 = 0; d0 < n; d0 += doc_block) {
            const std::size_t cols = std::min(doc_block, n - d0);
            sims.assign(rows * cols, 0.0f);
            if (d > 0) {
                // sims = queries[q0:q0+rows] · docs[d0:d0+cols]ᵀ
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(rows), static_cast<int>(cols),
                            static_cast<int>(d), 1.0f, queries.row(q0).data(), static_cast<int>(d),
                            docs.row(d0).data(), static_cast<int>(d), 0.0f, sims.data(), static_cast<int>(cols));
            }
            for (std::size_t r = 0; r < rows; ++r) {
                auto& heap = heaps[r];
                const float* s = &sims[r * cols];
                for (std::size_t j = 0; j < cols; ++j) {
                    const Candidate c{s[j], d0 + j};
                    if (heap.size() < k) {
                        heap.push_back(c);
                        std::push_heap(heap.begin(), heap.end(), better);
                    } else if (better(c, heap.front())) {
                        std::pop_heap(heap.begin(), heap.end(), better);
                        heap.back() = c;
                        std::push_heap(heap.begin(), heap.end(), better);
                    }
                }
            }
        }
        for (std::size_t r = 0; r < rows; ++r) fill(out, q0 + r, heaps[r]);
    }
    return out;
}

struct HnswIndex::Impl {
    hnswlib::InnerProductSpace space;
    hnswlib::HierarchicalNSW<float> graph;
    std::size_t size;
    std::size_t dimension;
    std::size_t threads;

    Impl(const Matrix& docs, const NearestOptions& o)
        : space(docs.cols),
          graph(&space, docs.rows, o.hnsw_m, o.hnsw_ef_construction, o.hnsw_seed),
          size(docs.rows),
          dimension(docs.cols),
          threads(o.threads) {
        graph.setEf(o.hnsw_ef_search);
    }
};

HnswIndex::HnswIndex(const Matrix& docs, const NearestOptions& options) {
    check_inputs(docs, docs, 1);
    if (options.hnsw_m < 2) throw Error(ErrorKind::usage, "nearest: HNSW M must be at least 2");
    try {
        impl_ = std::make_unique<Impl>(docs, options);
        // One thread, row order: the graph depends only on the data and the seed.
        for (std::size_t i = 0; i < docs.rows; ++i) {
            if (i % 1024 == 0) throw_if_interrupted();
            impl_->graph.addPoint(docs.row(i).data(), i);
        }
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {   // hnswlib reports allocation failures as runtime_error
        throw Error(ErrorKind::internal, std::string("nearest: hnswlib: ") + e.what());
    }
}

HnswIndex::~HnswIndex() = default;
HnswIndex::HnswIndex(HnswIndex&&) noexcept = default;
HnswIndex& HnswIndex::operator=(HnswIndex&&) noexcept = default;

std::size_t HnswIndex::size() const { return impl_->size; }
std::size_t HnswIndex::dimension() const { return impl_->dimension; }

Neighbours HnswIndex::search(const Matrix& queries, std::size_t k) const {
    if (k == 0) throw Error(ErrorKind::usage, "nearest: k must be at least 1");
    if (queries.cols != impl_->dimension)
        throw Error(ErrorKind::invalid_input, "nearest: documents have " + std::to_string(impl_->dimension) +
                                                  " dimensions, queries " + std::to_string(queries.cols));
    check_finite(queries, "query");
    k = std::min(k, impl_->size);   // searchKnn explores max(ef_search, k) candidates

    Neighbours out;
    out.approximate = true;
    out.ids.resize(queries.rows);
    out.scores.resize(queries.rows);
    auto search_range = [&](std::size_t first, std::size_t last) {
        std::vector<Candidate> candidates;
        for (std::size_t q = first; q < last; ++q) {
            if (q % 64 == 0) throw_if_interrupted();
            auto found = impl_->graph.searchKnn(queries.row(q).data(), k);   // a max-heap of distances
            candidates.clear();
            while (!found.empty()) {
                candidates.push_back({1.0f - found.top().first, found.top().second});
                found.pop();
            }
            fill(out, q, candidates);
        }
    };
    std::size_t threads = impl_->threads == 0 ? std::max(1u, std::thread::hardware_concurrency()) : impl_->threads;
    threads = std::max<std::size_t>(1, std::min(threads, queries.rows / 16));   // at least 16 queries a thread
    if (threads == 1) {
        search_range(0, queries.rows);
        return out;
    }
    // Contiguous ranges of queries, one a thread; each writes only its own rows of `out`.
    const std::size_t per_thread = (queries.rows + threads - 1) / threads;
    std::vector<std::exception_ptr> errors(threads);
    std::vector<std::thread> pool;
    for (std::size_t t = 0; t < threads; ++t) {
        const std::size_t begin = std::min(t * per_thread, queries.rows);
        const std::size_t end = std::min(begin + per_thread, queries.rows);
        pool.emplace_back([&, t, begin, end] {
            try {
                search_range(begin, end);
            } catch (...) {
                errors[t] = std::current_exception();
            }
        });
    }
    for (auto& th : pool) th.join();
    for (const auto& e : errors) {
        if (e) std::rethrow_exception(e);
    }
    return out;
}

Neighbours top_k(const Matrix& docs, const Matrix& queries, std::size_t k, const NearestOptions& options) {
    if (docs.rows <= options.exact_max_documents) return top_k_exact(docs, queries, k);
    check_inputs(docs, queries, k);
    return HnswIndex(docs, options).search(queries, k);
}

}  // namespace hubbench::suites
