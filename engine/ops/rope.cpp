// Rotary position embeddings, rotate_half layout: for j < d/2,
//   out[j]       = x[j] cos(p f_j) - x[j + d/2] sin(p f_j)
//   out[j + d/2] = x[j + d/2] cos(p f_j) + x[j] sin(p f_j)
// mirroring modeling_llama.py apply_rotary_pos_emb / rotate_half. Inverse frequencies follow
// modeling_rope_utils.py: _compute_default_rope_parameters (1 / theta^(2i/d)),
// _compute_linear_scaling_rope_parameters (divided by factor) and _compute_llama3_parameters.
// Angles are computed in double; attention_scaling is 1 for these three types. With a partial
// rotary factor (modeling_gpt_neox.py apply_rotary_pos_emb: q[..., :rotary_dim] rotated,
// q[..., rotary_dim:] passed through) d is the rotary dimension, inv_freq included.
#include <algorithm>
#include <cmath>
#include <numbers>

#include "engine/ops/ops.hpp"
#include "engine/ops/parallel.hpp"

namespace hubbench::engine::ops {

Rope::Rope(const RopeConfig& config, std::size_t head_dim)
    : head_dim_(head_dim),
      // int(head_dim * partial_rotary_factor), as _compute_default_rope_parameters computes dim
      rotary_dim_(static_cast<std::size_t>(static_cast<double>(head_dim) * config.partial_rotary_factor)) {
    const std::size_t half = rotary_dim_ / 2;
    inv_freq_.resize(half);
    for (std::size_t i = 0; i < half; ++i)
        inv_freq_[i] = 1.0 / std::pow(config.theta, static_cast<double>(2 * i) / static_cast<double>(rotary_dim_));
    if (config.type == "linear") {
        for (auto& f : inv_freq_) f /= config.factor;
    } else if (config.type == "llama3") {
        const double old_context = static_cast<double>(config.original_max_positions);
        const double low_freq_wavelen = old_context / config.low_freq_factor;
        const double high_freq_wavelen = old_context / config.high_freq_factor;
        for (auto& f : inv_freq_) {
            const double wavelen = 2.0 * std::numbers::pi / f;
            const double scaled = wavelen > low_freq_wavelen ? f / config.factor : f;
            const bool medium = !(wavelen < high_freq_wavelen) && !(wavelen > low_freq_wavelen);
            if (medium) {
                const double smooth = (old_context / wavelen - config.low_freq_factor) /
                                      (config.high_freq_factor - config.low_freq_factor);
                f = (1.0 - smooth) * scaled / config.factor + smooth * scaled;
            } else {
                f = scaled;
            }
        }
    }
}

void Rope::grow(std::size_t positions) {
    if (positions <= cached_) return;
    positions = std::max(positions, 2 * cached_);
    const std::size_t half = rotary_dim_ / 2;
    cos_.resize(positions * half);
    sin_.resize(positions * half);
    for (std::size_t p = cached_; p < positions; ++p)
        for (std::size_t j = 0; j < half; ++j) {
            const double angle = static_cast<double>(p) * inv_freq_[j];
            cos_[p * half + j] = static_cast<float>(std::cos(angle));
            sin_[p * half + j] = static_cast<float>(std::sin(angle));
        }
    cached_ = positions;
}

void Rope::apply(float* x, std::size_t n, std::size_t ld, std::size_t heads, std::span<const std::int32_t> positions) {
    std::int32_t max_pos = 0;
    for (auto p : positions) max_pos = std::max(max_pos, p);
    grow(static_cast<std::size_t>(max_pos) + 1);
    const std::size_t half = rotary_dim_ / 2;
#pragma omp parallel for if (parallel_rows(n * heads * head_dim_)) schedule(static)
    for (std::size_t i = 0; i < n; ++i) {
        const float* c = cos_.data() + static_cast<std::size_t>(positions[i]) * half;
        const float* s = sin_.data() + static_cast<std::size_t>(positions[i]) * half;
        for (std::size_t h = 0; h < heads; ++h) {
            float* v = x + i * ld + h * head_dim_;
            for (std::size_t j = 0; j < half; ++j) {
                const float a = v[j], b = v[j + half];
                v[j] = a * c[j] - b * s[j];
                v[j + half] = b * c[j] + a * s[j];
            }
        }
    }
}

}  // namespace hubbench::engine::ops
