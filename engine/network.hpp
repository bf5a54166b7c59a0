// Internal interface between Model (engine/model.cpp) and the architectures (engine/models/*.cpp).
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "engine/config.hpp"

namespace hubbench::engine {

class Weights;

// Sequences packed one after another: sequence b is ids[offsets[b] .. offsets[b+1]).
struct PackedBatch {
    std::vector<std::int32_t> ids;       // (N)
    std::vector<std::size_t> offsets;    // (B + 1)

    std::size_t size() const { return offsets.empty() ? 0 : offsets.size() - 1; }
    std::size_t rows() const { return ids.size(); }
    std::size_t begin(std::size_t b) const { return offsets[b]; }
    std::size_t length(std::size_t b) const { return offsets[b + 1] - offsets[b]; }
    std::span<const std::int32_t> sequence(std::size_t b) const { return {ids.data() + begin(b), length(b)}; }
};

// Keys and values of one decoding sequence, per layer (capacity, kv_dim), rows [0, length) valid.
struct KvCache {
    std::vector<std::vector<float>> k, v;
    std::size_t length = 0;
    std::size_t capacity = 0;
    std::size_t kv_dim = 0;
    // Branching: every sequence of the batch continues the cached positions on its own (the
    // choices of one multiple-choice item after their shared context), and none is appended.
    bool shared_prefix = false;

    // Makes room for `total` positions (grows geometrically, keeping the rows already there).
    void reserve(std::size_t total);
    // Around a forward pass of `n` new rows: room for them, then count them as cached (both do
    // nothing for a shared prefix).
    void prepare_append(std::size_t n) {
        if (!shared_prefix) reserve(length + n);
    }
    void commit_append(std::size_t n) {
        if (!shared_prefix) length += n;
    }
};

class Network {
public:
    virtual ~Network() = default;
    // hidden (N, hidden_size): the last hidden state of every token (after the final norm for
    // decoders). With `cache` (decoders; batch of one sequence) the tokens continue the cached
    // sequence and their keys and values are appended to it; with a shared-prefix cache every
    // sequence of the batch continues the cached positions and nothing is appended.
    virtual void forward(const PackedBatch& batch, KvCache* cache, float* hidden) = 0;
    virtual bool has_head() const = 0;
    // logits (n, vocab_size) from hidden rows (n, hidden_size).
    virtual void head(const float* hidden, std::size_t n, float* logits) = 0;
    // A cache shaped for this network (decoders).
    virtual std::unique_ptr<KvCache> make_cache() const = 0;
};

// engine/models/*.cpp: each architecture's config reader and factory, the two halves of its row in
// engine/architectures.cpp.
class ConfigReader;
void read_gpt2_config(const ConfigReader& reader, ModelConfig& config);
std::unique_ptr<Network> make_gpt2(const ModelConfig& config, Weights& weights);
void read_gemma2_config(const ConfigReader& reader, ModelConfig& config);
std::unique_ptr<Network> make_gemma2(const ModelConfig& config, Weights& weights);
void read_gemma3_config(const ConfigReader& reader, ModelConfig& config);
std::unique_ptr<Network> make_gemma3(const ModelConfig& config, Weights& weights);
void read_gpt_neox_config(const ConfigReader& reader, ModelConfig& config);
std::unique_ptr<Network> make_gpt_neox(const ModelConfig& config, Weights& weights);
void read_llama_config(const ConfigReader& reader, ModelConfig& config);
std::unique_ptr<Network> make_llama(const ModelConfig& config, Weights& weights);
void read_modernbert_config(const ConfigReader& reader, ModelConfig& config);
std::unique_ptr<Network> make_modernbert(const ModelConfig& config, Weights& weights);
void read_mpnet_config(const ConfigReader& reader, ModelConfig& config);
std::unique_ptr<Network> make_mpnet(const ModelConfig& config, Weights& weights);
void read_opt_config(const ConfigReader& reader, ModelConfig& config);
std::unique_ptr<Network> make_opt(const ModelConfig& config, Weights& weights);
void read_phi3_config(const ConfigReader& reader, ModelConfig& config);
std::unique_ptr<Network> make_phi3(const ModelConfig& config, Weights& weights);
void read_qwen2_config(const ConfigReader& reader, ModelConfig& config);
std::unique_ptr<Network> make_qwen2(const ModelConfig& config, Weights& weights);
void read_qwen3_config(const ConfigReader& reader, ModelConfig& config);
std::unique_ptr<Network> make_qwen3(const ModelConfig& config, Weights& weights);
void read_deberta_v2_config(const ConfigReader& reader, ModelConfig& config);
std::unique_ptr<Network> make_deberta_v2(const ModelConfig& config, Weights& weights);
void read_distilbert_config(const ConfigReader& reader, ModelConfig& config);
std::unique_ptr<Network> make_distilbert(const ModelConfig& config, Weights& weights);
void read_bert_config(const ConfigReader& reader, ModelConfig& config);
std::unique_ptr<Network> make_bert(const ModelConfig& config, Weights& weights);
void read_roberta_config(const ConfigReader& reader, ModelConfig& config);
std::unique_ptr<Network> make_roberta(const ModelConfig& config, Weights& weights);
std::unique_ptr<Network> make_xlm_roberta(const ModelConfig& config, Weights& weights);

}  // namespace hubbench::engine
