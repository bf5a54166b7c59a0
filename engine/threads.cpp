// Compute threads: OpenBLAS runs the matrix products, OpenMP the row-wise ops; both get the same
// count so they never oversubscribe the cores.
#include <cblas.h>
#include <omp.h>

#include "engine/model.hpp"
#include "engine/ops/parallel.hpp"
#include "engine/threads.hpp"

namespace hubbench::engine {

namespace {
int current = 0;
}

void set_num_threads(int n) {
    if (n <= 0) n = omp_get_num_procs();
    openblas_set_num_threads(n);
    omp_set_num_threads(n);
    current = n;
}

int num_threads() { return current > 0 ? current : openblas_get_num_threads(); }

BlasOnCallingThread::BlasOnCallingThread(bool active) : active_(active) {
    if (!active) return;
    rows_were_parallel_ = ops::row_parallelism();
    ops::set_row_parallelism(true);
    saved_ = openblas_get_num_threads();
    if (saved_ > 1) openblas_set_num_threads(1);
    else saved_ = 0;
}

BlasOnCallingThread::~BlasOnCallingThread() {
    if (!active_) return;
    if (saved_ > 1) openblas_set_num_threads(saved_);
    ops::set_row_parallelism(rows_were_parallel_);
}

}  // namespace hubbench::engine
