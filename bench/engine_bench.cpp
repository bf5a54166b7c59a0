// Native engine benchmarks on a realistic model: a 12-layer, 768-hidden LLaMA-architecture
// decoder with random weights (110.1M parameters, bench/tools/bench_model.hpp), written on first
// use into <build>/bench-models.
//
//   BM_sgemm_peak                 OpenBLAS sgemm GFLOP/s (2048^3, all threads): the machine's peak
//   BM_stream_read                read bandwidth over 1 GiB (all threads): the bound of a decode step
//   BM_linear_gemv/{0,1,2,3,4}    one row times an 8192x8192 weight: float32 (sgemv), bfloat16
//                                 AVX-512, bfloat16 portable, float32 AVX-512, int8 AVX-512; GB/s
//                                 of weights read
//   BM_linear_gemv_110m_step/{0,1,2}  one row through all 85 matrices of the 110M model in turn,
//                                 as a decode step reads them (short rows, one product after
//                                 another), float32, bfloat16, int8 on the AVX-512 kernels; GB/s
//   BM_linear_gemm_7b/{0,1,2,3}   128 rows times a 14336x4096 weight: float32 OpenBLAS sgemm,
//                                 float32, bfloat16 (on vdpbf16ps where the CPU has AVX512-BF16)
//                                 and int8 through gemm_avx512.cpp's kernel; GFLOP/s
//   BM_linear_gemm_110m_{attn,mlp}/{0,1,2,3}  the same for the 110M model's 512 x 768 x {768, 2048}
//   BM_attention_prefill/{0,1}    causal attention of 512 queries, 12 heads of 64 (the 110M
//                                 model's): OpenBLAS path, attention_avx512.cpp's kernel; GFLOP/s
//   BM_engine_prefill_logits      one 512-token sequence, logits of every position (perplexity's
//                                 workload); tokens/s, GFLOP/s and the fraction of the sgemm peak
//                                 (median over passes, each against a peak taken just before it)
//   BM_engine_prefill_{logits,hidden}_bf16  the same from the bf16 checkpoint with --dtype bfloat16
//                                 (its fraction is still of the float32 sgemm peak: above 1 where
//                                 the products run on AVX512-BF16's vdpbf16ps, twice an FMA's work)
//   BM_engine_prefill_{logits,hidden}_int8  the same with --dtype int8 (quantized at load, ops/quantize.hpp)
//                                 (hidden: no LM head, as llama.cpp's pp512, which computes the
//                                 last position's logits only)
//   BM_engine_prefill_hidden      the same without the LM head (embeddings' workload)
//   BM_engine_prefill_hidden_openblas  the same with the AVX-512 kernels off (HUBBENCH_NO_AVX512):
//                                 float32 products on OpenBLAS's threads, row-wise ops on one
//   BM_engine_decode              tokens/s of greedy steps with the KV cache after a 128-token prompt,
//                                 and their fraction of the bandwidth bound (read bandwidth ÷ bytes
//                                 of weights read per token; median over runs, each against a
//                                 bandwidth measured just before it)
//   BM_engine_decode_bf16         the same with --dtype bfloat16
//   BM_engine_decode_int8         the same with --dtype int8 (its bound counts the int8 values and scales)
//   BM_engine_load_{f32,bf16}     Model::load (weights in the page cache)
//   BM_bf16_convert_all_weights   converting every bf16 weight to float32 once: what converting on
//                                 the fly would add to EVERY forward pass (compare with a decode step)
//   BM_engine_peak_rss_{f32,bf16} peak RSS (VmHWM) of a fresh process that loads, prefills 512
//                                 tokens (all logits) and decodes 16, against the float32 weights
//   BM_engine_peak_rss_bf16_compute  the same from the bf16 checkpoint with --dtype bfloat16,
//                                 against the file's size
//   BM_engine_peak_rss_int8_compute  the same from the bf16 checkpoint with --dtype int8
//   BM_engine_7b_{bf16,int8}      the 7B-shaped model (hubbench-make-bench-model --bf16 --7b; its
//                                 folder in HUBBENCH_BENCH_7B) in a fresh process with --dtype
//                                 bfloat16 or int8: load, prefill 128 tokens, decode 16; peak RSS
//                                 against the files, tokens/s
//
// Run: build/<dir>/bench/hubbench-bench --benchmark_filter='engine|sgemm|bf16'
#include <benchmark/benchmark.h>
#include <cblas.h>
#include <immintrin.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/tools/bench_model.hpp"
#include "engine/model.hpp"
#include "engine/ops/ops.hpp"
#include "engine/ops/parallel.hpp"
#include "engine/safetensors.hpp"
#include "engine/threads.hpp"

