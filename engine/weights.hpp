// Float32 weights of a model folder, looked up by name with their shape checked against the
// config. F32 tensors are used in place from the mapping (no copy: peak memory stays near the file
// size); F16/BF16/F64 are converted once at load and the source pages are dropped (see
// docs in bench/engine_bench.cpp for the load-time vs on-the-fly measurement behind this choice).
#pragma once
#include <cstddef>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/safetensors.hpp"

namespace hubbench::engine {

class Weights {
public:
    explicit Weights(const std::filesystem::path& dir);

    const TensorSource& source() const { return source_; }
    bool contains(std::string_view name) const { return source_.contains(name); }

    // (shape...) float32 data of `name`. Throws Error(not_found) for a missing tensor and
    // Error(invalid_input) for another shape, naming the file and the tensor. Asking twice for the
    // same tensor (tied weights) returns the same data.
    const float* get(const std::string& name, std::vector<std::size_t> shape);
    // Like get(), or nullptr when the tensor is absent.
    const float* find(const std::string& name, std::vector<std::size_t> shape);

    // The first of `prefixes` under which `probe` exists ("bert." or "" for BertModel checkpoints);
    // the first prefix when none matches (so the error names the tensor the config implies).
    std::string resolve_prefix(std::initializer_list<std::string_view> prefixes, std::string_view probe) const;

    // Every tensor's elements, and the stored dtype(s) as transformers names them ("float32",
    // "bfloat16", "float16"; mixed files list each, "+"-joined).
    std::uint64_t parameter_count() const;
    std::string dtype_summary() const;

    // Bytes of float32 weights held in memory (converted copies plus tensors used in place).
    std::size_t resident_weight_bytes() const { return resident_bytes_; }

private:
    TensorSource source_;
    std::vector<std::vector<float>> owned_;             // converted tensors
    std::map<std::string, const float*, std::less<>> loaded_;
    std::size_t resident_bytes_ = 0;
};

}  // namespace hubbench::engine
