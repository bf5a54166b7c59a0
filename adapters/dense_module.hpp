// sentence-transformers' Dense module (sentence_transformers/base/modules/dense.py, models.Dense
// before 5.x): a linear layer and an activation applied to the pooled sentence embedding, as
// LaBSE (CLS -> Dense 768->768 tanh) and distiluse-base-multilingual (mean -> Dense 768->512 tanh)
// use it. Its folder ("2_Dense") holds config.json and model.safetensors.
#pragma once
#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace hubbench::adapters {

// The activation_function values sentence-transformers saves (fullname() of a torch.nn module).
enum class DenseActivation { identity, tanh, relu, gelu, sigmoid, silu };

struct DenseModule {
    std::filesystem::path folder;  // <snapshot>/2_Dense, for messages
    std::size_t in = 0, out = 0;   // in_features, out_features
    std::vector<float> weight;     // (out, in): linear.weight
    std::vector<float> bias;       // (out) linear.bias, or empty (bias false)
    DenseActivation activation = DenseActivation::tanh;  // Dense.__init__'s default
    // use_residual: the input is added to the output, through residual.weight (out, in, no bias)
    // when the sizes differ.
    bool use_residual = false;
    std::vector<float> residual;

    // activation(W x + b) [+ x or R x]; x has `in` values. Accumulates in double.
    std::vector<float> apply(std::span<const float> x) const;
    std::string describe() const;  // "dense(768->512,tanh)"
};

// Reads <folder>/config.json and <folder>/model.safetensors. Throws Error(invalid_input) naming the
// file and field for a malformed config or a tensor of another shape, Error(unsupported) for an
// activation it does not know or weights only in PyTorch's pickle format (pytorch_model.bin).
DenseModule read_dense_module(const std::filesystem::path& folder);

}  // namespace hubbench::adapters