namespace {

using hubbench::Dtype;
using hubbench::bench::BenchModelShape;
namespace engine = hubbench::engine;

constexpr std::size_t prefill_tokens = 512;

std::filesystem::path model_dir(Dtype dtype) {
    auto dir = hubbench::bench::bench_model_dir(dtype);
    hubbench::bench::write_bench_model(dir, dtype);  // no-op when already there
    return dir;
}

std::vector<std::int32_t> token_ids(std::size_t n, std::uint32_t seed = 1) {
    std::vector<std::int32_t> ids(n);
    std::uint32_t x = seed;
    for (auto& id : ids) {
        x = x * 1664525u + 1013904223u;
        id = static_cast<std::int32_t>(3 + (x >> 8) % (BenchModelShape{}.vocab - 3));
    }
    return ids;
}

double sgemm_gflops(std::size_t n, int repeats) {
    std::vector<float> a(n * n, 0.5f), b(n * n, 0.25f), c(n * n);
    const auto nn = static_cast<blasint>(n);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, nn, nn, nn, 1.0f, a.data(), nn, b.data(), nn, 0.0f, c.data(), nn);
    double best = 1e30;
    for (int r = 0; r < repeats; ++r) {
        auto t0 = std::chrono::steady_clock::now();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, nn, nn, nn, 1.0f, a.data(), nn, b.data(), nn, 0.0f, c.data(),
                    nn);
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    return 2.0 * static_cast<double>(n * n * n) / best / 1e9;
}


double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n == 0 ? 0.0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}


// Matrix-product FLOPs of a causal prefill of t tokens: every linear layer (2 per weight per
// token), the LM head when `with_head`, and attention over the keys each query sees.
double prefill_flops(std::size_t t, bool with_head) {
    const BenchModelShape s;
    const double c = static_cast<double>(s.hidden), d = c / static_cast<double>(s.heads);
    const double kv = d * static_cast<double>(s.kv_heads), inter = static_cast<double>(s.intermediate);
    const double per_token_linear = static_cast<double>(s.layers) * 2.0 * (c * c + 2 * c * kv + c * c + 3 * c * inter);
    const double head = with_head ? 2.0 * c * static_cast<double>(s.vocab) : 0.0;
    const double tt = static_cast<double>(t);
    const double attention = static_cast<double>(s.layers) * 4.0 * c * tt * (tt + 1) / 2.0;
    return tt * (per_token_linear + head) + attention;
}

void BM_sgemm_peak(benchmark::State& state) {
    const std::size_t n = static_cast<std::size_t>(state.range(0));
    std::vector<float> a(n * n, 0.5f), b(n * n, 0.25f), c(n * n);
    const auto nn = static_cast<blasint>(n);
    for (auto _ : state)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, nn, nn, nn, 1.0f, a.data(), nn, b.data(), nn, 0.0f, c.data(),
                    nn);
    state.counters["GFLOPs"] = benchmark::Counter(2.0 * static_cast<double>(n * n * n) * static_cast<double>(state.iterations()) / 1e9,
                                                  benchmark::Counter::kIsRate);
    state.counters["threads"] = engine::num_threads();
}
BENCHMARK(BM_sgemm_peak)->Arg(2048)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);

