// BERT, mirroring transformers' modeling_bert.py
// https://github.com/huggingface/transformers/blob/v4.46.0/src/transformers/models/bert/modeling_bert.py
//
//   BertForMaskedLM
//     bert: BertModel
//       embeddings: BertEmbeddings    word + position + token_type(0), LayerNorm
//       encoder.layer[i]: BertLayer
//         attention.self              query/key/value, softmax(QK^T/sqrt(d)) V
//         attention.output            LayerNorm(dense(context) + input)
//         intermediate                act(dense(x))
//         output                      LayerNorm(dense(intermediate) + attention_output)
//       (pooler: unused, sentence embeddings pool the last hidden state instead)
//     cls.predictions: BertLMPredictionHead
//       transform                     LayerNorm(act(dense(x)))
//       decoder + bias                tied to embeddings.word_embeddings
//
// token_type_ids are all 0 (what a tokenizer gives a single sentence). Sequences attend to all
// their own tokens (no causal mask); padding is never computed (sequences are packed).
#include "engine/models/bert.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "engine/config_reader.hpp"
#include "engine/models/common.hpp"

namespace hubbench::engine {
namespace models {

namespace {

struct BertLayer {
    ops::Linear query, key, value;
    ops::Linear attention_output_dense;
    const float* attention_output_ln_weight = nullptr;  // (C)
    const float* attention_output_ln_bias = nullptr;    // (C)
    ops::Linear intermediate_dense;
    ops::Linear output_dense;
    const float* output_ln_weight = nullptr;
    const float* output_ln_bias = nullptr;
};

// BertLMPredictionHead / RobertaLMHead.
struct MaskedLmHead {
    ops::Linear dense;
    Activation activation = Activation::gelu;
    const float* ln_weight = nullptr;
    const float* ln_bias = nullptr;
    ops::Linear decoder;  // (vocab, C) + bias (vocab)
};

class BertForMaskedLM final : public Network {
public:
    BertForMaskedLM(const ModelConfig& config, Weights& weights, BertVariant variant)
        : config_(config), variant_(std::move(variant)) {
        const std::size_t c = config.hidden_size, inter = config.intermediate_size;
        // *ForMaskedLM checkpoints prefix the base model ("bert."); BertModel ones do not.
        const BertTensorNames& names = variant_.names;
        Loader w{weights, weights.resolve_prefix({variant_.base_prefix, ""}, names.word_embeddings + ".weight")};
        word_embeddings_ = w.get(names.word_embeddings + ".weight", {config.vocab_size, c});
        if (!names.position_embeddings.empty())
            position_embeddings_ = w.get(names.position_embeddings + ".weight", {config.max_positions, c});
        if (!names.token_type_embeddings.empty())
            token_type_embeddings_ = w.get(names.token_type_embeddings + ".weight", {config.type_vocab_size, c});
        embeddings_ln_weight_ = w.get(names.embeddings_layer_norm + ".weight", {c});
        embeddings_ln_bias_ = w.get(names.embeddings_layer_norm + ".bias", {c});
        for (std::size_t i = 0; i < config.num_layers; ++i) {
            const std::string p = names.layer + std::to_string(i) + ".";
            BertLayer layer;
            layer.query = w.linear(p + names.query, c, c, true);
            layer.key = w.linear(p + names.key, c, c, true);
            layer.value = w.linear(p + names.value, c, c, true);
            layer.attention_output_dense = w.linear(p + names.attention_output, c, c, true);
            layer.attention_output_ln_weight = w.get(p + names.attention_layer_norm + ".weight", {c});
            layer.attention_output_ln_bias = w.get(p + names.attention_layer_norm + ".bias", {c});
            layer.intermediate_dense = w.linear(p + names.intermediate, c, inter, true);
            layer.output_dense = w.linear(p + names.output, inter, c, true);
            layer.output_ln_weight = w.get(p + names.output_layer_norm + ".weight", {c});
            layer.output_ln_bias = w.get(p + names.output_layer_norm + ".bias", {c});
            layers_.push_back(layer);
        }
        if (!variant_.relative_attention_bias.empty())
            relative_attention_bias_ =
                w.get(variant_.relative_attention_bias + ".weight", {variant_.relative_buckets, config.num_heads});
        load_head(weights);
    }

