// DeBERTa-v2 and DeBERTa-v3, mirroring transformers' modeling_deberta_v2.py
// https://github.com/huggingface/transformers/blob/v5.0.0/src/transformers/models/deberta_v2/modeling_deberta_v2.py
//
//   DebertaV2ForMaskedLM
//     deberta: DebertaV2Model
//       embeddings: DebertaV2Embeddings   word (+ position when position_biased_input, + token type
//                                         when type_vocab_size > 0), LayerNorm
//       encoder: DebertaV2Encoder
//         rel_embeddings                  (2 span, C), span = position_buckets (else
//                                         max_relative_positions); through LayerNorm when norm_rel_ebd
//                                         has "layer_norm" (get_rel_embedding)
//         layer[i]: DebertaV2Layer        BERT's post-LN layer (engine/models/bert.cpp) whose
//           attention.self                DisentangledSelfAttention: query_proj, key_proj, value_proj,
//                                         scores = (Q K^T + c2p + p2c) / sqrt(d * (1 + #pos types))
//                                           c2p[i][j] = Q_i . Kr[δ(i, j)]   (content -> position)
//                                           p2c[i][j] = K_j . Qr[δ(i, j)]   (position -> content)
//                                         Kr, Qr: the relative embeddings through key_proj / query_proj
//                                         (share_att_key) or pos_key_proj / pos_query_proj;
//                                         δ(i, j) = clamp(bucket(i - j) + span, 0, 2 span - 1)
//     cls.predictions (config.legacy)     transform (dense, act, LayerNorm), decoder tied + bias
//     lm_predictions.lm_head (legacy false)  dense, act, LayerNorm, word embeddings^T + bias
//
// p2c upstream gathers at clamp(-bucket(j - i) + span) and transposes; bucket() is odd
// (make_log_bucket_position: sign * f(|x|)), so that is δ(i, j) too. Kr and Qr do not depend on
// the input: each layer's are computed once at load, per head and already divided by the scale.
// Not implemented (a one-line error at load): ConvLayer (conv_kernel_size, DeBERTa-v2-xlarge),
// embedding_size != hidden_size, attention_head_size, position types other than c2p and p2c.
#include "engine/models/deberta_v2.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "engine/config_reader.hpp"
#include "engine/models/bert.hpp"
#include "engine/models/common.hpp"
#include "engine/ops/parallel.hpp"

namespace hubbench::engine {
namespace models {

std::int64_t deberta_log_bucket(std::int64_t relative_position, std::int64_t bucket_size, std::int64_t max_position) {
    const std::int64_t mid = bucket_size / 2;
    if (relative_position < mid && relative_position > -mid) return relative_position;
    const std::int64_t abs_pos = relative_position < 0 ? -relative_position : relative_position;
    if (abs_pos <= mid) return relative_position;
    // torch: abs_pos / mid and (max_position - 1) / mid are float32 tensors, so is the log.
    const float ratio = std::log(static_cast<float>(abs_pos) / static_cast<float>(mid)) /
                        std::log(static_cast<float>(static_cast<double>(max_position - 1) / static_cast<double>(mid)));
    const auto log_pos = static_cast<std::int64_t>(std::ceil(ratio * static_cast<float>(mid - 1))) + mid;
    return relative_position < 0 ? -log_pos : log_pos;
}

namespace {

// The disentangled bias of every layer: per head, Kr and Qr (2 span, d) divided by the scale.
class DisentangledBias final : public ScoreBias {
public:
    DisentangledBias(const ModelConfig& config, Weights& weights, const std::string& prefix, double scale)
        : config_(config), span_(config.deberta.span) {  // a copy: the network outlives the caller's config
        const std::size_t c = config.hidden_size, rows = 2 * span_, heads = config.num_heads, d = config.head_dim;
        Loader w{weights, prefix};
        // DebertaV2Encoder.get_rel_embedding: rel_embeddings.weight[0 : 2 span], LayerNorm'd.
        std::vector<float> rel(rows * c);
        const float* table = w.get("encoder.rel_embeddings.weight", {rows, c});
        std::copy_n(table, rows * c, rel.data());
        if (config.deberta.norm_rel_embeddings)
            ops::layer_norm(rel.data(), rows, c, w.get("encoder.LayerNorm.weight", {c}), w.get("encoder.LayerNorm.bias", {c}),
                            config.norm_eps);
        std::vector<float> projected(rows * c);
        auto per_head = [&](const ops::Linear& proj) {
            ops::linear(proj, rel.data(), rows, projected.data());
            std::vector<float> out(heads * rows * d);  // (heads, 2 span, d)
            for (std::size_t h = 0; h < heads; ++h)
                for (std::size_t r = 0; r < rows; ++r)
                    for (std::size_t t = 0; t < d; ++t)
                        out[(h * rows + r) * d + t] = static_cast<float>(projected[r * c + h * d + t] * scale);
            return out;
        };
        const bool shared = config.deberta.share_att_key;
        for (std::size_t i = 0; i < config.num_layers; ++i) {
            const std::string p = "encoder.layer." + std::to_string(i) + ".attention.self.";
            Layer layer;
            if (config.deberta.c2p) layer.key = per_head(w.linear(p + (shared ? "key_proj" : "pos_key_proj"), c, c, true));
            if (config.deberta.p2c) layer.query = per_head(w.linear(p + (shared ? "query_proj" : "pos_query_proj"), c, c, true));
            layers_.push_back(std::move(layer));
        }
    }