void prefill(benchmark::State& state, bool logits, engine::ComputeDtype dtype = engine::ComputeDtype::float32) {
    const bool bf16 = dtype == engine::ComputeDtype::bfloat16;
    auto model = engine::Model::load(model_dir(bf16 ? Dtype::bf16 : Dtype::f32), {dtype});
    std::vector<std::vector<std::int32_t>> batch{token_ids(prefill_tokens)};
    float sink = 0;
    auto touch = [&](std::size_t, const float* rows, std::size_t n) { sink += rows[n - 1]; };
    // One untimed pass: first-touch page faults of the activations are not the steady state.
    model->forward_hidden(batch, touch);
    // Each pass is paired with an sgemm peak measured right before it, untimed (best of 2 runs of
    // 2048^3), and the fraction of the peak is the median of the passes' own fractions: this VM's
    // speed moved by 1.7x within seconds on 2026-12-04 (sgemm 154 and 268 GFLOP/s), so a peak
    // taken once, even once per benchmark, made the fraction depend on when it was taken.
    const double flops = prefill_flops(prefill_tokens, logits);
    std::vector<double> peaks, fractions;
    for (auto _ : state) {
        state.PauseTiming();
        peaks.push_back(sgemm_gflops(2048, 2));
        // OpenBLAS's workers spin for about 2^28 cycles after a call (its THREAD_TIMEOUT) before
        // they sleep; the pass must not share the cores with them.
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        state.ResumeTiming();
        const auto t0 = std::chrono::steady_clock::now();
        if (logits)
            model->forward_logits(batch, touch);
        else
            model->forward_hidden(batch, touch);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        fractions.push_back(flops / seconds / 1e9 / peaks.back());
    }
    benchmark::DoNotOptimize(sink);
    const double iterations = static_cast<double>(state.iterations());
    state.counters["tokens_per_s"] = benchmark::Counter(static_cast<double>(prefill_tokens) * iterations, benchmark::Counter::kIsRate);
    state.counters["GFLOPs"] = benchmark::Counter(flops * iterations / 1e9, benchmark::Counter::kIsRate);
    state.counters["sgemm_peak_GFLOPs"] = median(peaks);
    state.counters["fraction_of_peak"] = median(fractions);
    state.counters["threads"] = engine::num_threads();
}

void BM_engine_prefill_logits(benchmark::State& state) { prefill(state, true); }
void BM_engine_prefill_hidden(benchmark::State& state) { prefill(state, false); }
BENCHMARK(BM_engine_prefill_logits)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);
BENCHMARK(BM_engine_prefill_hidden)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);
void BM_engine_prefill_hidden_openblas(benchmark::State& state) {
    const bool had = engine::ops::avx512_enabled();
    engine::ops::set_avx512_enabled(false);
    prefill(state, false);
    engine::ops::set_avx512_enabled(had);
}
BENCHMARK(BM_engine_prefill_hidden_openblas)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
void BM_engine_prefill_logits_bf16(benchmark::State& state) { prefill(state, true, engine::ComputeDtype::bfloat16); }
void BM_engine_prefill_hidden_bf16(benchmark::State& state) { prefill(state, false, engine::ComputeDtype::bfloat16); }
BENCHMARK(BM_engine_prefill_logits_bf16)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(BM_engine_prefill_hidden_bf16)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
void BM_engine_prefill_logits_int8(benchmark::State& state) { prefill(state, true, engine::ComputeDtype::int8); }
void BM_engine_prefill_hidden_int8(benchmark::State& state) { prefill(state, false, engine::ComputeDtype::int8); }
BENCHMARK(BM_engine_prefill_logits_int8)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(BM_engine_prefill_hidden_int8)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);


// Read bandwidth: a sum over 1 GiB of floats on all compute threads, best of 5 (what a decode
// step does with the weights: read each once). With AVX-512, 64-byte loads into 8 independent
// accumulators, as the decode kernels (gemv_avx512.cpp) read; the portable loop's 16-byte adds
// measured 18.6-20.7 GB/s on 2026-12-04 while float32 decode read 26 GB/s, so it was not a bound.
__attribute__((target("avx512f"))) float sum_avx512(const float* data, std::size_t n) {
    __m512 acc[8];
    for (auto& a : acc) a = _mm512_setzero_ps();
    for (std::size_t i = 0; i < n; i += 128)
        for (std::size_t j = 0; j < 8; ++j) acc[j] = _mm512_add_ps(acc[j], _mm512_load_ps(data + i + 16 * j));
    for (std::size_t j = 1; j < 8; ++j) acc[0] = _mm512_add_ps(acc[0], acc[j]);
    alignas(64) float lanes[16];
    _mm512_store_ps(lanes, acc[0]);
    float sum = 0;
    for (float lane : lanes) sum += lane;
    return sum;
}

float sum_portable(const float* data, std::size_t n) {
    constexpr std::size_t lanes = 64;  // independent accumulators: vectorised without reassociation
    float acc[lanes] = {};
    for (std::size_t i = 0; i < n; i += lanes)
        for (std::size_t j = 0; j < lanes; ++j) acc[j] += data[i + j];
    float sum = 0;
    for (float a : acc) sum += a;
    return sum;
}

