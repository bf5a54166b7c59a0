#include "engine/ops/parallel.hpp"

#include <atomic>

namespace hubbench::engine::ops {

namespace {
std::atomic<bool> enabled{false};
}

void set_row_parallelism(bool on) { enabled.store(on, std::memory_order_relaxed); }
bool row_parallelism() { return enabled.load(std::memory_order_relaxed); }

}  // namespace hubbench::engine::ops
