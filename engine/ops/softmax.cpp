// Row-wise softmax with the maximum subtracted (what torch.softmax computes); -inf entries (masked
// keys) become exactly 0.
#include <cmath>
#include <limits>

#include "engine/ops/ops.hpp"

namespace hubbench::engine::ops {

void softmax_rows(float* x, std::size_t n, std::size_t c, std::size_t ld) {
    for (std::size_t i = 0; i < n; ++i) {
        float* row = x + i * ld;
        float max = -std::numeric_limits<float>::infinity();
        for (std::size_t j = 0; j < c; ++j) max = row[j] > max ? row[j] : max;
        if (max == -std::numeric_limits<float>::infinity()) {  // every key masked: no attention
            for (std::size_t j = 0; j < c; ++j) row[j] = 0.0f;
            continue;
        }
        float sum = 0.0f;
        for (std::size_t j = 0; j < c; ++j) {
            row[j] = std::exp(row[j] - max);
            sum += row[j];
        }
        const float inv = 1.0f / sum;
        for (std::size_t j = 0; j < c; ++j) row[j] *= inv;
    }
}

}  // namespace hubbench::engine::ops
