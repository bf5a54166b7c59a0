// DeBERTa-v2's relative-position buckets (engine/models/deberta_v2.cpp), exposed for their test.
#pragma once
#include <cstdint>

namespace hubbench::engine::models {

// make_log_bucket_position for one relative position (query - key): exact within bucket_size / 2,
// logarithmic beyond, up to max_position.
std::int64_t deberta_log_bucket(std::int64_t relative_position, std::int64_t bucket_size, std::int64_t max_position);

}  // namespace hubbench::engine::models