// GB/s of the best of `repeats` reads of 1 GiB (see above).
double read_bandwidth_gbs(int repeats) {
    const std::size_t n = (std::size_t{1} << 30) / sizeof(float);
    constexpr std::size_t chunk = std::size_t{1} << 16;  // floats per job: 256 KiB
    static float* const data = [n] {
        auto* d = static_cast<float*>(std::aligned_alloc(64, n * sizeof(float)));
        std::fill(d, d + n, 1.0f);
        return d;
    }();  // kept for the process: the paired decode measurements read it again
    const bool avx512 = engine::ops::avx512_enabled();
    double best = 1e30, sink = 0;
    for (int r = 0; r < repeats; ++r) {
        auto t0 = std::chrono::steady_clock::now();
        double sum = 0;
#pragma omp parallel for num_threads(engine::num_threads()) schedule(static) reduction(+ : sum)
        for (std::size_t i = 0; i < n; i += chunk)
            sum += avx512 ? sum_avx512(data + i, chunk) : sum_portable(data + i, chunk);
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        sink += sum;
    }
    benchmark::DoNotOptimize(sink);
    return static_cast<double>(n * sizeof(float)) / best / 1e9;
}

double stream_read_gbs() {
    static const double gbs = read_bandwidth_gbs(5);
    return gbs;
}

void BM_stream_read(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(stream_read_gbs());
    state.counters["GBs"] = stream_read_gbs();
    state.counters["threads"] = engine::num_threads();
}
BENCHMARK(BM_stream_read)->Unit(benchmark::kMillisecond)->Iterations(1);

// One row times an 8192x8192 weight (larger than L3: read from memory): 0 float32 (OpenBLAS sgemv),
// 1 bfloat16 with AVX-512, 2 bfloat16 portable, 3 float32 with AVX-512 (gemv_avx512.cpp), 4 int8
// with AVX-512 (GB/s counts the int8 values and their float32 scales).
void BM_linear_gemv(benchmark::State& state) {
    const std::size_t n = 8192;
    const int path = static_cast<int>(state.range(0));
    const bool f32 = path == 0 || path == 3, q8 = path == 4, bf16 = !f32 && !q8;
    std::vector<float> w32(f32 ? n * n : 0, 0.01f), x(n, 1.0f), y(n);
    std::vector<std::uint16_t> w16(bf16 ? n * n : 0, 0x3c23);  // bfloat16 0.01
    std::vector<std::int8_t> w8(q8 ? n * n : 0, 100);
    std::vector<float> scales(q8 ? n * n / engine::ops::q8_block : 0, 1e-4f);
    const bool had = engine::ops::avx512_enabled();
    engine::ops::set_avx512_enabled(path == 1 || path == 3 || path == 4);
    const engine::ops::Matrix matrix = f32 ? engine::ops::Matrix(w32.data())
                                       : q8 ? engine::ops::Matrix::q8(w8.data(), scales.data())
                                            : engine::ops::Matrix::bf16(w16.data());
    engine::ops::Linear layer{matrix, nullptr, n, n, false};
    for (auto _ : state) {
        engine::ops::linear(layer, x.data(), 1, y.data());
        benchmark::DoNotOptimize(y.data());
    }
    engine::ops::set_avx512_enabled(had);
    const double bytes = static_cast<double>(n * n) * (f32 ? 4.0 : q8 ? 1.0 + 4.0 / engine::ops::q8_block : 2.0);
    state.counters["GBs"] = benchmark::Counter(bytes * static_cast<double>(state.iterations()) / 1e9, benchmark::Counter::kIsRate);
    state.SetLabel(path == 0   ? "float32 sgemv"
                   : path == 1 ? "bf16 avx512"
                   : path == 2 ? "bf16 portable"
                   : path == 3 ? "float32 avx512"
                               : "int8 avx512");
}
BENCHMARK(BM_linear_gemv)->Arg(0)->Arg(1)->Arg(2)->Arg(3)->Arg(4)->Unit(benchmark::kMicrosecond)->UseRealTime();

