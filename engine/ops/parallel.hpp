// Whether a row-wise op (norms, activations, rope, residual adds) splits its rows over OpenMP
// threads. Off by default: measured with bench/engine_bench.cpp (BM_engine_prefill_hidden vs
// BM_engine_prefill_hidden_omp_rows), OpenMP regions between OpenBLAS (pthreads build) products
// halve prefill throughput on 2 cores, because OpenBLAS's workers keep spinning on the cores the
// OpenMP team needs. The row-wise ops are a few percent of the FLOPs, so running them on the
// calling thread costs little.
#pragma once
#include <cstddef>

namespace hubbench::engine::ops {

void set_row_parallelism(bool enabled);
bool row_parallelism();

inline constexpr std::size_t parallel_min_elements = 1 << 16;
// For `#pragma omp parallel for if (parallel_rows(work))`.
inline bool parallel_rows(std::size_t elements) { return elements >= parallel_min_elements && row_parallelism(); }

}  // namespace hubbench::engine::ops
