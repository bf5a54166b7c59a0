// Compute threads: OpenBLAS runs the matrix products, OpenMP the row-wise ops; both get the same
// count so they never oversubscribe the cores.
#include <cblas.h>
#include <omp.h>

#include "engine/model.hpp"
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

BlasOnCallingThread::BlasOnCallingThread(bool active) {
    if (!active) return;
    saved_ = openblas_get_num_threads();
    if (saved_ > 1) openblas_set_num_threads(1);
    else saved_ = 0;
}

BlasOnCallingThread::~BlasOnCallingThread() {
    if (saved_ > 1) openblas_set_num_threads(saved_);
}

}  // namespace hubbench::engine