// One row through the 110M model's matrices in the order of a decode step (per layer q, k, v, o
// 768 x 768, gate and up 2048 x 768, down 768 x 2048; then the 32768 x 768 LM head): 0 float32,
// 1 bfloat16, 2 int8, on the AVX-512 kernels. Rows of 768 are short: how the kernel streams
// them matters more than on BM_linear_gemv's 8192 (gemv_avx512.cpp's header).
void BM_linear_gemv_110m_step(benchmark::State& state) {
    const int path = static_cast<int>(state.range(0));
    const BenchModelShape shape;
    struct Shape {
        std::size_t in, out;
    };
    std::vector<Shape> shapes;
    for (std::size_t l = 0; l < shape.layers; ++l) {
        for (int i = 0; i < 4; ++i) shapes.push_back({shape.hidden, shape.hidden});
        shapes.push_back({shape.hidden, shape.intermediate});
        shapes.push_back({shape.hidden, shape.intermediate});
        shapes.push_back({shape.intermediate, shape.hidden});
    }
    shapes.push_back({shape.hidden, shape.vocab});
    std::size_t elements = 0;
    for (const auto& s : shapes) elements += s.in * s.out;
    std::vector<float> w32(path == 0 ? elements : 0, 0.01f);
    std::vector<std::uint16_t> w16(path == 1 ? elements : 0, 0x3c23);  // bfloat16 0.01
    std::vector<std::int8_t> w8(path == 2 ? elements : 0, 100);
    std::vector<float> scales(path == 2 ? elements / engine::ops::q8_block : 0, 1e-4f);
    std::vector<engine::ops::Linear> layers;
    std::size_t offset = 0;
    for (const auto& s : shapes) {
        const engine::ops::Matrix m = path == 0   ? engine::ops::Matrix(w32.data() + offset)
                                      : path == 1 ? engine::ops::Matrix::bf16(w16.data() + offset)
                                                  : engine::ops::Matrix::q8(w8.data() + offset, scales.data() + offset / engine::ops::q8_block);
        layers.push_back({m, nullptr, s.in, s.out, false});
        offset += s.in * s.out;
    }
    std::vector<float> x(shape.intermediate, 1.0f), y(shape.vocab);
    for (auto _ : state)
        for (const auto& layer : layers) {
            engine::ops::linear(layer, x.data(), 1, y.data());
            benchmark::DoNotOptimize(y.data());
        }
    const double bytes = static_cast<double>(elements) * (path == 0 ? 4.0 : path == 1 ? 2.0 : 1.0 + 4.0 / engine::ops::q8_block);
    state.counters["GBs"] = benchmark::Counter(bytes * static_cast<double>(state.iterations()) / 1e9, benchmark::Counter::kIsRate);
    state.SetLabel(path == 0 ? "float32" : path == 1 ? "bf16" : "int8");
}
BENCHMARK(BM_linear_gemv_110m_step)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// n rows times an (out, in) weight: path 0 float32 through OpenBLAS's sgemm (its own threads),
// 1 float32 through gemm_avx512.cpp's kernel, 2 bfloat16 and 3 int8 through the same kernel;
// GFLOP/s.
void linear_gemm(benchmark::State& state, std::size_t n, std::size_t in, std::size_t out) {
    const int path = static_cast<int>(state.range(0));
    const bool bf16 = path == 2, q8 = path == 3;
    std::vector<float> w32(bf16 || q8 ? 0 : in * out, 0.01f), x(n * in, 1.0f), y(n * out);
    std::vector<std::uint16_t> w16(bf16 ? in * out : 0, 0x3c23);
    std::vector<std::int8_t> w8(q8 ? in * out : 0, 100);
    std::vector<float> scales(q8 ? in * out / engine::ops::q8_block : 0, 1e-4f);
    const bool had = engine::ops::avx512_enabled();
    engine::ops::set_avx512_enabled(path != 0);
    const engine::ops::Matrix matrix = bf16 ? engine::ops::Matrix::bf16(w16.data())
                                       : q8 ? engine::ops::Matrix::q8(w8.data(), scales.data())
                                            : engine::ops::Matrix(w32.data());
    engine::ops::Linear layer{matrix, nullptr, in, out, false};
    {
        const engine::BlasOnCallingThread blas(path != 0);  // as a forward pass runs it
        for (auto _ : state) {
            engine::ops::linear(layer, x.data(), n, y.data());
            benchmark::DoNotOptimize(y.data());
        }
    }
    engine::ops::set_avx512_enabled(had);
    state.counters["GFLOPs"] = benchmark::Counter(2.0 * static_cast<double>(n * in * out) * static_cast<double>(state.iterations()) / 1e9,
                                                  benchmark::Counter::kIsRate);
    state.SetLabel(path == 0 ? "float32 OpenBLAS" : path == 1 ? "float32 avx512" : path == 2 ? "bf16 avx512" : "int8 avx512");
}
// Causal self-attention over 512 positions with the 110M model's heads: path 0 with the AVX-512
// kernels off (OpenBLAS's small products, on OpenMP threads as in a pass), 1 attention_avx512.cpp.
// GFLOP/s counts the products over the keys each query sees (2 x 2 x d per query-key pair).
void BM_attention_prefill(benchmark::State& state) {
    const bool kernel = state.range(0) == 1;
    const BenchModelShape shape;
    const std::size_t n = prefill_tokens, heads = shape.heads, d = shape.hidden / shape.heads, width = heads * d;
    std::vector<float> q(n * width), k(n * width), v(n * width), out(n * width);
    std::uint32_t seed = 7;
    for (auto* buffer : {&q, &k, &v})
        for (auto& x : *buffer) {
            seed = seed * 1664525u + 1013904223u;
            x = static_cast<float>(seed >> 8) / static_cast<float>(1u << 24) - 0.5f;
        }
    const engine::ops::AttentionParams params{heads, heads, d, 1.0f / std::sqrt(static_cast<float>(d)), true};
    const bool had = engine::ops::avx512_enabled();
    engine::ops::set_avx512_enabled(kernel);
    {
        const engine::BlasOnCallingThread blas(true);  // as a forward pass runs it
        for (auto _ : state) {
            engine::ops::attention(params, q.data(), width, k.data(), width, v.data(), width, n, n, out.data(), width);
            benchmark::DoNotOptimize(out.data());
        }
    }
    engine::ops::set_avx512_enabled(had);
    const double pairs = static_cast<double>(heads) * static_cast<double>(n) * static_cast<double>(n + 1) / 2.0;
    state.counters["GFLOPs"] = benchmark::Counter(4.0 * static_cast<double>(d) * pairs * static_cast<double>(state.iterations()) / 1e9,
                                                  benchmark::Counter::kIsRate);
    state.SetLabel(kernel ? "avx512" : "OpenBLAS");
}
BENCHMARK(BM_attention_prefill)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

