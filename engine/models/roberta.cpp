// RoBERTa, mirroring transformers' modeling_roberta.py
// https://github.com/huggingface/transformers/blob/v4.46.0/src/transformers/models/roberta/modeling_roberta.py
//
// The encoder is BERT's (engine/models/bert.cpp). What differs:
//   RobertaEmbeddings     position ids from create_position_ids_from_input_ids: padding_idx + the
//                         running count of non-padding tokens, padding_idx on padding tokens
//   RobertaLMHead         lm_head.dense -> gelu -> lm_head.layer_norm -> decoder (tied) + lm_head.bias
#include "engine/models/roberta.hpp"

#include "engine/config_reader.hpp"
#include "engine/models/bert.hpp"

namespace hubbench::engine {

void read_roberta_config(const ConfigReader& r, ModelConfig& c) {
    read_bert_encoder_config(r, c);
    if (!c.pad_token_id || *c.pad_token_id < 0)
        r.invalid(c.model_type + " needs \"pad_token_id\" (its position ids count from it)");
    // Positions 0 .. padding_idx are never given to a token.
    c.position_offset = static_cast<std::size_t>(*c.pad_token_id) + 1;
}

namespace models {

std::vector<std::int32_t> positions_after_padding(std::span<const std::int32_t> ids, std::int32_t padding_idx) {
    // mask = input_ids.ne(padding_idx); incremental = cumsum(mask) * mask; return incremental + padding_idx
    std::vector<std::int32_t> p(ids.size());
    std::int32_t count = 0;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const bool real = ids[i] != padding_idx;
        count += real ? 1 : 0;
        p[i] = (real ? count : 0) + padding_idx;
    }
    return p;
}

std::unique_ptr<Network> make_roberta_family(const ModelConfig& config, Weights& weights) {
    const auto padding_idx = static_cast<std::int32_t>(*config.pad_token_id);  // read_roberta_config checked it
    BertVariant variant = bert_variant();
    variant.base_prefix = "roberta.";
    variant.head = {"lm_head.", "dense", "layer_norm", "decoder", {"bias", "decoder.bias"}, false};
    variant.position_ids = [padding_idx](std::span<const std::int32_t> ids) { return positions_after_padding(ids, padding_idx); };
    return make_bert_family(config, weights, std::move(variant));
}

}  // namespace models

std::unique_ptr<Network> make_roberta(const ModelConfig& config, Weights& weights) {
    return models::make_roberta_family(config, weights);
}

}  // namespace hubbench::engine
