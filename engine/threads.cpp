// Compute threads: OpenBLAS runs the matrix products, OpenMP the row-wise ops; both get the same
// count so they never oversubscribe the cores.
#include <cblas.h>
#include <omp.h>

#include "engine/model.hpp"

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

}  // namespace hubbench::engine