    void forward(const PackedBatch& batch, KvCache* /*cache*/, float* hidden) override {
        const ModelConfig& cfg = config_;
        const std::size_t n = batch.rows(), c = cfg.hidden_size, inter = cfg.intermediate_size;
        std::vector<std::int32_t> positions(n);
        for (std::size_t b = 0; b < batch.size(); ++b) {
            auto ids = variant_.position_ids(batch.sequence(b));
            std::copy(ids.begin(), ids.end(), positions.begin() + static_cast<std::ptrdiff_t>(batch.begin(b)));
        }
        check_positions(positions, cfg.max_positions, cfg.model_type);

        float* x = hidden;                  // (N, C) the layer input / output, in place
        std::vector<float> q(n * c), k(n * c), v(n * c);  // (N, C) each
        std::vector<float> context(n * c);  // (N, C)
        std::vector<float> a(n * c);        // (N, C) attention output
        std::vector<float> mid(n * inter);  // (N, I)

        // BertEmbeddings: LayerNorm(word + token_type + position) (DistilBERT: no token types).
        ops::embedding(word_embeddings_, cfg.vocab_size, c, batch.ids, x);
        if (token_type_embeddings_)
            ops::add_embedding(token_type_embeddings_, cfg.type_vocab_size, c, std::vector<std::int32_t>(n, 0), x, "token type");
        if (position_embeddings_) ops::add_embedding(position_embeddings_, cfg.max_positions, c, positions, x, "position");
        ops::layer_norm(x, n, c, embeddings_ln_weight_, embeddings_ln_bias_, cfg.norm_eps);

        const double scale = variant_.score_scale > 0 ? variant_.score_scale : 1.0 / std::sqrt(static_cast<double>(cfg.head_dim));
        ops::AttentionParams params{cfg.num_heads, cfg.num_heads, cfg.head_dim, static_cast<float>(scale), false, 0};
        // MPNetEncoder.compute_position_bias: one (heads, 2L - 1) table by key - query, L the longest
        // sequence, shared by every layer.
        std::vector<float> position_bias;
        if (relative_attention_bias_) {
            std::size_t longest = 0;
            for (std::size_t b = 0; b < batch.size(); ++b) longest = std::max(longest, batch.length(b));
            const std::size_t span = 2 * longest - 1, heads = cfg.num_heads;
            position_bias.resize(heads * span);
            for (std::size_t k = 0; k < span; ++k) {
                const std::size_t bucket = variant_.relative_bucket(static_cast<std::ptrdiff_t>(k) - static_cast<std::ptrdiff_t>(longest - 1));
                for (std::size_t h = 0; h < heads; ++h) position_bias[h * span + k] = relative_attention_bias_[bucket * heads + h];
            }
            params.position_bias = position_bias.data();
            params.bias_length = longest;
        }
        std::vector<float> score_bias;  // (heads, n, n) of one sequence, DeBERTa
        for (std::size_t l = 0; l < layers_.size(); ++l) {
            const BertLayer& layer = layers_[l];
            ops::linear(layer.query, x, n, q.data());
            ops::linear(layer.key, x, n, k.data());
            ops::linear(layer.value, x, n, v.data());
            if (!variant_.score_bias) {
                attend(params, batch, nullptr, 0, q.data(), c, k.data(), c, v.data(), c, context.data(), c);
            } else {
                for (std::size_t b = 0; b < batch.size(); ++b) {
                    const std::size_t r = batch.begin(b), len = batch.length(b);
                    score_bias.resize(cfg.num_heads * len * len);
                    variant_.score_bias->fill(l, q.data() + r * c, k.data() + r * c, c, len, score_bias.data());
                    ops::AttentionParams with_bias = params;
                    with_bias.score_bias = score_bias.data();
                    ops::attention(with_bias, q.data() + r * c, c, k.data() + r * c, c, v.data() + r * c, c, len, len,
                                   context.data() + r * c, c);
                }
            }
            // BertSelfOutput: LayerNorm(dense(context) + input).
            ops::linear(layer.attention_output_dense, context.data(), n, a.data());
            ops::add_layer_norm(a.data(), x, a.data(), n, c, layer.attention_output_ln_weight,
                                layer.attention_output_ln_bias, cfg.norm_eps);
            // BertIntermediate + BertOutput: LayerNorm(dense(act(dense(a))) + a).
            ops::linear(layer.intermediate_dense, a.data(), n, mid.data());
            ops::activate(cfg.activation, mid.data(), n * inter);
            ops::linear(layer.output_dense, mid.data(), n, x);
            ops::add_layer_norm(x, a.data(), x, n, c, layer.output_ln_weight, layer.output_ln_bias, cfg.norm_eps);
        }
    }