    void fill(std::size_t l, const float* q, const float* k, std::size_t ld, std::size_t n, float* bias) const override {
        const std::size_t heads = config_.num_heads, d = config_.head_dim, rows = 2 * span_;
        // δ by i - j + n - 1.
        std::vector<std::size_t> delta(2 * n - 1);
        for (std::size_t t = 0; t < delta.size(); ++t) {
            const auto rel = static_cast<std::int64_t>(t) - static_cast<std::int64_t>(n - 1);
            const std::int64_t bucketed = config_.deberta.position_buckets > 0
                                              ? deberta_log_bucket(rel, config_.deberta.position_buckets,
                                                                   config_.deberta.max_relative_positions)
                                              : rel;
            delta[t] = static_cast<std::size_t>(std::clamp<std::int64_t>(bucketed + static_cast<std::int64_t>(span_), 0,
                                                                         static_cast<std::int64_t>(rows) - 1));
        }
        const Layer& layer = layers_[l];
        // The products first (OpenBLAS threads them), then the gathers, one head per thread (no
        // BLAS call inside an OpenMP region: the pthreads OpenBLAS would oversubscribe).
        std::vector<float> c2p(layer.key.empty() ? 0 : heads * n * rows), p2c(layer.query.empty() ? 0 : heads * n * rows);
        for (std::size_t h = 0; h < heads; ++h) {
            if (!c2p.empty())
                ops::linear({layer.key.data() + h * rows * d, nullptr, d, rows, false}, q + h * d, ld, n, c2p.data() + h * n * rows, rows);
            if (!p2c.empty())
                ops::linear({layer.query.data() + h * rows * d, nullptr, d, rows, false}, k + h * d, ld, n, p2c.data() + h * n * rows,
                            rows);
        }
#pragma omp parallel for schedule(static) if (ops::parallel_rows(heads * n * n))
        for (std::size_t h = 0; h < heads; ++h) {
            float* b = bias + h * n * n;
            const float* cp = c2p.empty() ? nullptr : c2p.data() + h * n * rows;
            const float* pc = p2c.empty() ? nullptr : p2c.data() + h * n * rows;
            for (std::size_t i = 0; i < n; ++i)
                for (std::size_t j = 0; j < n; ++j) {
                    const std::size_t at = delta[i - j + n - 1];
                    b[i * n + j] = (cp ? cp[i * rows + at] : 0.0f) + (pc ? pc[j * rows + at] : 0.0f);
                }
        }
    }

private:
    struct Layer {
        std::vector<float> key, query;  // (heads, 2 span, d) each, / scale; empty when unused
    };
    ModelConfig config_;
    std::size_t span_;
    std::vector<Layer> layers_;
};

}  // namespace
}  // namespace models

// configuration_deberta_v2.py DebertaV2Config (BERT's fields plus the relative attention ones).
void read_deberta_v2_config(const ConfigReader& r, ModelConfig& c) {
    read_bert_encoder_config(r, c);
    c.norm_eps = r.real({"layer_norm_eps"}, 1e-7);
    c.type_vocab_size = r.size({"type_vocab_size"}, 0);
    auto& d = c.deberta;
    d.relative_attention = r.flag("relative_attention", false);
    d.position_biased_input = r.flag("position_biased_input", true);
    d.share_att_key = r.flag("share_att_key", false);
    d.legacy_head = r.flag("legacy", true);
    // pos_att_type: "p2c|c2p" (older configs) or ["p2c", "c2p"].
    std::vector<std::string> types;
    if (const nlohmann::json* t = r.field({"pos_att_type"})) {
        if (t->is_string()) {
            std::string s = t->get<std::string>();
            for (std::size_t start = 0; start <= s.size();) {
                const auto bar = std::min(s.find('|', start), s.size());
                std::string item = s.substr(start, bar - start);
                item.erase(0, item.find_first_not_of(' '));
                item.erase(item.find_last_not_of(' ') + 1);
                std::transform(item.begin(), item.end(), item.begin(), [](unsigned char ch) { return std::tolower(ch); });
                if (!item.empty()) types.push_back(item);
                start = bar + 1;
            }
        } else if (t->is_array()) {
            for (const auto& x : *t) {
                if (!x.is_string()) r.invalid("\"pos_att_type\" entries must be strings");
                types.push_back(x.get<std::string>());
            }
        }
    }
    for (const auto& t : types) {
        if (t == "c2p") d.c2p = true;
        else if (t == "p2c") d.p2c = true;
        else r.unsupported(fmt::format("pos_att_type '{}' is not supported (supported: c2p, p2c)", t));
    }
    if (r.size({"conv_kernel_size"}, 0) > 0) r.unsupported("conv_kernel_size > 0 (DeBERTa's ConvLayer) is not supported");
    if (r.size({"embedding_size"}, c.hidden_size) != c.hidden_size) r.unsupported("embedding_size != hidden_size is not supported");
    if (r.size({"attention_head_size"}, c.head_dim) != c.head_dim) r.unsupported("attention_head_size != hidden_size / heads is not supported");
    if (d.relative_attention) {
        const auto max_relative = static_cast<std::int64_t>(r.real({"max_relative_positions"}, -1));
        d.max_relative_positions = max_relative < 1 ? static_cast<std::int64_t>(c.max_positions) : max_relative;
        d.position_buckets = static_cast<std::int64_t>(r.real({"position_buckets"}, -1));
        d.span = static_cast<std::size_t>(d.position_buckets > 0 ? d.position_buckets : d.max_relative_positions);
        if (d.position_buckets > 0 && d.position_buckets < 4) r.invalid("position_buckets must be at least 4");
        std::string norm = r.text("norm_rel_ebd", "none");
        std::transform(norm.begin(), norm.end(), norm.begin(), [](unsigned char ch) { return std::tolower(ch); });
        d.norm_rel_embeddings = norm.find("layer_norm") != std::string::npos;
    } else {
        d.c2p = d.p2c = false;  // no relative embeddings: the types only widen the scale
    }
    d.scale_factor = 1 + types.size();
}

std::unique_ptr<Network> make_deberta_v2(const ModelConfig& config, Weights& weights) {
    models::BertVariant variant = models::bert_variant();
    variant.base_prefix = "deberta.";
    auto& n = variant.names;
    if (!config.deberta.position_biased_input) n.position_embeddings.clear();
    if (config.type_vocab_size == 0) n.token_type_embeddings.clear();
    n.query = "attention.self.query_proj";
    n.key = "attention.self.key_proj";
    n.value = "attention.self.value_proj";
    if (!config.deberta.legacy_head) variant.head = {"lm_predictions.lm_head.", "dense", "LayerNorm", "decoder", {"bias"}, true};
    // DisentangledSelfAttention: scale = sqrt(head_dim * scale_factor), computed in float32.
    const float root = std::sqrt(static_cast<float>(config.head_dim) * static_cast<float>(config.deberta.scale_factor));
    variant.score_scale = 1.0 / static_cast<double>(root);
    if (config.deberta.relative_attention && (config.deberta.c2p || config.deberta.p2c)) {
        const std::string prefix = weights.resolve_prefix({variant.base_prefix, ""}, n.word_embeddings + ".weight");
        variant.score_bias = std::make_shared<models::DisentangledBias>(config, weights, prefix, variant.score_scale);
    }
    return models::make_bert_family(config, weights, std::move(variant));
}

}  // namespace hubbench::engine
