// MPNet, mirroring transformers' modeling_mpnet.py
// https://github.com/huggingface/transformers/blob/v5.0.0/src/transformers/models/mpnet/modeling_mpnet.py
//
//   MPNetForMaskedLM
//     mpnet: MPNetModel
//       embeddings: MPNetEmbeddings    word + position (create_position_ids_from_input_ids with
//                                      padding_idx 1, fixed in the module), LayerNorm; no token types
//       encoder: MPNetEncoder
//         relative_attention_bias      nn.Embedding(relative_attention_num_buckets, heads): a bias
//                                      per head and bucket of key - query, added to every layer's
//                                      scaled scores (compute_position_bias, relative_position_bucket)
//         layer[i]: MPNetLayer
//           attention.attn             q, k, v, o
//           attention.LayerNorm        LayerNorm(o(context) + input)
//           intermediate.dense -> act -> output.dense, output.LayerNorm
//     lm_head: MPNetLMHead             dense -> gelu -> layer_norm -> decoder (tied) + bias
//
// BERT's functions (engine/models/bert.cpp) under MPNet's names, with the relative bias.
#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "engine/config_reader.hpp"
#include "engine/models/bert.hpp"
#include "engine/models/mpnet.hpp"
#include "engine/models/roberta.hpp"

namespace hubbench::engine {

namespace models {

// MPNetEncoder.relative_position_bucket (T5's bidirectional buckets): half the buckets for each
// sign; distances below num_buckets / 4 exact, beyond that logarithmic up to max_distance. The
// logarithm is taken in float32 and truncated, as torch computes it, so the boundaries agree.
std::size_t mpnet_relative_bucket(std::ptrdiff_t relative_position, int num_buckets, int max_distance) {
    std::size_t ret = 0;
    std::ptrdiff_t n = -relative_position;
    num_buckets /= 2;
    if (n < 0) ret += static_cast<std::size_t>(num_buckets);
    n = std::abs(n);
    const int max_exact = num_buckets / 2;
    if (n < max_exact) return ret + static_cast<std::size_t>(n);
    const float scaled = std::log(static_cast<float>(n) / static_cast<float>(max_exact)) /
                         static_cast<float>(std::log(static_cast<double>(max_distance) / max_exact)) *
                         static_cast<float>(num_buckets - max_exact);
    const auto large = std::min<std::ptrdiff_t>(max_exact + static_cast<std::ptrdiff_t>(scaled), num_buckets - 1);
    return ret + static_cast<std::size_t>(large);
}

}  // namespace models

// configuration_mpnet.py: BERT's fields without token types, relative_attention_num_buckets 32;
// MPNetEmbeddings fixes padding_idx at 1, so positions start at 2.
void read_mpnet_config(const ConfigReader& r, ModelConfig& c) {
    read_bert_encoder_config(r, c);
    c.type_vocab_size = 0;
    c.position_offset = 2;
    c.relative_buckets = r.size({"relative_attention_num_buckets"}, 32);
    if (c.relative_buckets < 2) r.invalid("relative_attention_num_buckets must be at least 2");
}

std::unique_ptr<Network> make_mpnet(const ModelConfig& config, Weights& weights) {
    models::BertVariant variant = models::bert_variant();
    variant.base_prefix = "mpnet.";
    auto& n = variant.names;
    n.token_type_embeddings.clear();
    n.query = "attention.attn.q";
    n.key = "attention.attn.k";
    n.value = "attention.attn.v";
    n.attention_output = "attention.attn.o";
    n.attention_layer_norm = "attention.LayerNorm";
    variant.head = {"lm_head.", "dense", "layer_norm", "decoder", {"bias", "decoder.bias"}, false};
    // MPNetEmbeddings: create_position_ids_from_input_ids(input_ids, padding_idx=1)
    variant.position_ids = [](std::span<const std::int32_t> ids) { return models::positions_after_padding(ids, 1); };
    variant.relative_attention_bias = "encoder.relative_attention_bias";
    variant.relative_buckets = config.relative_buckets;
    const int buckets = static_cast<int>(config.relative_buckets);
    variant.relative_bucket = [buckets](std::ptrdiff_t rel) { return models::mpnet_relative_bucket(rel, buckets, 128); };
    return models::make_bert_family(config, weights, std::move(variant));
}

}  // namespace hubbench::engine
