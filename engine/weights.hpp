// Weights of a model folder, looked up by name with their shape checked against the config.
// get() gives float32: F32 tensors are used in place from the mapping (no copy: peak memory stays
// near the file size); F16/BF16/F64 are converted once at load and their source pages dropped.
// matrix() gives what ops::linear multiplies: under float32 compute the same as get(); under
// bfloat16 compute the tensor as bfloat16, used in place when stored as BF16 and converted once
// (F32, F16: rounded to nearest even) otherwise, so a bf16 checkpoint peaks near its file size;
// under int8 compute quantized at load (ops/quantize.hpp) when its rows are whole blocks of 32,
// else as get().
//
// Why at load and not on the fly: bench/engine_bench.cpp measures converting every weight of the
// 110M-parameter bench model (BM_bf16_convert_all_weights, ~115 ms on the 2-core dev VM) against a
// decode step (BM_engine_decode, ~70 ms/token there). Converting on the fly would pay that on every
// forward pass, more than doubling decode time; at load it is paid once (BM_engine_load_bf16).
#pragma once
#include <cstddef>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config.hpp"
#include "engine/ops/ops.hpp"
#include "engine/safetensors.hpp"

namespace hubbench::engine {

class Weights {
public:
    // `dtype` float32, bfloat16 or int8 (automatic is resolved by the caller).
    explicit Weights(const std::filesystem::path& dir, ComputeDtype dtype = ComputeDtype::float32);
    ComputeDtype compute_dtype() const { return dtype_; }

    const TensorSource& source() const { return source_; }
    bool contains(std::string_view name) const { return source_.contains(name); }

    // (shape...) float32 data of `name`. Throws Error(not_found) for a missing tensor and
    // Error(invalid_input) for another shape, naming the file and the tensor. Asking twice for the
    // same tensor (tied weights) returns the same data.
    const float* get(const std::string& name, std::vector<std::size_t> shape);
    // Like get(), or nullptr when the tensor is absent.
    const float* find(const std::string& name, std::vector<std::size_t> shape);

    // A weight matrix for ops::linear (see above). A tensor already loaded by get() (an input
    // embedding tied to the LM head) is shared as float32 rather than held twice.
    ops::Matrix matrix(const std::string& name, std::vector<std::size_t> shape);
    // Like matrix(), or an empty matrix when the tensor is absent.
    ops::Matrix find_matrix(const std::string& name, std::vector<std::size_t> shape);

    // The first of `prefixes` under which `probe` exists ("bert." or "" for BertModel checkpoints);
    // the first prefix when none matches (so the error names the tensor the config implies).
    std::string resolve_prefix(std::initializer_list<std::string_view> prefixes, std::string_view probe) const;

    // Every tensor's elements, and the stored dtype(s) as transformers names them ("float32",
    // "bfloat16", "float16"; mixed files list each, "+"-joined).
    std::uint64_t parameter_count() const;
    std::string dtype_summary() const;

    // Bytes of weights held in memory (converted copies plus tensors used in place).
    std::size_t resident_weight_bytes() const { return resident_bytes_; }

private:
    TensorView checked(const std::string& name, const std::vector<std::size_t>& shape) const;
    ops::Matrix quantized(const TensorView& view, const std::string& name);  // int8: quantize_q8 at load

    TensorSource source_;
    ComputeDtype dtype_;
    std::vector<std::unique_ptr<float[]>> owned_;       // converted tensors
    std::vector<std::unique_ptr<std::uint16_t[]>> owned_bf16_;
    std::map<std::string, const float*, std::less<>> loaded_;
    std::map<std::string, const std::uint16_t*, std::less<>> loaded_bf16_;
    std::vector<std::unique_ptr<std::int8_t[]>> owned_q8_;  // their scales are in owned_
    std::map<std::string, ops::Matrix, std::less<>> loaded_q8_;
    std::size_t resident_bytes_ = 0;
};

}  // namespace hubbench::engine
