// Tokens added on top of the model's vocabulary (special or not) and their extraction from the input
// before normalization. Mirrors tokenizers/src/tokenizer/added_vocabulary.rs.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "tokenizer/models/model.hpp"
#include "tokenizer/normalizers/normalizer.hpp"
#include "tokenizer/pre_tokenized_string.hpp"
#include "tokenizer/vocab.hpp"

namespace hubbench::tokenizer {

struct AddedToken {
    std::string content;
    bool single_word = false;
    bool lstrip = false;
    bool rstrip = false;
    bool normalized = true;
    bool special = false;
};

// Leftmost-longest matching of many byte strings (the added tokens' Aho-Corasick automaton).
class TokenTrie {
public:
    void insert(std::string_view pattern, std::int32_t id);
    bool empty() const { return nodes_.size() <= 1; }
    // The longest pattern starting at text[pos], as (length, id).
    std::optional<std::pair<std::size_t, std::int32_t>> longest_at(std::string_view text, std::size_t pos) const;

private:
    struct Node {
        std::vector<std::pair<unsigned char, std::uint32_t>> children;  // sorted by byte
        std::int32_t id = -1;
    };
    std::vector<Node> nodes_{1};
    std::array<bool, 256> first_bytes_{};
};

class AddedVocabulary {
public:
    // add_tokens: ids come from the existing added tokens, then the model, else the next free id.
    void add_tokens(const std::vector<AddedToken>& tokens, const Model& model, const Normalizer* normalizer);

    std::optional<std::int32_t> token_to_id(std::string_view token, const Model& model) const;
    // simple_id_to_token: an added token's content (normalized form when it is normalized).
    std::optional<std::string> id_to_token(std::int32_t id) const;
    bool is_special_token(std::string_view content) const { return special_.count(std::string(content)) > 0; }
    bool is_special_id(std::int32_t id) const;
    const AddedToken* find(std::int32_t id) const;
    // Added contents that are not also model tokens (for the vocabulary size).
    std::size_t count_not_in(const Model& model) const;
    const std::unordered_map<std::int32_t, AddedToken>& tokens_by_id() const { return by_id_; }

    // extract_and_normalize: added tokens found in the raw text (non-normalized ones), the rest
    // normalized, then the normalized added tokens found in it.
    PreTokenizedString extract_and_normalize(const Normalizer* normalizer, std::string_view text) const;

private:
    void find_matches(std::string_view sentence, const TokenTrie& trie, NormalizedString&& piece,
                      std::vector<Split>& out) const;

    TokenIdMap content_to_id_;
    std::unordered_map<std::int32_t, AddedToken> by_id_;
    std::unordered_set<std::string> special_;
    std::unordered_map<std::int32_t, std::string> normalized_cache_;
    TokenTrie split_trie_;             // normalized == false
    TokenTrie split_normalized_trie_;  // normalized == true
};

}  // namespace hubbench::tokenizer