// A 7B model's MLP projection: 128 rows times 14336x4096.
void BM_linear_gemm_7b(benchmark::State& state) { linear_gemm(state, 128, 4096, 14336); }
BENCHMARK(BM_linear_gemm_7b)->Arg(0)->Arg(1)->Arg(2)->Arg(3)->Unit(benchmark::kMillisecond)->UseRealTime();
// The 110M bench model's products at 512 tokens: 768 -> 768 (attention) and 768 -> 2048 (MLP).
void BM_linear_gemm_110m_attn(benchmark::State& state) { linear_gemm(state, 512, 768, 768); }
void BM_linear_gemm_110m_mlp(benchmark::State& state) { linear_gemm(state, 512, 768, 2048); }
BENCHMARK(BM_linear_gemm_110m_attn)->Arg(0)->Arg(1)->Arg(2)->Arg(3)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_linear_gemm_110m_mlp)->Arg(0)->Arg(1)->Arg(2)->Arg(3)->Unit(benchmark::kMillisecond)->UseRealTime();

void decode(benchmark::State& state, engine::ComputeDtype dtype) {
    const bool bf16 = dtype == engine::ComputeDtype::bfloat16;
    auto model = engine::Model::load(model_dir(bf16 ? Dtype::bf16 : Dtype::f32), {dtype});
    const auto prompt = token_ids(128, 2);
    const std::size_t steps = 32;
    // Every weight is read once per step (the tied embedding table as the LM head), the norms
    // aside: the bound is bandwidth ÷ those bytes. As for prefill's sgemm peak, each run is paired
    // with a bandwidth measured just before it (best of 2 reads of 1 GiB) and the fraction is the
    // median of the runs' own: this VM's read bandwidth moved between 31 and 51 GB/s from one run
    // to the next on 2026-12-05, and a bound taken once made the fraction depend on when.
    const double bytes_per_token = static_cast<double>(model->weight_bytes());
    std::vector<double> bounds, fractions;
    for (auto _ : state) {
        bounds.push_back(read_bandwidth_gbs(2) * 1e9 / bytes_per_token);
        auto session = model->start_session();
        const auto* logits = &session->append(prompt);
        auto t0 = std::chrono::steady_clock::now();
        for (std::size_t i = 0; i < steps; ++i) {
            const auto next = static_cast<std::int32_t>(std::max_element(logits->begin(), logits->end()) - logits->begin());
            logits = &session->append(std::span(&next, 1));
        }
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        state.SetIterationTime(seconds);
        fractions.push_back(static_cast<double>(steps) / seconds / bounds.back());
    }
    const double tokens = static_cast<double>(steps) * static_cast<double>(state.iterations());
    state.counters["tokens_per_s"] = benchmark::Counter(tokens, benchmark::Counter::kIsRate);
    state.counters["weights_MB_per_token"] = bytes_per_token / 1e6;
    state.counters["bound_tokens_per_s"] = median(bounds);
    state.counters["fraction_of_bound"] = median(fractions);
    state.counters["threads"] = engine::num_threads();
}
void BM_engine_decode(benchmark::State& state) { decode(state, engine::ComputeDtype::float32); }
void BM_engine_decode_bf16(benchmark::State& state) { decode(state, engine::ComputeDtype::bfloat16); }
BENCHMARK(BM_engine_decode)->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(3);
BENCHMARK(BM_engine_decode_bf16)->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(3);
void BM_engine_decode_int8(benchmark::State& state) { decode(state, engine::ComputeDtype::int8); }
BENCHMARK(BM_engine_decode_int8)->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(3);

