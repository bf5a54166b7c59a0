// The benchmark model: a LLaMA-architecture decoder at a realistic size (12 layers, hidden 768,
// 12 heads, SwiGLU 2048, vocabulary 32768 with the Mistral-7B-v0.3 tokenizer from
// assets/tokenizers, tied embeddings: 110.1M parameters), random weights (normal, std 0.02; norms
// 1) from a fixed seed. Written as a Hugging Face folder (config.json, model.safetensors,
// tokenizer.json) into a build or temp folder, never into git.
#pragma once
#include <cstdint>
#include <filesystem>

#include "core/safetensors_header.hpp"

namespace hubbench::bench {

// splitmix64 with Box-Muller: a fixed, fast, portable stream of normal values
// (std::normal_distribution differs across libraries).
struct NormalStream {
    std::uint64_t state;
    std::uint64_t next();
    double uniform();
    void normal_pair(float& a, float& b);
};

struct BenchModelShape {
    std::size_t layers = 12, hidden = 768, heads = 12, kv_heads = 12, intermediate = 2048, vocab = 32768;
    std::size_t max_positions = 2048;
    std::uint64_t parameters() const;
    // Mistral-7B-v0.3's shape (32 layers, hidden 4096, 32 heads, 8 key/value heads, SwiGLU 14336,
    // the same 32768 vocabulary; tied here): 7.11B parameters, 14.2 GB in bfloat16.
    static BenchModelShape seven_b() { return {32, 4096, 32, 8, 14336, 32768, 4096}; }
};

// Writes the folder unless <dir>/config.json already exists with the same shape and dtype.
// dtype: Dtype::f32 or Dtype::bf16 (weights rounded to bfloat16).
void write_bench_model(const std::filesystem::path& dir, Dtype dtype, const BenchModelShape& shape = {});

// Where hubbench-bench keeps it: $HUBBENCH_BENCH_MODELS, else <build dir>/bench-models.
std::filesystem::path bench_model_dir(Dtype dtype);

}  // namespace hubbench::bench
