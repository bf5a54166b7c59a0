// Whether a row-wise op (norms, activations, rope, residual adds) and attention's heads split their
// work over OpenMP threads: on while a forward pass runs its products on the AVX-512 kernels, which
// use OpenMP too (engine/threads.hpp sets it). Off otherwise: measured with bench/engine_bench.cpp
// on 2 cores, OpenMP regions between OpenBLAS (pthreads build) products halved prefill throughput,
// because OpenBLAS's workers keep spinning on the cores the OpenMP team needs.
#pragma once
#include <cstddef>

namespace hubbench::engine::ops {

void set_row_parallelism(bool enabled);
bool row_parallelism();

inline constexpr std::size_t parallel_min_elements = 1 << 16;
// For `#pragma omp parallel for if (parallel_rows(work))`.
inline bool parallel_rows(std::size_t elements) { return elements >= parallel_min_elements && row_parallelism(); }

}  // namespace hubbench::engine::ops
