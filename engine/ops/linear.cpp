// nn.Linear and GPT-2 Conv1D. On AVX-512 CPUs every product, float32, bfloat16 or int8, goes to the
// engine's kernels (gemm_avx512.cpp, gemv_avx512.cpp), which split their work over OpenMP threads.
// Elsewhere float32 goes through OpenBLAS, and bfloat16 and int8 through linear_bf16.cpp. One
// float32 row (decoding) uses sgemv there: OpenBLAS 0.3.21's sgemm packs the whole weight matrix
// even for a single row, which doubles the memory traffic of a step that is bound by reading the
// weights.
#include <cblas.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "core/error.hpp"
#include "engine/ops/gemm_avx512.hpp"
#include "engine/ops/linear_bf16.hpp"
#include "engine/ops/ops.hpp"
#include "engine/ops/quantize.hpp"

namespace hubbench::engine::ops {

namespace {

bool cpu_has_avx512() {
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl");
}

bool cpu_has_avx512_bf16() { return cpu_has_avx512() && __builtin_cpu_supports("avx512bf16"); }

bool turned_off(const char* variable) {
    const char* off = std::getenv(variable);
    return off != nullptr && *off != '\0' && std::string_view(off) != "0";
}

std::atomic<bool>& avx512_switch() {
    static std::atomic<bool> enabled = !turned_off("HUBBENCH_NO_AVX512") && cpu_has_avx512();
    return enabled;
}

std::atomic<bool>& avx512_bf16_switch() {
    static std::atomic<bool> enabled = !turned_off("HUBBENCH_NO_AVX512_BF16") && cpu_has_avx512_bf16();
    return enabled;
}

}  // namespace

bool avx512_enabled() { return avx512_switch().load(std::memory_order_relaxed); }
void set_avx512_enabled(bool enabled) { avx512_switch().store(enabled && cpu_has_avx512()); }
bool avx512_bf16_enabled() { return avx512_enabled() && avx512_bf16_switch().load(std::memory_order_relaxed); }
void set_avx512_bf16_enabled(bool enabled) { avx512_bf16_switch().store(enabled && cpu_has_avx512_bf16()); }

const float* Matrix::f32() const {
    if (type_ != WeightType::f32) throw Error(ErrorKind::internal, "a bfloat16 or int8 weight reached an op that has no kernel for it");
    return static_cast<const float*>(data_);
}

Matrix Matrix::offset(std::size_t elements) const {
    Matrix m = *this;
    switch (type_) {
        case WeightType::f32: m.data_ = static_cast<const float*>(data_) + elements; break;
        case WeightType::bf16: m.data_ = static_cast<const std::uint16_t*>(data_) + elements; break;
        case WeightType::q8:
            if (elements % q8_block != 0)
                throw Error(ErrorKind::internal, "an int8 matrix split inside a block of its scales");
            m.data_ = static_cast<const std::int8_t*>(data_) + elements;
            m.scales_ = scales_ + elements / q8_block;
            break;
    }
    return m;
}

void linear(const Linear& layer, const float* x, std::size_t n, float* y) { linear(layer, x, layer.in, n, y, layer.out); }

namespace {

// Float32 products over fewer than 256 inputs stay on OpenBLAS (on the calling thread inside a
// pass): there the kernel's fixed cost per 14 x 32 block (packing, the block's transposed store)
// weighs against few k-steps. The sanitizer build's whole-text perplexity test over the fixtures
// (hidden 64-128) took 680 s this way; with every product on the kernel it had not finished in
// 1,800 s (2026-12-04).
bool on_avx512_kernels(const Linear& layer, std::size_t n) {
    const bool small_f32 = layer.weight.type() == WeightType::f32 && n > 1 && layer.in < 256;
    return avx512_enabled() && !small_f32;
}

// y (+)= x W^T on the kernels: one row by gemv_avx512, several by gemm_avx512.
void on_kernels(const Linear& layer, const float* x, std::size_t ldx, std::size_t n, float* y, std::size_t ldy,
                bool accumulate) {
    const GemmWeights w{layer.weight.data(), layer.weight.type(), layer.weight.scales(), layer.in, layer.out, layer.in_major};
    if (n == 1) gemv_avx512(w, x, y, accumulate);
    else gemm_avx512(w, x, ldx, n, y, ldy, accumulate);
}

}  // namespace

void linear_add(const Linear& layer, const float* x, std::size_t n, float* y, float* scratch) {
    if (n == 0) return;
    // The kernels add each finished sum to what y holds: y + (x W^T), as add_in_place rounds it. A
    // bias would be added to y first, so that case takes the two steps.
    if (layer.bias == nullptr && on_avx512_kernels(layer, n)) {
        on_kernels(layer, x, layer.in, n, y, layer.out, true);
        return;
    }
    linear(layer, x, n, scratch);
    add_in_place(y, scratch, n * layer.out);
}

void linear(const Linear& layer, const float* x, std::size_t ldx, std::size_t n, float* y, std::size_t ldy) {
    if (n == 0) return;
    float beta = 0.0f;
    if (layer.bias) {
        // y starts as the bias; the product is accumulated onto it (beta = 1).
        for (std::size_t i = 0; i < n; ++i) std::memcpy(y + i * ldy, layer.bias, layer.out * sizeof(float));
        beta = 1.0f;
    }
    if (on_avx512_kernels(layer, n)) {
        on_kernels(layer, x, ldx, n, y, ldy, beta != 0.0f);
        return;
    }
    if (layer.weight.type() == WeightType::q8) {  // not fast: the AVX-512 kernels are the fast path
        const auto* q = static_cast<const std::int8_t*>(layer.weight.data());
        const float* scales = layer.weight.scales();
        const auto to_float = [q, scales](std::size_t first, std::size_t count, float* dst) {
            dequantize_q8(q, scales, first, count, dst);
        };
        linear_through_sgemm(to_float, layer.in, layer.out, layer.in_major, x, ldx, n, y, ldy, beta != 0.0f);
        return;
    }
    if (layer.weight.type() == WeightType::bf16) {
        linear_bf16(layer.weight.bf16_data(), layer.in, layer.out, layer.in_major, x, ldx, n, y, ldy, beta != 0.0f);
        return;
    }
    const float* weight = layer.weight.f32();
    const auto in = static_cast<blasint>(layer.in);
    const auto out = static_cast<blasint>(layer.out);
    if (n == 1) {
        if (layer.in_major)  // W (in, out): y = W^T x
            cblas_sgemv(CblasRowMajor, CblasTrans, in, out, 1.0f, weight, out, x, 1, beta, y, 1);
        else  // W (out, in): y = W x
            cblas_sgemv(CblasRowMajor, CblasNoTrans, out, in, 1.0f, weight, in, x, 1, beta, y, 1);
        return;
    }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, layer.in_major ? CblasNoTrans : CblasTrans, static_cast<blasint>(n), out, in,
                1.0f, x, static_cast<blasint>(ldx), weight, layer.in_major ? out : in, beta, y,
                static_cast<blasint>(ldy));
}

}  // namespace hubbench::engine::ops
