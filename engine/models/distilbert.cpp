// DistilBERT, mirroring transformers' modeling_distilbert.py
// https://github.com/huggingface/transformers/blob/v5.0.0/src/transformers/models/distilbert/modeling_distilbert.py
//
//   DistilBertForMaskedLM
//     distilbert: DistilBertModel
//       embeddings: Embeddings        word_embeddings + position_embeddings (arange; learned, or
//                                     sinusoidal written into the same weight), LayerNorm(eps 1e-12);
//                                     no token types
//       transformer.layer[i]: TransformerBlock
//         attention: DistilBertSelfAttention   q_lin, k_lin, v_lin, out_lin
//         sa_layer_norm                         LayerNorm(attention + input)
//         ffn: FFN                              lin2(activation(lin1(x)))
//         output_layer_norm                     LayerNorm(ffn + sa_output)
//     vocab_transform -> activation -> vocab_layer_norm -> vocab_projector (tied) + bias
//
// These are BERT's functions (engine/models/bert.cpp) under DistilBERT's names.
#include "engine/config_reader.hpp"
#include "engine/models/bert.hpp"

namespace hubbench::engine {

// configuration_distilbert.py: dim, n_layers, n_heads, hidden_dim, activation; LayerNorm eps is
// 1e-12 in the modules, not a config field.
void read_distilbert_config(const ConfigReader& r, ModelConfig& c) {
    read_attention_shape(r, c, {.hidden = "dim", .layers = "n_layers", .heads = "n_heads", .hidden_default = 768,
                                .layers_default = 6, .heads_default = 12});
    c.intermediate_size = r.size({"hidden_dim"}, 4 * c.hidden_size);
    c.max_positions = r.size({"max_position_embeddings"}, 512);
    c.norm_eps = 1e-12;
    c.activation_name = r.text("activation", "gelu");
    c.tie_word_embeddings = r.flag("tie_word_embeddings", true);
    c.attention_bias = true;
    c.mlp_bias = true;
}

std::unique_ptr<Network> make_distilbert(const ModelConfig& config, Weights& weights) {
    models::BertVariant variant = models::bert_variant();  // positions 0, 1, ...
    variant.base_prefix = "distilbert.";
    auto& n = variant.names;
    n.token_type_embeddings.clear();
    n.layer = "transformer.layer.";
    n.query = "attention.q_lin";
    n.key = "attention.k_lin";
    n.value = "attention.v_lin";
    n.attention_output = "attention.out_lin";
    n.attention_layer_norm = "sa_layer_norm";
    n.intermediate = "ffn.lin1";
    n.output = "ffn.lin2";
    n.output_layer_norm = "output_layer_norm";
    variant.head = {"", "vocab_transform", "vocab_layer_norm", "vocab_projector", {"vocab_projector.bias"}, true};
    return models::make_bert_family(config, weights, std::move(variant));
}

}  // namespace hubbench::engine
