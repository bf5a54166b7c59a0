// 8-bit weights (--dtype int8): llama.cpp's Q8_0 scheme (ggml-quants.c quantize_row_q8_0_ref).
// Each block of q8_block consecutive elements gets a scale d = max|x| / 127 and values
// q = round(x / d) in [-127, 127]; element i reads back as q[i] * d[i / q8_block]. llama.cpp keeps
// d in float16; here it stays float32 (4 bytes a block instead of 2: 1.125 bytes a weight against
// 1.0625), which removes one rounding.
#pragma once
#include <cstddef>
#include <cstdint>

namespace hubbench::engine::ops {

// values[i], scales[i / q8_block] for i < count; count a multiple of q8_block.
void quantize_q8(const float* src, std::size_t count, std::int8_t* values, float* scales);

// dst[j] = values[first + j] * scales[(first + j) / q8_block] for j < count: any range.
void dequantize_q8(const std::int8_t* values, const float* scales, std::size_t first, std::size_t count, float* dst);

}  // namespace hubbench::engine::ops
