// The one interface the suites use to run a model, whatever runs it: the native engine (a snapshot
// folder: config.json + safetensors + tokenizer.json) or a remote OpenAI-compatible server.
// An adapter that cannot do something (an encoder asked for causal log-probabilities) throws
// Error(ErrorKind::unsupported) with a message a suite can show as "skipped: <reason>";
// unsupported() gives the same reason without running anything.
#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/model_kind.hpp"

namespace hubbench::tokenizer {
class Tokenizer;
}

namespace hubbench::adapters {

struct ServedEndpoint;  // adapters/remote/load_generator.hpp


struct ModelInfo {
    std::string id;             // "fixtures/tiny-gpt2" from the HF cache, else the folder name
    std::string revision;       // the snapshot's commit; empty for a plain local folder
    std::string architecture;   // config.json "architectures"[0], e.g. "GPT2LMHeadModel"
    std::string model_type;     // config.json "model_type", e.g. "gpt2"
    ModelKind kind = ModelKind::decoder;
    bool has_lm_head = false;   // causal LM head (decoder) or masked-LM head (encoder)
    std::uint64_t parameters = 0;
    std::string dtype;          // of the stored weights: "float32", "float16", "bfloat16"
    std::string compute_dtype;  // what a native model multiplies in: "float32", "bfloat16" or "int8"; "" when served
    std::size_t max_length = 0; // longest sequence the model accepts (position embeddings)
    std::size_t vocab_size = 0;
    std::size_t hidden_size = 0;
    std::size_t num_layers = 0;
    std::filesystem::path dir;  // the snapshot folder (empty for a remote model)
    std::vector<std::string> files;  // weight and config files, relative to dir
    std::uint64_t size_bytes = 0;    // their total size on disk
    std::string backend;        // "native" or "openai"
    double load_seconds = 0.0;  // wall time of loading weights and tokenizer
};

// What a suite needs from a model.
enum class Capability { causal_lm, masked_lm, embeddings, generation };
const char* capability_name(Capability capability);

// A window of token ids scored left to right: positions score_from .. ids.size()-1, each with
// log p(ids[p] | ids[0..p-1]). score_from >= 1 (position 0 has no context).
struct CausalWindow {
    std::vector<std::int32_t> ids;
    std::size_t score_from = 1;
};

// A sequence in which `position` already holds the mask token; the answer is
// log p(target | ids) at that position.
struct MaskedQuery {
    std::vector<std::int32_t> ids;
    std::size_t position = 0;
    std::int32_t target = 0;
};

// Seconds spent per phase, accumulated over an adapter's life; suites take differences.
struct PhaseTimings {
    double tokenize = 0.0;  // text -> ids inside the adapter (embed); suites time their own
    double forward = 0.0;   // the model's forward passes (or the HTTP round trips)
    double score = 0.0;     // log-softmax, pooling, normalisation
};
PhaseTimings operator-(const PhaseTimings& a, const PhaseTimings& b);
PhaseTimings operator+(const PhaseTimings& a, const PhaseTimings& b);

// Text as token ids, through the model's tokenizer.
struct Encoded {
    std::vector<std::int32_t> ids;
    std::vector<std::uint8_t> special_mask;  // 1 for a token the post-processor added
    std::vector<std::pair<std::size_t, std::size_t>> offsets;  // byte range of each token in the text
};

// The tokenizer's special tokens (absent when it has none).
struct SpecialIds {
    std::optional<std::int32_t> bos, eos, unk, pad, mask, cls, sep;
};

// One context and the continuations to score after it (a multiple-choice item's choices, a
// classification item's verbalizers). context is non-empty.
struct ContinuationRequest {
    std::vector<std::int32_t> context;
    std::vector<std::vector<std::int32_t>> continuations;  // each non-empty
};

// Called with each new id as soon as it is chosen and the logits it was chosen from (vocab_size);
// returning false stops the generation there, that id included.
using TokenCallback = std::function<bool(std::int32_t id, std::span<const float> logits)>;

struct GenerateResult {
    std::vector<std::int32_t> new_ids;
    // "stop" (an end-of-sequence id), "length" (max_new_tokens reached) or "cancelled" (the
    // callback said stop), as the OpenAI API's finish_reason.
    std::string finish_reason;
    double prefill_seconds = 0.0;  // the prompt's forward pass (first new token included)
    double decode_seconds = 0.0;   // every later token, one at a time with the KV cache
};

class Adapter {
public:
    virtual ~Adapter() = default;

    virtual const ModelInfo& info() const = 0;
    virtual const tokenizer::Tokenizer& tokenizer() const = 0;

    // The tokenizer as the suites use it (add_special: its post-processor's special tokens, as
    // `tokenizer(text)` does by default in transformers).
    Encoded encode(std::string_view text, bool add_special = true) const;
    std::string decode(std::span<const std::int32_t> ids, bool skip_special = true) const;
    SpecialIds special_ids() const;
    // The text of a token as the vocabulary spells it ("[MASK]", "<mask>"); "" for an unknown id.
    std::string token_text(std::int32_t id) const;

    // Why this model cannot do `what` (one line naming the model), or nullopt when it can.
    virtual std::optional<std::string> unsupported(Capability what) const = 0;
    // Throws Error(unsupported) with unsupported(what) when the model cannot do it.
    void require(Capability what) const;

    // For each window, the log-probabilities of positions score_from .. n-1 (size n - score_from),
    // in double from float32 logits through a stable log-softmax. Windows may differ in length;
    // they are run as one padded batch.
    virtual std::vector<std::vector<double>> causal_logprobs(std::span<const CausalWindow> windows) = 0;

    // For each request and each of its continuations, the log-probabilities of the continuation's
    // tokens, each conditioned on the context and the continuation tokens before it (what
    // causal_logprobs gives for the window context + continuation, scored from the context's end).
    // The default runs every window as one padded batch; an adapter whose engine keeps a KV cache
    // runs each context once and its continuations on top of it.
    virtual std::vector<std::vector<std::vector<double>>> continuation_logprobs(std::span<const ContinuationRequest> requests);

    // For each query, log p(target) at its masked position; run as one padded batch (queries with
    // the same ids may share one forward pass).
    virtual std::vector<double> masked_logprobs(std::span<const MaskedQuery> queries) = 0;

    // One pooled, L2-normalised vector per text (sentence-transformers modules.json and
    // 1_Pooling/config.json when the repo has them, else mean pooling over every token including
    // special ones). Texts are tokenized with special tokens and truncated to the model's limit.
    virtual std::vector<std::vector<float>> embed(std::span<const std::string> texts) = 0;

    // Greedy continuation with the KV cache: up to max_new_tokens ids after prompt_ids, stopping
    // after the end-of-sequence token when stop_at_eos is set; on_token sees each id as it comes.
    virtual GenerateResult generate(std::span<const std::int32_t> prompt_ids, std::size_t max_new_tokens,
                                    bool stop_at_eos = false, const TokenCallback& on_token = {}) = 0;

    // Speed hook: one forward pass over a padded batch with every output discarded (logits for a
    // model with a head, else the last hidden state).
    virtual void prefill(std::span<const std::vector<std::int32_t>> batch) = 0;

    // The server behind a served model (URL, model name, auth headers), for the load generator;
    // nullptr for a model run in this process.
    virtual const ServedEndpoint* served() const { return nullptr; }

    // Compute threads (0 = all cores); results do not depend on it.
    virtual void set_threads(int threads) = 0;
    virtual int threads() const = 0;

    const PhaseTimings& timings() const { return timings_; }

protected:
    PhaseTimings timings_;
};

}  // namespace hubbench::adapters
