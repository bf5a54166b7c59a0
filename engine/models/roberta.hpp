// RoBERTa's network (BERT's encoder with RoBERTa's position ids and LM head), which XLM-RoBERTa
// reuses as transformers does ("Copied from transformers.models.roberta...").
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "engine/network.hpp"

namespace hubbench::engine::models {

// create_position_ids_from_input_ids(input_ids, padding_idx): padding_idx + the running count of
// non-padding tokens, padding_idx on padding tokens (RoBERTa, XLM-R, MPNet).
std::vector<std::int32_t> positions_after_padding(std::span<const std::int32_t> ids, std::int32_t padding_idx);

// config.pad_token_id must be set (read_roberta_config checks it).
std::unique_ptr<Network> make_roberta_family(const ModelConfig& config, Weights& weights);

}  // namespace hubbench::engine::models