void load(benchmark::State& state, Dtype dtype) {
    const auto dir = model_dir(dtype);
    engine::Model::load(dir);  // warms the page cache: measures load, not the disk
    for (auto _ : state) {
        auto model = engine::Model::load(dir);
        benchmark::DoNotOptimize(model.get());
    }
    state.counters["parameters"] = static_cast<double>(BenchModelShape{}.parameters());
}
void BM_engine_load_f32(benchmark::State& state) { load(state, Dtype::f32); }
void BM_engine_load_bf16(benchmark::State& state) { load(state, Dtype::bf16); }
BENCHMARK(BM_engine_load_f32)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(BM_engine_load_bf16)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

// Converting on the fly would convert each weight before its product, every forward pass; this is
// the cost of one such pass over all weights (into one reused scratch buffer, the cheapest way).
void BM_bf16_convert_all_weights(benchmark::State& state) {
    engine::SafetensorsFile file(model_dir(Dtype::bf16) / "model.safetensors");
    std::size_t largest = 0;
    for (const auto& t : file.header().tensors) largest = std::max<std::size_t>(largest, t.element_count());
    std::vector<float> scratch(largest);
    for (auto _ : state) {
        for (const auto& t : file.header().tensors) {
            auto view = file.find(t.name);
            engine::convert_to_float(t.dtype, view.data, t.element_count(), scratch.data(), t.name);
        }
        benchmark::DoNotOptimize(scratch.data());
    }
}
BENCHMARK(BM_bf16_convert_all_weights)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);

std::size_t vm_hwm_kib() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::stoul(line.substr(6));
    return 0;
}

// The peak-RSS workload runs in a fresh process (this binary re-executed with
// HUBBENCH_ENGINE_RSS_CHILD=<model dir>), so that nothing the benchmark process allocated before,
// and no thread pool state copied by fork(), is counted. It runs before main() and prints VmHWM.
[[maybe_unused]] const bool rss_child = [] {
    const char* dir = std::getenv("HUBBENCH_ENGINE_RSS_CHILD");
    if (!dir) return false;
    const char* dtype_text = std::getenv("HUBBENCH_ENGINE_RSS_DTYPE");
    const char* prefill_text = std::getenv("HUBBENCH_ENGINE_RSS_PREFILL");
    const auto dtype = engine::parse_compute_dtype(dtype_text ? dtype_text : "float32").value_or(engine::ComputeDtype::float32);
    const std::size_t prefill = prefill_text ? std::stoul(prefill_text) : prefill_tokens;
    double prefill_s = 0, decode_s = 0, load_s = 0;
    {
        auto t0 = std::chrono::steady_clock::now();
        auto model = engine::Model::load(dir, {dtype});
        auto t1 = std::chrono::steady_clock::now();
        // The prompt's logits at every position (perplexity's workload), then 16 greedy steps.
        std::vector<std::vector<std::int32_t>> batch{token_ids(prefill)};
        model->forward_logits(batch, [](std::size_t, const float*, std::size_t) {});
        auto t2 = std::chrono::steady_clock::now();
        auto session = model->start_session();
        const auto* logits = &session->append(token_ids(16, 3));
        auto t3 = std::chrono::steady_clock::now();
        for (int i = 0; i < 16; ++i) {
            const auto next = static_cast<std::int32_t>(std::max_element(logits->begin(), logits->end()) - logits->begin());
            logits = &session->append(std::span(&next, 1));
        }
        auto t4 = std::chrono::steady_clock::now();
        load_s = std::chrono::duration<double>(t1 - t0).count();
        prefill_s = std::chrono::duration<double>(t2 - t1).count();
        decode_s = std::chrono::duration<double>(t4 - t3).count();
    }
    std::printf("%zu %.6f %.6f %.6f\n", vm_hwm_kib(), load_s, prefill_s, decode_s);
    std::fflush(stdout);
    _exit(0);
}();

