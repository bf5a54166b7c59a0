// hubbench's tokenizer: Hugging Face `tokenizers` tokenizer.json pipelines (added tokens, normalizer,
// pre-tokenizer, model, post-processor, decoder) and SentencePiece tokenizer.model files, giving the
// same ids, tokens, offsets and decoded text as `transformers`.
#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hubbench::tokenizer {

struct Encoding {
    std::vector<std::int32_t> ids;
    std::vector<std::string> tokens;
    std::vector<std::pair<std::size_t, std::size_t>> offsets;  // BYTE offsets into the input text
    std::vector<std::uint8_t> special_tokens_mask;             // 1 for tokens added by the post-processor or special added tokens
    std::vector<std::uint8_t> attention_mask;                  // 1 for real tokens, 0 for padding

    std::size_t size() const { return ids.size(); }
};

struct SpecialTokens {
    std::optional<std::int32_t> bos, eos, unk, pad, mask, cls, sep;
};

enum class Direction { left, right };

// tokenizer.json "truncation": parsed, never applied by encode() (docs/references.md).
struct TruncationParams {
    std::size_t max_length = 0;
    std::size_t stride = 0;
    Direction direction = Direction::right;
    std::string strategy = "LongestFirst";  // LongestFirst | OnlyFirst | OnlySecond
};

// tokenizer.json "padding": parsed, never applied by encode().
struct PaddingParams {
    std::optional<std::size_t> fixed_length;  // strategy {"Fixed": n}; nullopt = BatchLongest
    Direction direction = Direction::right;
    std::optional<std::size_t> pad_to_multiple_of;
    std::int32_t pad_id = 0;
    std::int32_t pad_type_id = 0;
    std::string pad_token = "[PAD]";
};

class Tokenizer {
public:
    // A model directory (tokenizer.json, else tokenizer.model; plus tokenizer_config.json /
    // special_tokens_map.json for special tokens, add_bos_token/add_eos_token) or a tokenizer.json /
    // tokenizer.model file. Throws Error(not_found / invalid_input / unsupported) naming the file.
    static Tokenizer load(const std::filesystem::path& dir_or_file);
    // A tokenizer.json document already in memory; `name` appears in error messages.
    static Tokenizer from_json_string(std::string_view json, const std::string& name = "tokenizer.json");

    // Const and thread-safe. Invalid UTF-8 is Error(invalid_input).
    Encoding encode(std::string_view text, bool add_special_tokens = true) const;
    std::string decode(std::span<const std::int32_t> ids, bool skip_special_tokens = true) const;

    std::optional<std::int32_t> token_to_id(std::string_view token) const;
    std::string id_to_token(std::int32_t id) const;  // "" for an unknown id
    std::size_t vocab_size() const;                  // including added tokens
    bool is_special(std::int32_t id) const;
    const SpecialTokens& special_tokens() const;

    const std::optional<TruncationParams>& truncation() const;
    const std::optional<PaddingParams>& padding() const;
    // Number of tokens the post-processor adds to a single sequence.
    std::size_t num_special_tokens_to_add() const;

    // "tokenizer.json" or "sentencepiece", and the file it came from.
    const std::string& kind() const;
    const std::filesystem::path& source() const;

    class Impl;
    explicit Tokenizer(std::shared_ptr<const Impl> impl);

private:
    std::shared_ptr<const Impl> impl_;
};

// Keeps `max_length` tokens, dropping from the end (right) or the start (left).
void truncate(Encoding& encoding, std::size_t max_length, Direction direction = Direction::right);
// Pads to `length` tokens with `pad_id`/`pad_token` (attention mask 0, offsets (0,0), special mask 1).
void pad(Encoding& encoding, std::size_t length, std::int32_t pad_id, const std::string& pad_token,
         Direction direction = Direction::right);
// Pads a batch as `params` says: to the longest (or the fixed length), rounded up to pad_to_multiple_of.
void pad_batch(std::vector<Encoding>& batch, const PaddingParams& params);

// Converts byte offsets to character (code point) offsets, as transformers reports them.
std::vector<std::pair<std::size_t, std::size_t>> char_offsets(std::string_view text,
                                                              const std::vector<std::pair<std::size_t, std::size_t>>& byte_offsets);

}  // namespace hubbench::tokenizer
