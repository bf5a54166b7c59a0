#include "tokenizer/models/word_cache.hpp"

#include <atomic>

namespace hubbench::tokenizer {

std::uint64_t WordCache::new_model_id() {
    static std::atomic<std::uint64_t> next{1};
    return next.fetch_add(1);
}

}  // namespace hubbench::tokenizer
