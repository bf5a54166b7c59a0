// XLM-RoBERTa, mirroring transformers' modeling_xlm_roberta.py
// https://github.com/huggingface/transformers/blob/v5.0.0/src/transformers/models/xlm_roberta/modeling_xlm_roberta.py
//
//   XLMRobertaForMaskedLM
//     roberta: XLMRobertaModel      RoBERTa's embeddings (positions from padding_idx + 1) and encoder
//     lm_head: XLMRobertaLMHead     dense -> gelu -> layer_norm -> decoder (tied) + bias
//
// Every module is RoBERTa's ("Copied from transformers.models.roberta.modeling_roberta"); the
// checkpoints keep the "roberta." prefix and "lm_head." names, and the config class is
// XLMRobertaConfig, which has RobertaConfig's fields and defaults. What differs is the tokenizer
// (SentencePiece Unigram, 250k pieces), which tokenizer.json describes.
#include "engine/models/roberta.hpp"

namespace hubbench::engine {

std::unique_ptr<Network> make_xlm_roberta(const ModelConfig& config, Weights& weights) {
    return models::make_roberta_family(config, weights);
}

}  // namespace hubbench::engine
