// Per-thread caches of word -> tokens, one per model instance, like BPE_LOCAL_CACHE in
// tokenizers/src/models/bpe/model.rs: encode() stays const and lock-free, and each thread reuses
// the words it has seen. The cached pieces cover the word contiguously.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tokenizer/models/model.hpp"
#include "tokenizer/vocab.hpp"

namespace hubbench::tokenizer {

struct CachedPiece {
    std::int32_t id;
    std::uint32_t len;  // bytes of the word it covers
};

class WordCache {
public:
    static constexpr std::size_t kCapacity = 100000;     // words per thread and model
    static constexpr std::size_t kMaxWordLength = 256;   // utils/cache.rs MAX_LENGTH

    // Appends the cached tokens of `word` (offsets from `base`) and returns true, or returns false.
    bool emit(std::string_view word, std::uint32_t base, std::vector<Token>& out) const {
        auto it = words_.find(word);
        if (it == words_.end()) return false;
        emit_pieces(pieces_.data() + it->second.first, it->second.second, base, out);
        return true;
    }
    void insert(std::string_view word, const std::vector<CachedPiece>& pieces) {
        if (word.size() >= kMaxWordLength || words_.size() >= kCapacity) return;
        auto begin = static_cast<std::uint32_t>(pieces_.size());
        pieces_.insert(pieces_.end(), pieces.begin(), pieces.end());
        words_.emplace(std::string(word), std::make_pair(begin, static_cast<std::uint32_t>(pieces.size())));
    }
    static void emit_pieces(const CachedPiece* pieces, std::size_t n, std::uint32_t base, std::vector<Token>& out) {
        std::uint32_t offset = base;
        for (std::size_t i = 0; i < n; ++i) {
            out.push_back({pieces[i].id, offset, offset + pieces[i].len, {}});
            offset += pieces[i].len;
        }
    }

    // The calling thread's cache for the model with this id.
    static WordCache& for_model(std::uint64_t model_id) {
        thread_local std::uint64_t last_id = 0;
        thread_local WordCache* last = nullptr;
        if (last_id != model_id || last == nullptr) {
            thread_local std::unordered_map<std::uint64_t, WordCache> caches;
            last = &caches[model_id];
            last_id = model_id;
        }
        return *last;
    }
    // A process-unique id for a model instance (ids are never reused, so a cache never outlives
    // its meaning).
    static std::uint64_t new_model_id();

private:
    std::unordered_map<std::string, std::pair<std::uint32_t, std::uint32_t>, StringHash, std::equal_to<>> words_;
    std::vector<CachedPiece> pieces_;
};

}  // namespace hubbench::tokenizer
