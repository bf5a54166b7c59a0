// The input cut into splits, each a NormalizedString, some already resolved to an added token.
// Mirrors tokenizers/src/tokenizer/pre_tokenizer.rs (PreTokenizedString).
#pragma once
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "tokenizer/normalized_string.hpp"

namespace hubbench::tokenizer {

struct Split {
    NormalizedString normalized;
    // Set when the split is an added token found by the AddedVocabulary; the model skips it.
    std::optional<std::int32_t> added_id;
};

class PreTokenizedString {
public:
    PreTokenizedString() = default;
    explicit PreTokenizedString(NormalizedString whole) { splits_.push_back({std::move(whole), std::nullopt}); }

    std::vector<Split>& splits() { return splits_; }
    const std::vector<Split>& splits() const { return splits_; }

    // Replaces every split that has no token by the pieces `fn(NormalizedString&&, out)` appends;
    // empty pieces are dropped (PreTokenizedString::split).
    template <typename F>
    void split(F&& fn) {
        std::vector<Split> next;
        next.reserve(splits_.size());
        std::vector<NormalizedString> pieces;
        for (auto& s : splits_) {
            if (s.added_id) {
                next.push_back(std::move(s));
                continue;
            }
            pieces.clear();
            fn(std::move(s.normalized), pieces);
            for (auto& p : pieces) {
                if (!p.empty()) next.push_back({std::move(p), std::nullopt});
            }
        }
        splits_ = std::move(next);
    }

    // Like split, but `fn(NormalizedString&&, out)` appends whole Splits (the AddedVocabulary
    // resolves some of them to added tokens).
    template <typename F>
    void split_splits(F&& fn) {
        std::vector<Split> next;
        next.reserve(splits_.size());
        std::vector<Split> pieces;
        for (auto& s : splits_) {
            if (s.added_id) {
                next.push_back(std::move(s));
                continue;
            }
            pieces.clear();
            fn(std::move(s.normalized), pieces);
            for (auto& p : pieces) {
                if (!p.normalized.empty()) next.push_back(std::move(p));
            }
        }
        splits_ = std::move(next);
    }

    // Applies `fn(NormalizedString&)` to every split that has no token (PreTokenizedString::normalize).
    template <typename F>
    void normalize(F&& fn) {
        for (auto& s : splits_) {
            if (!s.added_id) fn(s.normalized);
        }
    }

private:
    std::vector<Split> splits_;
};

}  // namespace hubbench::tokenizer
