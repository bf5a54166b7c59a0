// oneDNN's matmul on the shapes hubbench's engine multiplies (not part of CI; issue 12 asked whether
// to use oneDNN for the bfloat16 and float32 products: this measures it beside hubbench-bench's
// BM_linear_gemm_* on the same machine). Build and run with bench/peers/onednn_matmul.sh.
//
// y (n, out) = x (n, in) · Wᵀ, as nn.Linear: float32 everything, and bfloat16 x and W with a
// float32 y (oneDNN 2.6, Debian's, has no float32-activation × bfloat16-weight matmul). GFLOP/s,
// best of 5 after one untimed run; OpenMP threads (OMP_NUM_THREADS).
#include <chrono>
#include <cstdio>
#include <vector>

#include <oneapi/dnnl/dnnl.hpp>

namespace {

double time_matmul(dnnl::engine& eng, dnnl::stream& s, dnnl::memory::data_type dt, long n, long in, long out) {
    using dnnl::memory;
    const memory::desc src({n, in}, dt, memory::format_tag::ab);
    const memory::desc wei({in, out}, dt, memory::format_tag::ba);  // (out, in) row-major, as nn.Linear stores it
    const memory::desc dst({n, out}, memory::data_type::f32, memory::format_tag::ab);
    const dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(src, wei, dst), eng);
    memory x(src, eng), w(wei, eng), y(dst, eng);
    // Fill with small values (0.01: exact in bfloat16 up to rounding of 0.01 itself).
    auto fill = [](memory& m, bool bf16) {
        const std::size_t bytes = m.get_desc().get_size();
        if (bf16) {
            auto* p = static_cast<unsigned short*>(m.get_data_handle());
            for (std::size_t i = 0; i < bytes / 2; ++i) p[i] = 0x3c23;
        } else {
            auto* p = static_cast<float*>(m.get_data_handle());
            for (std::size_t i = 0; i < bytes / 4; ++i) p[i] = 0.01f;
        }
    };
    fill(x, dt == memory::data_type::bf16);
    fill(w, dt == memory::data_type::bf16);
    dnnl::matmul mm(pd);
    auto run = [&] {
        mm.execute(s, {{DNNL_ARG_SRC, x}, {DNNL_ARG_WEIGHTS, w}, {DNNL_ARG_DST, y}});
        s.wait();
    };
    run();
    double best = 1e30;
    for (int r = 0; r < 5; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        run();
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    std::printf("    implementation: %s\n", pd.impl_info_str());
    return 2.0 * static_cast<double>(n) * static_cast<double>(in) * static_cast<double>(out) / best / 1e9;
}

}  // namespace

int main() {
    dnnl::engine eng(dnnl::engine::kind::cpu, 0);
    dnnl::stream s(eng);
    struct Shape {
        const char* name;
        long n, in, out;
    };
    const Shape shapes[] = {{"110m_attn (512 x 768 -> 768)", 512, 768, 768},
                            {"110m_mlp (512 x 768 -> 2048)", 512, 768, 2048},
                            {"7b (128 x 4096 -> 14336)", 128, 4096, 14336}};
    std::printf("oneDNN %d.%d.%d, %s\n", dnnl_version()->major, dnnl_version()->minor, dnnl_version()->patch,
                dnnl_version()->cpu_runtime == DNNL_RUNTIME_OMP ? "OpenMP" : "other runtime");
    for (const auto& sh : shapes) {
        std::printf("%s\n", sh.name);
        std::printf("  float32: %.1f GFLOP/s\n", time_matmul(eng, s, dnnl::memory::data_type::f32, sh.n, sh.in, sh.out));
        std::printf("  bfloat16 x and W: %.1f GFLOP/s\n",
                    time_matmul(eng, s, dnnl::memory::data_type::bf16, sh.n, sh.in, sh.out));
    }
}
