// Sentence embeddings from a last hidden state, configured the way sentence-transformers is:
// modules.json lists Transformer -> Pooling (1_Pooling/config.json) -> [Dense ...] -> [Normalize],
// and sentence_bert_config.json sets max_seq_length / do_lower_case. Without modules.json we use
// mean pooling over every token (special ones included), as docs/references.md defines it.
#pragma once
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "adapters/dense_module.hpp"

namespace hubbench::adapters {

// The modes sentence-transformers' Pooling can concatenate, in its output order
// (mirrors sentence_transformers/models/Pooling.py forward()).
enum class PoolingMode { cls, max, mean, mean_sqrt_len, weighted_mean, last_token };
const char* pooling_mode_name(PoolingMode mode);

struct PoolingConfig {
    std::vector<PoolingMode> modes{PoolingMode::mean};  // concatenated in this order
    std::vector<DenseModule> dense;         // applied to the pooled vector, in modules.json order
    bool sentence_transformers = false;     // read from modules.json
    bool normalize_module = false;          // modules.json lists Normalize
    std::optional<std::size_t> max_seq_length;  // sentence_bert_config.json
    bool do_lower_case = false;
    std::optional<std::string> unsupported;  // a module we cannot run (e.g. WordEmbeddings), with its name

    std::string describe() const;  // "mean", "cls+mean", "cls+dense(768->768,tanh)", ...
    // The length of the vectors pool_and_normalize gives for this hidden size; throws
    // Error(invalid_input) naming the Dense module whose in_features does not match what enters it.
    std::size_t embedding_dimension(std::size_t hidden_size) const;
};

// Reads modules.json, the Pooling module's config.json and sentence_bert_config.json from a
// snapshot folder. Missing files mean the defaults above; malformed ones throw
// Error(invalid_input) naming the file.
PoolingConfig read_pooling_config(const std::filesystem::path& dir);

// Pools one sequence's hidden states (len, hidden) into a vector of modes.size() * hidden floats
// (summed in double), passes it through the Dense modules, then L2-normalises it.
std::vector<float> pool_and_normalize(const float* hidden /* (len, hidden) */, std::size_t len,
                                      std::size_t hidden_size, const PoolingConfig& config);

// Scales v to unit L2 norm (left as is when its norm is 0).
void l2_normalize(std::vector<float>& v);

}  // namespace hubbench::adapters
