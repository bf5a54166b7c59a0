// nn.Linear and GPT-2 Conv1D through OpenBLAS. One row (decoding) uses sgemv: OpenBLAS 0.3.21's
// sgemm packs the whole weight matrix even for a single row, which doubles the memory traffic of
// a step that is bound by reading the weights.
#include <cblas.h>

#include <cstring>

#include "engine/ops/ops.hpp"

namespace hubbench::engine::ops {

void linear(const Linear& layer, const float* x, std::size_t n, float* y) { linear(layer, x, layer.in, n, y, layer.out); }

void linear(const Linear& layer, const float* x, std::size_t ldx, std::size_t n, float* y, std::size_t ldy) {
    if (n == 0) return;
    const auto in = static_cast<blasint>(layer.in);
    const auto out = static_cast<blasint>(layer.out);
    float beta = 0.0f;
    if (layer.bias) {
        // y starts as the bias; the product is accumulated onto it (beta = 1).
        for (std::size_t i = 0; i < n; ++i) std::memcpy(y + i * ldy, layer.bias, layer.out * sizeof(float));
        beta = 1.0f;
    }
    if (n == 1) {
        if (layer.in_major)  // W (in, out): y = W^T x
            cblas_sgemv(CblasRowMajor, CblasTrans, in, out, 1.0f, layer.weight, out, x, 1, beta, y, 1);
        else  // W (out, in): y = W x
            cblas_sgemv(CblasRowMajor, CblasNoTrans, out, in, 1.0f, layer.weight, in, x, 1, beta, y, 1);
        return;
    }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, layer.in_major ? CblasNoTrans : CblasTrans, static_cast<blasint>(n), out, in,
                1.0f, x, static_cast<blasint>(ldx), layer.weight, layer.in_major ? out : in, beta, y,
                static_cast<blasint>(ldy));
}

}  // namespace hubbench::engine::ops
