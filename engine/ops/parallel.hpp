// When a row-wise op is worth splitting over OpenMP threads: below this many elements the fork/join
// costs more than it saves (and OpenBLAS's own threads may still be spinning after a product).
#pragma once
#include <cstddef>

namespace hubbench::engine::ops {
inline constexpr std::size_t parallel_min_elements = 1 << 16;
}
