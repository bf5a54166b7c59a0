// Internal to the engine: which thread pool a forward pass's products run on.
#pragma once

namespace hubbench::engine {

// While alive (and `active`), OpenBLAS runs its products on the calling thread only. OpenBLAS's
// pthreads workers keep spinning on sched_yield for a while after each product they share, so an
// OpenMP team that starts meanwhile finds its cores taken: measured with bench/engine_bench.cpp
// (BM_engine_prefill_hidden_bf16, 2 cores), bfloat16 prefill, its products on OpenMP
// (gemm_bf16.cpp), ran at 396 tokens/s with the attention's sgemm calls on OpenBLAS's workers and at
// 585 with them on the calling thread. The attention's products are a few percent of the FLOPs.
// The model's compute dtype decides: bfloat16 with the AVX-512 kernels is active; float32 (every
// product on OpenBLAS) is not.
class BlasOnCallingThread {
public:
    explicit BlasOnCallingThread(bool active);
    ~BlasOnCallingThread();
    BlasOnCallingThread(const BlasOnCallingThread&) = delete;
    BlasOnCallingThread& operator=(const BlasOnCallingThread&) = delete;

private:
    int saved_ = 0;  // OpenBLAS's thread count to restore; 0 when inactive
};

}  // namespace hubbench::engine
