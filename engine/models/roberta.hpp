// RoBERTa's network (BERT's encoder with RoBERTa's position ids and LM head), which XLM-RoBERTa
// reuses as transformers does ("Copied from transformers.models.roberta...").
#pragma once
#include <memory>

#include "engine/network.hpp"

namespace hubbench::engine::models {

// config.pad_token_id must be set (read_roberta_config checks it).
std::unique_ptr<Network> make_roberta_family(const ModelConfig& config, Weights& weights);

}  // namespace hubbench::engine::models
