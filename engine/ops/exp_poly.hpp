// exp(x) for x <= 0 as the Cephes single-precision polynomial (relative error about 1e-7, like
// expf), written without a libm call or a branch so that the compiler vectorises the loops that
// use it (softmax, SiLU).
#pragma once
#include <cstdint>
#include <cstring>

#include "engine/ops/unsanitized.hpp"

namespace hubbench::engine::ops {

// Unsanitized like its callers (softmax, SiLU): GCC does not inline a function into one whose
// sanitizer attributes differ, and out of line it was a fifth of a sanitizer build's perplexity run.
HUBBENCH_UNSANITIZED inline float exp_poly(float x) {
    // x <= 0 here. Below about -87.3 the result underflows float: return 0 (also for -inf).
    const bool tiny = x < -87.0f;
    x = tiny ? -87.0f : x;
    // x = n ln2 + r, |r| <= ln2 / 2; n rounded to nearest with the 1.5 * 2^23 trick (no libm call).
    const float n = (x * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
    const float r = x - n * 0.693359375f + n * 2.12194440e-4f;
    const float z = r * r;
    float y = 1.9875691500e-4f;
    y = y * r + 1.3981999507e-3f;
    y = y * r + 8.3334519073e-3f;
    y = y * r + 4.1665795894e-2f;
    y = y * r + 1.6666665459e-1f;
    y = y * r + 5.0000001201e-1f;
    y = y * z + r + 1.0f;
    // y * 2^n through the exponent bits (n >= -126 after the clamp).
    const std::int32_t bits = (static_cast<std::int32_t>(n) + 127) << 23;
    float scale;
    std::memcpy(&scale, &bits, sizeof scale);
    return tiny ? 0.0f : y * scale;
}

}  // namespace hubbench::engine::ops
