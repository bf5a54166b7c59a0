// The native inference engine's public API: load a Hugging Face model folder (config.json +
// model.safetensors or a sharded index) and run it on the CPU in float32, or with its weight
// matrices in bfloat16 or int8 (LoadOptions::dtype; activations and sums stay float32).
//
//   auto model = hubbench::engine::Model::load(dir);
//   model->forward_logits(batch, [](std::size_t b, const float* logits, std::size_t length) {...});
//   auto ids = hubbench::engine::generate_greedy(*model, prompt_ids, 16);
//
// A Model is not safe to use from several threads at once; load one per thread instead.
#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/config.hpp"

namespace hubbench::engine {

class Network;
class Weights;
struct KvCache;

// Compute threads for OpenBLAS and OpenMP (process-wide). n <= 0 means all cores, the default.
void set_num_threads(int n);
int num_threads();

class Session;

struct LoadOptions {
    ComputeDtype dtype = ComputeDtype::float32;
};

// The dtype `automatic` stands for: float32 when the model's weights as float32 take under half of
// `memory_bytes` (the machine's memory), else bfloat16.
ComputeDtype resolve_compute_dtype(ComputeDtype requested, std::uint64_t parameters, std::uint64_t memory_bytes);
std::uint64_t physical_memory_bytes();
// `requested`, with automatic resolved for the model folder `dir` on this machine.
ComputeDtype compute_dtype_for(const std::filesystem::path& dir, ComputeDtype requested);

class Model {
public:
    // Reads <dir>/config.json and the safetensors weights. Everything is validated here: a
    // truncated or corrupt file, a missing tensor, a shape that disagrees with the config or an
    // unsupported model_type throws hubbench::Error naming the file and the tensor.
    static std::unique_ptr<Model> load(const std::filesystem::path& dir, const LoadOptions& options = {});
    ~Model();
    Model(const Model&) = delete;
    Model& operator=(const Model&) = delete;

    const ModelConfig& config() const { return config_; }
    const std::filesystem::path& dir() const { return dir_; }
    // Causal LM head for decoders (*ForCausalLM, GPT2LMHeadModel), masked-LM head for encoders
    // whose checkpoint has one (BertForMaskedLM, RobertaForMaskedLM, BertForPreTraining).
    bool has_lm_head() const;
    // Elements of every tensor in the weight files; their dtype ("float32", "bfloat16", ...).
    std::uint64_t parameter_count() const;
    std::string weights_dtype() const;
    // Weight files relative to dir(), e.g. {"model-00001-of-00002.safetensors", ...}.
    std::vector<std::string> weight_files() const;
    // Bytes of weights this model keeps in memory.
    std::size_t weight_bytes() const;
    // The dtype its weight matrices are multiplied in (float32, bfloat16 or int8, never automatic).
    ComputeDtype compute_dtype() const { return compute_dtype_; }

    // Batched forward of sequences of different lengths. For each sequence b, in order, calls
    // on_logits(b, logits, length) with logits row-major (length, vocab_size) for EVERY position,
    // valid during the call only. Results equal running each sequence alone (sequences never
    // attend to each other; internally they are packed without padding rows, which is what
    // right-padding with an attention mask computes). Throws Error(unsupported) without an LM head,
    // Error(invalid_input) for an id outside the vocabulary or a sequence longer than the model's
    // position embeddings.
    using RowsCallback = std::function<void(std::size_t b, const float* rows, std::size_t length)>;
    void forward_logits(std::span<const std::vector<std::int32_t>> batch, const RowsCallback& on_logits);
    // As forward_logits, but only at the listed positions of each sequence (a masked LM's masks):
    // on_logits(b, logits, n) with logits (n, vocab_size) for positions[b] in order, n =
    // positions[b].size(). The LM head runs on those rows only.
    void forward_logits_at(std::span<const std::vector<std::int32_t>> batch, std::span<const std::vector<std::size_t>> positions,
                           const RowsCallback& on_logits);
    // The same for the last hidden state (after the final norm for decoders), (length, hidden_size).
    void forward_hidden(std::span<const std::vector<std::int32_t>> batch, const RowsCallback& on_hidden);

    // KV-cache decoding state for one sequence (decoders only; Error(unsupported) otherwise).
    std::unique_ptr<Session> start_session();

private:
    friend class Session;
    Model() = default;
    void check_batch(std::span<const std::vector<std::int32_t>> batch, std::size_t past = 0) const;
    // Whether the weight products run on OpenMP threads (the AVX-512 kernels), so that OpenBLAS
    // is kept to the calling thread during a pass (threads.hpp).
    bool products_on_openmp() const;

    std::filesystem::path dir_;
    ModelConfig config_;
    ComputeDtype compute_dtype_ = ComputeDtype::float32;
    std::unique_ptr<Weights> weights_;
    std::unique_ptr<Network> network_;
};

// Decoding state: the keys and values of every position appended so far. Keeps a reference to its
// Model, which must outlive it.
class Session {
public:
    ~Session();
    // Runs `ids` after the tokens already appended (one forward pass over all of them) and returns
    // the logits (vocab_size) of the last position, valid until the next call.
    const std::vector<float>& append(std::span<const std::int32_t> ids);
    // Runs each continuation after the tokens appended so far, as if it alone were appended, in
    // one batch, and appends none of them: on_logits(b, logits, length) gets the logits
    // (length, vocab_size) of every position of continuation b. The choices of one
    // multiple-choice item share their context's forward pass this way.
    void branch_logits(std::span<const std::vector<std::int32_t>> continuations, const Model::RowsCallback& on_logits);
    // Tokens appended so far.
    std::size_t length() const;

private:
    friend class Model;
    explicit Session(Model& model);
    Model& model_;
    std::unique_ptr<KvCache> cache_;
    std::vector<float> logits_;
};

// Called with each new id as soon as it is chosen, and the logits (vocab_size) it was chosen from;
// returning false stops the generation there (a streaming client gone, a caller's own stop rule).
using TokenCallback = std::function<bool(std::int32_t id, std::span<const float> logits)>;

// Greedy continuation with the KV cache: up to max_new_tokens ids, each the argmax of the logits
// (first index on ties, like torch.argmax). Stops after emitting any of `stop_ids` (included), or
// when on_token returns false (that id included). The one greedy loop: the native adapter's
// generate and `hubbench serve` stream through it.
std::vector<std::int32_t> generate_greedy(Model& model, std::span<const std::int32_t> prompt_ids, std::size_t max_new_tokens,
                                          std::span<const std::int32_t> stop_ids, const TokenCallback& on_token);
// The same, stopping after `eos` when given.
std::vector<std::int32_t> generate_greedy(Model& model, std::span<const std::int32_t> prompt_ids,
                                          std::size_t max_new_tokens, std::optional<std::int32_t> eos = std::nullopt);

}  // namespace hubbench::engine
