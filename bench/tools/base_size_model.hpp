// A fixture scaled up to BERT-base's layer stack, with random weights, so each architecture's
// forward pass is timed at a realistic size (bench/architectures_bench.cpp) without a download:
// hidden 768 (x6 the fixtures' 128), 12 layers, 3x the heads (4 -> 12) and key/value heads, twice
// an explicit head_dim, intermediate sizes x6; the vocabulary, position tables and bucket counts
// stay the fixture's. Tensor names and shapes follow from the fixture's own: layer i takes the
// tensors of fixture layer 0 (i = 0) or 1 + (i - 1) % (L - 1) (ModernBERT's layer 0 has no
// attn_norm), and its layer_types entry likewise; a dimension equal to the vocabulary is kept, the
// first dimension of position (GPT-2's wpe) / token-type / relative tables is kept, a relative bias's heads x3,
// a norm over head_dim x2, everything else x6. Norm weights are 1, the rest normal(0, 0.02).
#pragma once
#include <cstdint>
#include <filesystem>

namespace hubbench::bench {

// Writes config.json and model.safetensors (float32) into `out` from the fixture folder; returns
// the parameter count. Throws Error(invalid_input) for a fixture whose hidden size does not divide
// 768.
std::uint64_t write_base_size_model(const std::filesystem::path& fixture, const std::filesystem::path& out);

}  // namespace hubbench::bench
