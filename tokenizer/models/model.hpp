// Models: turn one pre-tokenized word into tokens (tokenizers/src/models). One file per type.
#pragma once
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hubbench::tokenizer {

// A token of a word: byte range inside the word, and its text when that is not the vocabulary
// entry of `id` (e.g. a fused unknown piece); empty `value` means "the vocabulary string of id".
struct Token {
    std::int32_t id = 0;
    std::uint32_t start = 0;
    std::uint32_t end = 0;
    std::string value;
};

class Model {
public:
    virtual ~Model() = default;
    // Appends the tokens of `word` to `out`. Must be safe to call from several threads.
    virtual void tokenize(std::string_view word, std::vector<Token>& out) const = 0;
    virtual std::optional<std::int32_t> token_to_id(std::string_view token) const = 0;
    virtual std::optional<std::string_view> id_to_token(std::int32_t id) const = 0;
    virtual std::size_t vocab_size() const = 0;
    // The unknown token's string, if the model has one (for special-token detection).
    virtual std::optional<std::string> unk_token() const { return std::nullopt; }
};

using ModelPtr = std::unique_ptr<const Model>;

ModelPtr make_model(const nlohmann::json& config, const std::string& where);

ModelPtr make_bpe_model(const nlohmann::json& config, const std::string& where);
ModelPtr make_word_piece_model(const nlohmann::json& config, const std::string& where);
ModelPtr make_word_level_model(const nlohmann::json& config, const std::string& where);
ModelPtr make_unigram_model(const nlohmann::json& config, const std::string& where);

}  // namespace hubbench::tokenizer
