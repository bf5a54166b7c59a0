// The BERT encoder (embeddings + post-LN transformer layers + optional masked-LM head), shared by
// RoBERTa, which transformers builds from the same modules (modeling_roberta.py "Copied from
// transformers.models.bert...") with its own position ids and LM head, and by DistilBERT, whose
// modules compute the same functions under other names and without token types.
#pragma once
#include <cstdint>
#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "engine/network.hpp"

namespace hubbench::engine::models {

// Where each module of the family keeps its weights (".weight" / ".bias" are appended), BERT's
// names by default. A layer's names follow `layer` + its index + ".".
struct BertTensorNames {
    std::string word_embeddings = "embeddings.word_embeddings";
    std::string position_embeddings = "embeddings.position_embeddings";    // empty: none (DeBERTa-v3)
    std::string token_type_embeddings = "embeddings.token_type_embeddings";  // empty: the model has none
    std::string embeddings_layer_norm = "embeddings.LayerNorm";
    std::string layer = "encoder.layer.";
    std::string query = "attention.self.query", key = "attention.self.key", value = "attention.self.value";
    std::string attention_output = "attention.output.dense";
    std::string attention_layer_norm = "attention.output.LayerNorm";
    std::string intermediate = "intermediate.dense";
    std::string output = "output.dense";
    std::string output_layer_norm = "output.LayerNorm";
};

// The masked-LM head: transform (dense -> activation -> LayerNorm), then the decoder tied to the
// word embeddings, plus a bias.
struct MaskedLmHeadNames {
    std::string prefix;      // "cls.predictions." (BERT), "lm_head." (RoBERTa), "" (DistilBERT)
    std::string dense;       // "transform.dense", "dense", "vocab_transform"
    std::string layer_norm;  // "transform.LayerNorm", "layer_norm", "vocab_layer_norm"
    std::string decoder;     // "decoder", "decoder", "vocab_projector"
    std::vector<std::string> bias;  // the bias's names, first found wins
    bool config_activation = true;  // config's hidden_act; RobertaLMHead always the erf GELU
};

// DeBERTa's disentangled attention: a bias per head, query and key that depends on the layer's
// projected queries and keys, added to the scaled scores of each sequence.
class ScoreBias {
public:
    virtual ~ScoreBias() = default;
    // q, k: one sequence's projections (n, heads * head_dim), row stride ld; bias (heads, n, n).
    virtual void fill(std::size_t layer, const float* q, const float* k, std::size_t ld, std::size_t n, float* bias) const = 0;
};

struct BertVariant {
    // "bert." / "roberta." / "distilbert.": prefix of the base model's tensors in *ForMaskedLM
    // checkpoints (*Model checkpoints have none).
    std::string base_prefix;
    BertTensorNames names;
    MaskedLmHeadNames head;
    // Position ids for one sequence's ids (BERT: 0, 1, ...; RoBERTa: from padding_idx + 1).
    std::function<std::vector<std::int32_t>(std::span<const std::int32_t> ids)> position_ids;
    // MPNet: a learned bias per head and relative-position bucket, added to every layer's scores.
    // The tensor's name (under the base prefix; (buckets, heads)) and the bucket of a relative
    // position (key - query); empty: none.
    std::string relative_attention_bias;
    std::size_t relative_buckets = 0;
    std::function<std::size_t(std::ptrdiff_t relative_position)> relative_bucket;
    // DeBERTa: the disentangled bias and the scores' scale (0: 1 / sqrt(head_dim)).
    std::shared_ptr<const ScoreBias> score_bias;
    double score_scale = 0.0;
};

// BERT's names, position ids 0, 1, ... and head; the other members of the family edit a copy.
BertVariant bert_variant();

std::unique_ptr<Network> make_bert_family(const ModelConfig& config, Weights& weights, BertVariant variant);

}  // namespace hubbench::engine::models