struct ChildRun {
    double peak_mib = 0, load_s = 0, prefill_s = 0, decode_s = 0;
};

// This binary re-executed on `dir` (see rss_child); false when it failed.
bool run_child(const std::filesystem::path& dir, const char* dtype, std::size_t prefill, ChildRun& out) {
    const std::string command = "HUBBENCH_ENGINE_RSS_CHILD='" + dir.string() + "' HUBBENCH_ENGINE_RSS_DTYPE=" + dtype +
                                " HUBBENCH_ENGINE_RSS_PREFILL=" + std::to_string(prefill) + " /proc/" + std::to_string(getpid()) + "/exe";
    std::FILE* child = popen(command.c_str(), "r");
    std::size_t kib = 0;
    if (!child) return false;
    const bool read = std::fscanf(child, "%zu %lf %lf %lf", &kib, &out.load_s, &out.prefill_s, &out.decode_s) == 4;
    if (pclose(child) != 0 || !read || kib == 0) return false;
    out.peak_mib = static_cast<double>(kib) / 1024.0;
    return true;
}

std::uint64_t weight_file_bytes(const std::filesystem::path& dir) {
    std::uint64_t total = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        if (entry.path().extension() == ".safetensors") total += entry.file_size();
    return total;
}

void peak_rss(benchmark::State& state, Dtype dtype, const char* compute) {
    const auto dir = model_dir(dtype);
    ChildRun run;
    for (auto _ : state) {
        if (!run_child(dir, compute, prefill_tokens, run)) {
            state.SkipWithError("peak RSS child failed");
            return;
        }
    }
    const double weights_mib = static_cast<double>(BenchModelShape{}.parameters()) * 4.0 / (1024.0 * 1024.0);
    const double file_mib = static_cast<double>(weight_file_bytes(dir)) / (1024.0 * 1024.0);
    state.counters["peak_rss_MiB"] = run.peak_mib;
    state.counters["f32_weights_MiB"] = weights_mib;
    state.counters["file_MiB"] = file_mib;
    state.counters["ratio"] = run.peak_mib / weights_mib;
    state.counters["ratio_to_file"] = run.peak_mib / file_mib;
}
void BM_engine_peak_rss_f32(benchmark::State& state) { peak_rss(state, Dtype::f32, "float32"); }
void BM_engine_peak_rss_bf16(benchmark::State& state) { peak_rss(state, Dtype::bf16, "float32"); }
void BM_engine_peak_rss_bf16_compute(benchmark::State& state) { peak_rss(state, Dtype::bf16, "bfloat16"); }
BENCHMARK(BM_engine_peak_rss_f32)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
BENCHMARK(BM_engine_peak_rss_bf16)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
BENCHMARK(BM_engine_peak_rss_bf16_compute)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
void BM_engine_peak_rss_int8_compute(benchmark::State& state) { peak_rss(state, Dtype::bf16, "int8"); }
BENCHMARK(BM_engine_peak_rss_int8_compute)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

void engine_7b(benchmark::State& state, const char* compute) {
    const char* dir = std::getenv("HUBBENCH_BENCH_7B");
    if (dir == nullptr) {
        state.SkipWithError("set HUBBENCH_BENCH_7B to a folder written by hubbench-make-bench-model --bf16 --7b");
        return;
    }
    ChildRun run;
    for (auto _ : state) {
        if (!run_child(dir, compute, 128, run)) {
            state.SkipWithError("7B child failed");
            return;
        }
    }
    const double file_mib = static_cast<double>(weight_file_bytes(dir)) / (1024.0 * 1024.0);
    state.counters["peak_rss_MiB"] = run.peak_mib;
    state.counters["file_MiB"] = file_mib;
    state.counters["ratio_to_file"] = run.peak_mib / file_mib;
    state.counters["load_s"] = run.load_s;
    state.counters["prefill_tokens_per_s"] = 128.0 / run.prefill_s;
    state.counters["decode_tokens_per_s"] = 16.0 / run.decode_s;
}
void BM_engine_7b_bf16(benchmark::State& state) { engine_7b(state, "bfloat16"); }
void BM_engine_7b_int8(benchmark::State& state) { engine_7b(state, "int8"); }
BENCHMARK(BM_engine_7b_bf16)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);
BENCHMARK(BM_engine_7b_int8)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);

}  // namespace