    bool has_head() const override { return static_cast<bool>(head_.decoder.weight); }

    void head(const float* hidden, std::size_t n, float* logits) override {
        const std::size_t c = config_.hidden_size;
        std::vector<float> t(n * c);  // (n, C)
        ops::linear(head_.dense, hidden, n, t.data());
        ops::activate(head_.activation, t.data(), n * c);
        ops::layer_norm(t.data(), n, c, head_.ln_weight, head_.ln_bias, config_.norm_eps);
        ops::linear(head_.decoder, t.data(), n, logits);
    }

    std::unique_ptr<KvCache> make_cache() const override { return nullptr; }

private:
    // The MLM head exists when the checkpoint has its transform: BertForMaskedLM and
    // BertForPreTraining ("cls.predictions."), RobertaForMaskedLM ("lm_head."),
    // DistilBertForMaskedLM ("vocab_transform").
    void load_head(Weights& weights) {
        const std::size_t c = config_.hidden_size, vocab = config_.vocab_size;
        const MaskedLmHeadNames& names = variant_.head;
        Loader h{weights, names.prefix};
        if (!weights.contains(h.prefix + names.dense + ".weight")) return;
        head_.dense = h.linear(names.dense, c, c, true);
        head_.activation = names.config_activation ? config_.activation : Activation::gelu;
        head_.ln_weight = h.get(names.layer_norm + ".weight", {c});
        head_.ln_bias = h.get(names.layer_norm + ".bias", {c});
        // The decoder's weight is tied to the word embeddings (and usually not saved).
        const float* decoder = config_.tie_word_embeddings ? nullptr : h.find(names.decoder + ".weight", {vocab, c});
        head_.decoder.weight = decoder ? decoder : word_embeddings_;
        for (const auto& bias : names.bias)
            if (!head_.decoder.bias) head_.decoder.bias = h.find(bias, {vocab});
        if (!head_.decoder.bias) head_.decoder.bias = h.get(names.bias.back(), {vocab});  // throws: names it
        head_.decoder.in = c;
        head_.decoder.out = vocab;
    }

    ModelConfig config_;
    BertVariant variant_;
    const float* word_embeddings_ = nullptr;        // (vocab, C)
    const float* position_embeddings_ = nullptr;    // (max_positions, C)
    const float* token_type_embeddings_ = nullptr;  // (type_vocab, C)
    const float* embeddings_ln_weight_ = nullptr;
    const float* embeddings_ln_bias_ = nullptr;
    std::vector<BertLayer> layers_;
    const float* relative_attention_bias_ = nullptr;  // (buckets, heads), MPNet
    MaskedLmHead head_;
};

}  // namespace

BertVariant bert_variant() {
    BertVariant variant;
    variant.base_prefix = "bert.";
    variant.head = {"cls.predictions.", "transform.dense", "transform.LayerNorm", "decoder", {"bias", "decoder.bias"}, true};
    // BertEmbeddings: position_ids = arange(seq_length).
    variant.position_ids = [](std::span<const std::int32_t> ids) {
        std::vector<std::int32_t> p(ids.size());
        for (std::size_t i = 0; i < p.size(); ++i) p[i] = static_cast<std::int32_t>(i);
        return p;
    };
    return variant;
}

std::unique_ptr<Network> make_bert_family(const ModelConfig& config, Weights& weights, BertVariant variant) {
    return std::make_unique<BertForMaskedLM>(config, weights, std::move(variant));
}

}  // namespace models

void read_bert_config(const ConfigReader& r, ModelConfig& c) { read_bert_encoder_config(r, c); }

std::unique_ptr<Network> make_bert(const ModelConfig& config, Weights& weights) {
    return models::make_bert_family(config, weights, models::bert_variant());
}

}  // namespace hubbench::engine
