// How `hubbench serve` shares one engine between requests. The engine's Model is not thread-safe
// and its compute threads are process-wide (engine::set_num_threads), so one request computes at a
// time: a FIFO lock (TurnLock) is taken for each engine step — a prompt's pass, one decode step, an
// embedding batch — and released while the chunk is written to the socket. Requests holding a slot
// therefore interleave token by token in arrival order (iteration-level scheduling without
// batching); requests beyond --max-concurrency wait for a slot in arrival order (Slots).
#pragma once
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>

namespace hubbench::serve {

// A mutex granted in the order it was asked for (a ticket lock), so a stream that unlocks and
// asks again goes behind the others instead of winning the race back.
class TurnLock {
public:
    void lock();
    void unlock();

private:
    std::mutex mutex_;
    std::condition_variable turn_;
    std::uint64_t next_ticket_ = 0;
    std::uint64_t serving_ = 0;
};

struct SlotCounts {
    std::size_t processing = 0;  // requests holding a slot
    std::size_t queued = 0;      // requests waiting for one
    std::size_t capacity = 0;
};

// At most `capacity` holders; the others wait in arrival order.
class Slots {
public:
    explicit Slots(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}
    void acquire();
    void release();
    SlotCounts counts() const;

private:
    mutable std::mutex mutex_;
    std::condition_variable freed_;
    std::size_t capacity_;
    std::size_t processing_ = 0;
    std::uint64_t next_ticket_ = 0;
    std::uint64_t admitted_ = 0;  // tickets below this have been let in
};

// Holds a slot for a scope.
class SlotGuard {
public:
    explicit SlotGuard(Slots& slots) : slots_(slots) { slots_.acquire(); }
    ~SlotGuard() { slots_.release(); }
    SlotGuard(const SlotGuard&) = delete;
    SlotGuard& operator=(const SlotGuard&) = delete;

private:
    Slots& slots_;
};

}  // namespace hubbench::serve
