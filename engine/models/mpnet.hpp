// MPNet's relative-position buckets (engine/models/mpnet.cpp), exposed for their test.
#pragma once
#include <cstddef>

namespace hubbench::engine::models {

// MPNetEncoder.relative_position_bucket for key - query = relative_position.
std::size_t mpnet_relative_bucket(std::ptrdiff_t relative_position, int num_buckets = 32, int max_distance = 128);

}  // namespace hubbench::engine::models
