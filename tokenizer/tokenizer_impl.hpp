// The backends behind Tokenizer: a tokenizer.json pipeline or a SentencePiece model. Immutable
// once built; Tokenizer shares one through a shared_ptr.
#pragma once
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "tokenizer/tokenizer.hpp"

namespace hubbench::tokenizer {

class Tokenizer::Impl {
public:
    virtual ~Impl() = default;
    virtual Encoding encode(std::string_view text, bool add_special_tokens) const = 0;
    virtual std::string decode(std::span<const std::int32_t> ids, bool skip_special_tokens) const = 0;
    virtual std::optional<std::int32_t> token_to_id(std::string_view token) const = 0;
    virtual std::optional<std::string> id_to_token(std::int32_t id) const = 0;
    virtual std::size_t vocab_size() const = 0;
    virtual bool is_special(std::int32_t id) const = 0;
    virtual std::size_t num_special_tokens_to_add() const = 0;
    // Special tokens a backend knows without any config file (model unk, post-processor tokens...).
    virtual SpecialTokens default_special_tokens() const = 0;

    // Filled by the loader.
    SpecialTokens special_tokens;
    std::optional<TruncationParams> truncation;
    std::optional<PaddingParams> padding;
    std::string kind;
    std::filesystem::path source;
};

// A special token named by a config file: `set` when the file has the key; a null value (no such
// token, e.g. "bos_token": null) leaves `name` empty.
struct ConfigToken {
    bool set = false;
    std::optional<std::string> name;
};

// What tokenizer_config.json / special_tokens_map.json say.
struct TokenizerConfig {
    ConfigToken bos, eos, unk, pad, mask, cls, sep;
    std::optional<bool> add_bos_token, add_eos_token;
};

TokenizerConfig read_tokenizer_config(const std::filesystem::path& directory);

// tokenizer.json text -> pipeline; `name` is used in error messages.
std::unique_ptr<Tokenizer::Impl> make_json_tokenizer(std::string_view json_text, const std::string& name);
// tokenizer.model -> SentencePiece backend.
std::unique_ptr<Tokenizer::Impl> make_sentencepiece_tokenizer(const std::filesystem::path& model,
                                                              const TokenizerConfig& config);

// Throws Error(invalid_input) if `text` is not valid UTF-8.
void require_utf8(std::string_view text);

}  // namespace hubbench::tokenizer
