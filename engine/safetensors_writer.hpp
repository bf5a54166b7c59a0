// Writes safetensors files (the benchmark model generator, tests that need a damaged or altered
// model). Layout as huggingface/safetensors writes it: the JSON header padded with spaces to a
// multiple of 8 bytes, tensors stored one after another in the order given.
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/safetensors_header.hpp"

namespace hubbench::engine {

struct TensorToWrite {
    std::string name;
    Dtype dtype = Dtype::f32;
    std::vector<std::uint64_t> shape;
    std::string_view bytes;  // element_count * dtype_size bytes, little-endian
};

// Writes to a temporary file beside `path`, then renames it over `path`. Throws Error(io) naming
// the path, or Error(invalid_input) when a tensor's bytes do not match its shape.
void write_safetensors(const std::filesystem::path& path, std::span<const TensorToWrite> tensors,
                       const std::map<std::string, std::string>& metadata = {{"format", "pt"}});

// float32 -> bfloat16 with round-to-nearest-even (what torch's .to(torch.bfloat16) does).
std::uint16_t float_to_bfloat16(float f) noexcept;

}  // namespace hubbench::engine
