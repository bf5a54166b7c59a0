// The BERT encoder (embeddings + post-LN transformer layers + optional masked-LM head), shared by
// RoBERTa, which transformers builds from the same modules (modeling_roberta.py "Copied from
// transformers.models.bert...") with its own position ids and LM head.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "engine/network.hpp"

namespace hubbench::engine::models {

struct BertVariant {
    // "bert." / "roberta.": prefix of the base model's tensors in *ForMaskedLM checkpoints.
    std::string base_prefix;
    // Position ids for one sequence's ids (BERT: 0, 1, ...; RoBERTa: from padding_idx + 1).
    std::function<std::vector<std::int32_t>(std::span<const std::int32_t> ids)> position_ids;
    // Masked-LM head tensors: "cls.predictions." (BERT) or "lm_head." (RoBERTa).
    enum class Head { bert, roberta } head = Head::bert;
};

std::unique_ptr<Network> make_bert_family(const ModelConfig& config, Weights& weights, BertVariant variant);

}  // namespace hubbench::engine::models
