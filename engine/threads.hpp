// Internal to the engine: which thread pool a forward pass's products run on.
#pragma once

namespace hubbench::engine {

// While alive (and `active`: the products run on the AVX-512 kernels, on OpenMP threads),
// OpenBLAS runs its products on the calling thread only, and the row-wise ops and attention's
// heads are split over OpenMP threads (ops::set_row_parallelism). OpenBLAS's pthreads workers keep
// spinning on sched_yield for a while after each product they share, so an OpenMP team that starts
// meanwhile finds its cores taken: measured with bench/engine_bench.cpp (BM_engine_prefill_hidden_bf16,
// 2 cores), bfloat16 prefill, its products on OpenMP, ran at 396 tokens/s with the attention's
// sgemm calls on OpenBLAS's workers and at 585 with them on the calling thread. Inside the guard,
// OpenBLAS runs single-threaded: within OpenMP jobs (attention, one head each) and for float32
// products too narrow for the kernel (linear.cpp).
class BlasOnCallingThread {
public:
    explicit BlasOnCallingThread(bool active);
    ~BlasOnCallingThread();
    BlasOnCallingThread(const BlasOnCallingThread&) = delete;
    BlasOnCallingThread& operator=(const BlasOnCallingThread&) = delete;

private:
    bool active_ = false;
    bool rows_were_parallel_ = false;
    int saved_ = 0;  // OpenBLAS's thread count to restore; 0 when it was 1
};

}  // namespace hubbench::engine
