// Rotary position embeddings, rotate_half layout: for j < d/2,
//   out[j]       = x[j] cos(p f_j) - x[j + d/2] sin(p f_j)
//   out[j + d/2] = x[j + d/2] cos(p f_j) + x[j] sin(p f_j)
// mirroring modeling_llama.py apply_rotary_pos_emb / rotate_half. Inverse frequencies follow
// modeling_rope_utils.py: _compute_default_rope_parameters (1 / theta^(2i/d)),
// _compute_linear_scaling_rope_parameters (divided by factor) and _compute_llama3_parameters.
// _compute_longrope_parameters divides each frequency by a short or long factor and scales cos and
// sin by attention_factor. Angles are computed in double; attention_scaling is 1 for the others. With a partial
// rotary factor (modeling_gpt_neox.py apply_rotary_pos_emb: q[..., :rotary_dim] rotated,
// q[..., rotary_dim:] passed through) d is the rotary dimension, inv_freq included.
#include <algorithm>
#include <cmath>
#include <numbers>

#include <fmt/format.h>

#include "core/error.hpp"
#include "engine/ops/ops.hpp"
#include "engine/ops/parallel.hpp"

namespace hubbench::engine::ops {

Rope::Rope(const RopeConfig& config, std::size_t head_dim)
    : head_dim_(head_dim),
      // int(head_dim * partial_rotary_factor), as _compute_default_rope_parameters computes dim
      rotary_dim_(static_cast<std::size_t>(static_cast<double>(head_dim) * config.partial_rotary_factor)),
      attention_factor_(config.attention_factor) {
    const std::size_t half = rotary_dim_ / 2;
    auto& inv_freq = short_.inv_freq;
    inv_freq.resize(half);
    for (std::size_t i = 0; i < half; ++i)
        inv_freq[i] = 1.0 / std::pow(config.theta, static_cast<double>(2 * i) / static_cast<double>(rotary_dim_));
    if (config.type == "linear") {
        for (auto& f : inv_freq) f /= config.factor;
    } else if (config.type == "llama3") {
        const double old_context = static_cast<double>(config.original_max_positions);
        const double low_freq_wavelen = old_context / config.low_freq_factor;
        const double high_freq_wavelen = old_context / config.high_freq_factor;
        for (auto& f : inv_freq) {
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
    } else if (config.type == "longrope") {
        // _compute_longrope_parameters: inv_freq = 1 / (ext_factors * base^(2i/dim))
        if (config.short_factor.size() != half || config.long_factor.size() != half)
            throw Error(ErrorKind::invalid_input,
                        fmt::format("longrope short_factor and long_factor need {} values each (rotary dimensions / 2), "
                                    "not {} and {}", half, config.short_factor.size(), config.long_factor.size()));
        long_.inv_freq = inv_freq;
        for (std::size_t i = 0; i < half; ++i) {
            inv_freq[i] /= config.short_factor[i];
            long_.inv_freq[i] /= config.long_factor[i];
        }
        switch_at_ = config.original_max_positions;
    }
}

void Rope::Table::grow(std::size_t positions, double scale) {
    if (positions <= cached) return;
    positions = std::max(positions, 2 * cached);
    const std::size_t half = inv_freq.size();
    cos.resize(positions * half);
    sin.resize(positions * half);
    for (std::size_t p = cached; p < positions; ++p)
        for (std::size_t j = 0; j < half; ++j) {
            const double angle = static_cast<double>(p) * inv_freq[j];
            cos[p * half + j] = static_cast<float>(std::cos(angle) * scale);
            sin[p * half + j] = static_cast<float>(std::sin(angle) * scale);
        }
    cached = positions;
}

void Rope::apply(float* x, std::size_t n, std::size_t ld, std::size_t heads, std::span<const std::int32_t> positions) {
    std::int32_t max_pos = 0;
    for (auto p : positions) max_pos = std::max(max_pos, p);
    // longrope_frequency_update: seq_len = max(position_ids) + 1 > original_max_position_embeddings
    Table& table = switch_at_ && static_cast<std::size_t>(max_pos) + 1 > switch_at_ ? long_ : short_;
    table.grow(static_cast<std::size_t>(max_pos) + 1, attention_factor_);
    const std::size_t half = rotary_dim_ / 2;
#pragma omp parallel for if (parallel_rows(n * heads * head_dim_)) schedule(static)
    for (std::size_t i = 0; i < n; ++i) {
        const float* c = table.cos.data() + static_cast<std::size_t>(positions[i]) * half;
        const float* s = table.sin.data() + static_cast<std::size_t>(positions[i]) * half;
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
