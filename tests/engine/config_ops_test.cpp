// config.json parsing and the ops, checked against values computed independently here (naive
// loops in double, IEEE bit patterns, the transformers formulas written out).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/fs.hpp"
#include "engine/architectures.hpp"
#include "engine/config.hpp"
#include "engine/model.hpp"
#include "engine/models/deberta_v2.hpp"
#include "engine/models/mpnet.hpp"
#include "engine/ops/ops.hpp"
#include "engine/safetensors.hpp"
#include "engine/safetensors_writer.hpp"
#include "tests/engine/reference_support.hpp"

using namespace hubbench;
using namespace hubbench::engine;

namespace {

ModelConfig parse(const std::string& json) { return parse_model_config(json, "config.json"); }

const std::string llama_base = R"("model_type":"llama","vocab_size":32,"hidden_size":64,"num_hidden_layers":2,)"
                               R"("num_attention_heads":4,"intermediate_size":128)";

// softmax(Q K^T * scale + mask) V for one head, in double, with the key range given per query.
std::vector<double> naive_attention(const ops::AttentionParams& p, const std::vector<float>& q, const std::vector<float>& k,
                                    const std::vector<float>& v, std::size_t n, std::size_t m) {
    const std::size_t d = p.head_dim, hq = p.num_heads, hk = p.num_kv_heads;
    std::vector<double> out(n * hq * d, 0.0);
    for (std::size_t h = 0; h < hq; ++h) {
        const std::size_t g = h / (hq / hk);
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t pos = m - n + i;
            std::vector<double> s(m, -std::numeric_limits<double>::infinity());
            double mx = -std::numeric_limits<double>::infinity();
            for (std::size_t j = 0; j < m; ++j) {
                if (p.causal && j > pos) continue;
                if (p.window && pos >= p.window && j <= pos - p.window) continue;
                if (!p.causal && p.window && j >= pos + p.window) continue;  // bidirectional: |j - pos| < window
                double dot = 0;
                for (std::size_t t = 0; t < d; ++t) dot += static_cast<double>(q[i * hq * d + h * d + t]) * k[j * hk * d + g * d + t];
                s[j] = dot * p.scale;
                if (p.softcap > 0) s[j] = p.softcap * std::tanh(s[j] / p.softcap);
                mx = std::max(mx, s[j]);
            }
            double sum = 0;
            for (auto& x : s) sum += (x = std::exp(x - mx));
            for (std::size_t j = 0; j < m; ++j)
                for (std::size_t t = 0; t < d; ++t) out[i * hq * d + h * d + t] += s[j] / sum * v[j * hk * d + g * d + t];
        }
    }
    return out;
}

}  // namespace

TEST_SUITE("unit") {
TEST_CASE("config reads both rope_theta and rope_parameters and defaults head_dim and kv heads") {
    auto old_form = parse("{" + llama_base + R"(,"rope_theta":500000.0,"rms_norm_eps":1e-5})");
    CHECK(old_form.rope.theta == 500000.0);
    CHECK(old_form.rope.type == "default");
    CHECK(old_form.head_dim == 16);
    CHECK(old_form.num_kv_heads == 4);
    CHECK(old_form.norm_eps == 1e-5);
    CHECK(old_form.activation == Activation::silu);
    CHECK_FALSE(old_form.tie_word_embeddings);
    CHECK(old_form.kind == ModelKind::decoder);

    auto new_form = parse("{" + llama_base + R"(,"rope_parameters":{"rope_theta":500000.0,"rope_type":"default"},)"
                                             R"("head_dim":32,"num_key_value_heads":2,"tie_word_embeddings":true})");
    CHECK(new_form.rope.theta == 500000.0);
    CHECK(new_form.head_dim == 32);
    CHECK(new_form.num_kv_heads == 2);
    CHECK(new_form.tie_word_embeddings);

    auto scaled = parse("{" + llama_base + R"(,"rope_theta":10000,"rope_scaling":{"type":"linear","factor":4.0}})");
    CHECK(scaled.rope.type == "linear");
    CHECK(scaled.rope.factor == 4.0);
    CHECK_THROWS_WITH_AS(parse("{" + llama_base + R"(,"rope_scaling":{"rope_type":"yarn","factor":4.0}})"),
                         doctest::Contains("rope type 'yarn'"), Error);
}

TEST_CASE("config reads GPT-2 and BERT names for the same quantities") {
    auto gpt2 = parse(R"({"model_type":"gpt2","vocab_size":10,"n_embd":64,"n_layer":3,"n_head":4,"n_positions":128,)"
                      R"("n_inner":null,"layer_norm_epsilon":1e-5,"activation_function":"gelu_new"})");
    CHECK(gpt2.hidden_size == 64);
    CHECK(gpt2.num_layers == 3);
    CHECK(gpt2.intermediate_size == 256);
    CHECK(gpt2.max_positions == 128);
    CHECK(gpt2.activation == Activation::gelu_new);
    CHECK(gpt2.tie_word_embeddings);
    auto bert = parse(R"({"model_type":"bert","architectures":["BertForMaskedLM"],"vocab_size":10,"hidden_size":64,)"
                      R"("num_hidden_layers":2,"num_attention_heads":4,"intermediate_size":128,"layer_norm_eps":1e-12,)"
                      R"("hidden_act":"gelu","max_position_embeddings":64,"type_vocab_size":2,"pad_token_id":0})");
    CHECK(bert.kind == ModelKind::encoder);
    CHECK(bert.architecture == "BertForMaskedLM");
    CHECK(bert.norm_eps == 1e-12);
    CHECK(bert.pad_token_id == 0);
    CHECK_THROWS_WITH_AS(parse(R"({"model_type":"bert","vocab_size":10,"hidden_size":64,"num_hidden_layers":2,)"
                               R"("num_attention_heads":4,"intermediate_size":128,"hidden_act":"mish"})"),
                         doctest::Contains("activation 'mish'"), Error);
    CHECK_THROWS_WITH_AS(parse(R"({"model_type":"gpt2","vocab_size":10})"), doctest::Contains("missing \"n_embd\""), Error);
    CHECK_THROWS_WITH_AS(parse("{\"model_type\": 3}"), doctest::Contains("model_type"), Error);
    CHECK_THROWS_WITH_AS(parse("not json"), doctest::Contains("invalid JSON"), Error);
}

TEST_CASE("ModernBERT configs in the transformers 4 form take global and local rope and layer types from their own keys") {
    // answerdotai/ModernBERT-base's config.json (transformers 4.48), abridged.
    auto c = parse(R"({"model_type":"modernbert","architectures":["ModernBertForMaskedLM"],"vocab_size":50368,)"
                   R"("hidden_size":768,"num_hidden_layers":22,"num_attention_heads":12,"intermediate_size":1152,)"
                   R"("max_position_embeddings":8192,"global_attn_every_n_layers":3,"local_attention":128,)"
                   R"("global_rope_theta":160000.0,"local_rope_theta":10000.0,"norm_eps":1e-05,"norm_bias":false,)"
                   R"("hidden_activation":"gelu","classifier_activation":"gelu","classifier_bias":false,"decoder_bias":true})");
    CHECK(c.kind == ModelKind::encoder);
    CHECK(c.head_dim == 64);
    CHECK(c.rope.theta == 160000.0);
    CHECK(c.local_rope.theta == 10000.0);
    REQUIRE(c.sliding_window.has_value());
    CHECK(*c.sliding_window == 64);  // local_attention // 2, the reach either side
    REQUIRE(c.sliding_layers.size() == 22);
    CHECK_FALSE(c.sliding_layers[0]);
    CHECK(c.sliding_layers[1]);
    CHECK(c.sliding_layers[2]);
    CHECK_FALSE(c.sliding_layers[3]);
    CHECK_FALSE(c.sliding_layers[21]);
    CHECK_FALSE(c.norm_bias);
    CHECK_FALSE(c.head_bias);
    CHECK(c.decoder_bias);
    CHECK(c.head_activation == Activation::gelu);
    CHECK_THROWS_WITH_AS(parse(R"({"model_type":"modernbert","vocab_size":10,"hidden_size":64,"num_hidden_layers":2,)"
                               R"("num_attention_heads":4,"intermediate_size":96,"classifier_activation":"mish"})"),
                         doctest::Contains("activation 'mish'"), Error);
}

TEST_CASE("config sliding windows follow Mistral Qwen2 and layer_types") {
    auto mistral = parse(R"({"model_type":"mistral","vocab_size":32,"hidden_size":64,"num_hidden_layers":2,)"
                         R"("num_attention_heads":4,"intermediate_size":128,"sliding_window":4096})");
    REQUIRE(mistral.sliding_window.has_value());
    CHECK(*mistral.sliding_window == 4096);
    CHECK(mistral.sliding_layers == std::vector<bool>{true, true});
    auto mistral_v3 = parse(R"({"model_type":"mistral","vocab_size":32,"hidden_size":64,"num_hidden_layers":2,)"
                            R"("num_attention_heads":4,"intermediate_size":128,"sliding_window":null})");
    CHECK_FALSE(mistral_v3.sliding_window.has_value());
    const std::string qwen = R"("model_type":"qwen2","vocab_size":32,"hidden_size":64,"num_hidden_layers":4,)"
                             R"("num_attention_heads":4,"intermediate_size":128,"sliding_window":16,"max_window_layers":2)";
    CHECK_FALSE(parse("{" + qwen + R"(,"use_sliding_window":false})").sliding_window.has_value());
    auto qwen_sliding = parse("{" + qwen + R"(,"use_sliding_window":true})");
    CHECK(qwen_sliding.sliding_layers == std::vector<bool>{false, false, true, true});
    auto typed = parse("{" + qwen + R"(,"use_sliding_window":true,"layer_types":["sliding_attention","full_attention",)"
                                    R"("full_attention","full_attention"]})");
    CHECK(typed.sliding_layers == std::vector<bool>{true, false, false, false});
}

TEST_CASE("config rows: Qwen3 head_dim defaults to 128 while RoBERTa and XLM-R count positions from padding_idx + 1") {
    // configuration_qwen3.py: head_dim=128 whatever hidden_size / num_attention_heads is (64 here).
    const std::string qwen3 = R"("model_type":"qwen3","vocab_size":32,"hidden_size":256,"num_hidden_layers":2,)"
                              R"("num_attention_heads":4,"num_key_value_heads":2,"intermediate_size":128)";
    auto defaulted = parse("{" + qwen3 + "}");
    CHECK(defaulted.head_dim == 128);
    CHECK(defaulted.kind == ModelKind::decoder);
    CHECK(parse("{" + qwen3 + R"(,"head_dim":32})").head_dim == 32);
    // The same fields under llama take head_dim from hidden_size / heads.
    CHECK(parse("{" + llama_base + "}").head_dim == 16);
    CHECK_THROWS_WITH_AS(parse("{" + qwen3 + R"(,"head_dim":33})"), doctest::Contains("head_dim 33 with partial_rotary_factor 1 gives 33 rotary dimensions: it must be even"), Error);
    CHECK(parse("{" + qwen3 + R"(,"use_sliding_window":true,"sliding_window":8,"max_window_layers":1})").sliding_layers ==
          std::vector<bool>{false, true});

    const std::string encoder = R"("vocab_size":10,"hidden_size":64,"num_hidden_layers":2,"num_attention_heads":4,)"
                                R"("intermediate_size":128,"max_position_embeddings":130)";
    auto with_type = [](const std::string& type, const std::string& fields) {
        return R"({"model_type":")" + type + R"(",)" + fields + "}";
    };
    for (const char* type : {"roberta", "xlm-roberta"}) {
        CAPTURE(type);
        auto c = parse(with_type(type, encoder + R"(,"pad_token_id":1)"));
        CHECK(c.kind == ModelKind::encoder);
        CHECK(c.position_offset == 2);  // 130 positions hold 128 tokens, as xlm-roberta-base's 514 hold 512
        CHECK_THROWS_WITH_AS(parse(with_type(type, encoder)),
                             doctest::Contains("needs \"pad_token_id\""), Error);
    }
    CHECK(parse(with_type("bert", encoder + R"(,"pad_token_id":0)")).position_offset == 0);
}

TEST_CASE("config rows: GPT-NeoX and DistilBERT and Gemma read their own names and class defaults") {
    // transformers 4 Pythia config: rotary_pct, rotary_emb_base; transformers 5: rope_parameters.
    const std::string neox = R"("model_type":"gpt_neox","vocab_size":32,"hidden_size":64,"num_hidden_layers":2,)"
                             R"("num_attention_heads":4,"intermediate_size":256)";
    auto v4 = parse("{" + neox + R"(,"rotary_pct":0.5,"rotary_emb_base":500})");
    CHECK(v4.rope.partial_rotary_factor == 0.5);
    CHECK(v4.rope.theta == 500.0);
    CHECK(v4.parallel_residual);
    CHECK(v4.attention_bias);
    CHECK_FALSE(v4.tie_word_embeddings);
    auto v5 = parse("{" + neox + R"(,"use_parallel_residual":false,"rope_parameters":{"rope_type":"default",)"
                                 R"("rope_theta":10000,"partial_rotary_factor":0.25}})");
    CHECK(v5.rope.partial_rotary_factor == 0.25);
    CHECK_FALSE(v5.parallel_residual);
    CHECK(parse("{" + neox + "}").rope.partial_rotary_factor == 0.25);  // the class default
    CHECK_THROWS_WITH_AS(parse("{" + neox + R"(,"rotary_pct":0.1})"), doctest::Contains("gives 1 rotary dimensions"), Error);

    auto distil = parse(R"({"model_type":"distilbert","vocab_size":32,"dim":64,"n_layers":2,"n_heads":4,)"
                        R"("hidden_dim":96,"activation":"relu"})");
    CHECK(distil.kind == ModelKind::encoder);
    CHECK(distil.hidden_size == 64);
    CHECK(distil.num_layers == 2);
    CHECK(distil.intermediate_size == 96);
    CHECK(distil.activation == Activation::relu);
    CHECK(distil.norm_eps == 1e-12);
    CHECK(distil.max_positions == 512);

    const std::string gemma = R"("vocab_size":32,"hidden_size":64,"num_hidden_layers":6,"num_attention_heads":4,)"
                              R"("num_key_value_heads":2,"intermediate_size":128)";
    auto g2 = parse(R"({"model_type":"gemma2",)" + gemma + "}");
    CHECK(g2.head_dim == 256);
    CHECK(g2.activation == Activation::gelu_pytorch_tanh);
    CHECK(g2.attn_logit_softcapping == 50.0);
    CHECK(g2.final_logit_softcapping == 30.0);
    CHECK(g2.query_pre_attn_scalar == 256.0);
    REQUIRE(g2.sliding_window.has_value());
    CHECK(*g2.sliding_window == 4096);
    CHECK(g2.sliding_layers == std::vector<bool>{true, false, true, false, true, false});
    auto g2_uncapped = parse(R"({"model_type":"gemma2",)" + gemma +
                             R"(,"attn_logit_softcapping":null,"final_logit_softcapping":null,"sliding_window":null})");
    CHECK(g2_uncapped.attn_logit_softcapping == 0.0);
    CHECK(g2_uncapped.final_logit_softcapping == 0.0);
    CHECK_FALSE(g2_uncapped.sliding_window.has_value());
    auto g3 = parse(R"({"model_type":"gemma3_text",)" + gemma + R"(,"sliding_window":512,"rope_theta":1000000,)"
                    R"("rope_scaling":{"rope_type":"linear","factor":8.0}})");
    CHECK(g3.attn_logit_softcapping == 0.0);
    CHECK(g3.sliding_layers == std::vector<bool>{true, true, true, true, true, false});  // every 6th global
    CHECK(g3.rope.theta == 1000000.0);
    CHECK(g3.rope.type == "linear");
    CHECK(g3.local_rope.theta == 10000.0);  // rope_local_base_freq's default, unscaled
    CHECK(g3.local_rope.type == "default");
    auto g3_v5 = parse(R"({"model_type":"gemma3_text",)" + gemma + R"(,"rope_parameters":{"full_attention":)"
                       R"({"rope_type":"default","rope_theta":1000000},"sliding_attention":{"rope_type":"default",)"
                       R"("rope_theta":5000}}})");
    CHECK(g3_v5.rope.theta == 1000000.0);
    CHECK(g3_v5.local_rope.theta == 5000.0);
    CHECK_THROWS_WITH_AS(parse(R"({"model_type":"gemma3",)" + gemma + "}"), doctest::Contains("model_type 'gemma3' is not supported"),
                         Error);
}

TEST_CASE("config rows: Phi-3 reads longrope with its attention factor from the context ratio") {
    const std::string phi3 = R"("model_type":"phi3","vocab_size":32,"hidden_size":64,"num_hidden_layers":2,)"
                             R"("num_attention_heads":4,"intermediate_size":128,"max_position_embeddings":131072,)"
                             R"("original_max_position_embeddings":4096)";
    // Phi-3-mini-128k's form: rope_scaling {"type": "longrope"} (older files: "su"), factors of head_dim / 2.
    const std::string factors = R"("short_factor":[1,1,1,1,1,1,1,1],"long_factor":[2,2,2,2,2,2,2,2])";
    for (const char* type : {"longrope", "su"}) {
        CAPTURE(type);
        auto c = parse("{" + phi3 + R"(,"rope_scaling":{"type":")" + type + R"(",)" + factors + "}}");
        CHECK(c.rope.type == "longrope");
        CHECK(c.rope.original_max_positions == 4096);
        CHECK(c.rope.short_factor.size() == 8);
        CHECK(c.rope.long_factor[0] == 2.0);
        // sqrt(1 + ln(131072 / 4096) / ln(4096))
        CHECK(c.rope.attention_factor == doctest::Approx(std::sqrt(1 + std::log(32.0) / std::log(4096.0))).epsilon(1e-12));
        CHECK(c.norm_eps == 1e-5);
        CHECK_FALSE(c.tie_word_embeddings);
    }
    auto mini4k = parse("{" + phi3 + "}");
    CHECK(mini4k.rope.type == "default");
    CHECK(mini4k.rope.attention_factor == 1.0);
    auto partial = parse("{" + phi3 + R"(,"partial_rotary_factor":0.75})");
    CHECK(partial.rope.partial_rotary_factor == 0.75);
    CHECK_THROWS_WITH_AS(parse("{" + phi3 + R"(,"rope_scaling":{"type":"longrope","short_factor":[1]}})"),
                         doctest::Contains("longrope needs \"long_factor\""), Error);
}

TEST_CASE("config rows: OPT reads ffn_dim and enable_bias and refuses opt-350m's projections by name") {
    const std::string opt = R"("model_type":"opt","vocab_size":32,"hidden_size":64,"num_hidden_layers":2,)"
                            R"("num_attention_heads":4,"ffn_dim":256)";
    auto c = parse("{" + opt + "}");
    CHECK(c.intermediate_size == 256);
    CHECK(c.activation == Activation::relu);
    CHECK(c.max_positions == 2048);
    CHECK(c.attention_bias);
    CHECK(c.tie_word_embeddings);
    CHECK_FALSE(parse("{" + opt + R"(,"enable_bias":false})").attention_bias);
    const auto refused = [&](const std::string& extra) {
        return test::error_of([&] { parse("{" + opt + "," + extra + "}"); });
    };
    CHECK(refused(R"("word_embed_proj_dim":32)").find("word_embed_proj_dim 32 != hidden_size 64") != std::string::npos);
    CHECK(refused(R"("do_layer_norm_before":false)").find("do_layer_norm_before=false") != std::string::npos);
}

TEST_CASE("every architecture row answers to its model types and the supported list is theirs") {
    std::vector<std::string> listed;
    for (const auto& a : architectures()) {
        REQUIRE(static_cast<bool>(a.read_config));
        REQUIRE(static_cast<bool>(a.make));
        for (const auto& t : a.model_types) {
            CHECK(find_architecture(t) == &a);
            listed.push_back(t);
        }
    }
    std::sort(listed.begin(), listed.end());
    CHECK(std::adjacent_find(listed.begin(), listed.end()) == listed.end());  // no model_type in two rows
    CHECK(listed == supported_model_types());
    CHECK(find_architecture("t5") == nullptr);
}

TEST_CASE("half and bfloat16 convert to the float32 values of their bit patterns") {
    CHECK(half_to_float(0x3C00) == 1.0f);
    CHECK(half_to_float(0xC000) == -2.0f);
    CHECK(half_to_float(0x7BFF) == 65504.0f);
    CHECK(half_to_float(0x0001) == std::ldexp(1.0f, -24));  // smallest subnormal
    CHECK(half_to_float(0x03FF) == std::ldexp(1023.0f, -24));  // largest subnormal
    CHECK(half_to_float(0x8000) == 0.0f);
    CHECK(std::signbit(half_to_float(0x8000)));
    CHECK(half_to_float(0x7C00) == std::numeric_limits<float>::infinity());
    CHECK(std::isnan(half_to_float(0x7E00)));
    CHECK(half_to_float(0x3555) == doctest::Approx(0.33325195).epsilon(1e-7));
    CHECK(bfloat16_to_float(0x3F80) == 1.0f);
    CHECK(bfloat16_to_float(0xC040) == -3.0f);
    CHECK(float_to_bfloat16(1.0f) == 0x3F80);
    CHECK(float_to_bfloat16(1.00390625f) == 0x3F80);  // halfway: rounds to even
    CHECK(float_to_bfloat16(1.01171875f) == 0x3F82);  // halfway: rounds to even (up)
}

TEST_CASE("attention matches a naive softmax with causal GQA sliding and bidirectional windows and cached prefixes") {
    std::mt19937 rng(7);
    std::normal_distribution<float> dist;
    for (auto [hq, hk, n, m, causal, window, softcap] :
         std::vector<std::tuple<std::size_t, std::size_t, std::size_t, std::size_t, bool, std::size_t, float>>{
             {4, 4, 70, 70, false, 0, 0.0f}, {4, 2, 150, 150, true, 0, 0.0f}, {6, 2, 1, 37, true, 0, 0.0f},
             {4, 1, 5, 90, true, 0, 0.0f},   {4, 2, 100, 100, true, 17, 0.0f}, {4, 4, 1, 50, true, 8, 0.0f},
             // Gemma 2's soft-capped scores, low enough a cap to bend them
             {4, 2, 80, 80, true, 16, 0.5f}, {4, 2, 1, 40, true, 0, 0.5f},
             // ModernBERT's local layers: a window either side, across several query blocks
             {4, 4, 150, 150, false, 9, 0.0f}, {4, 4, 40, 40, false, 65, 0.0f}, {4, 4, 1, 1, false, 3, 0.0f}}) {
        CAPTURE(hq);
        CAPTURE(hk);
        CAPTURE(n);
        CAPTURE(m);
        CAPTURE(window);
        CAPTURE(softcap);
        // Heads of 8 take the OpenBLAS path; 64 and 40 (not a multiple of 16) the AVX-512 kernel
        // where the CPU has it (attention_avx512.cpp), and OpenBLAS with it switched off.
        for (const std::size_t d : {8, 64, 40}) {
            for (const bool avx512 : {true, false}) {
                CAPTURE(d);
                CAPTURE(avx512);
                const bool had = ops::avx512_enabled();
                ops::set_avx512_enabled(avx512);
                ops::AttentionParams p{hq, hk, d, 0.35f * 8.0f / static_cast<float>(d), causal, window, softcap};
                std::vector<float> q(n * hq * d), k(m * hk * d), v(m * hk * d), out(n * hq * d);
                for (auto* buf : {&q, &k, &v})
                    for (auto& x : *buf) x = dist(rng);
                ops::attention(p, q.data(), hq * d, k.data(), hk * d, v.data(), hk * d, n, m, out.data(), hq * d);
                ops::set_avx512_enabled(had);
                auto expected = naive_attention(p, q, k, v, n, m);
                double worst = 0;
                for (std::size_t i = 0; i < out.size(); ++i) worst = std::max(worst, std::fabs(out[i] - expected[i]));
                CHECK(worst < 1e-5);
            }
        }
    }
}

TEST_CASE("a relative position bias is added per head as a naive loop adds it in the batch and decoding paths") {
    std::mt19937 rng(11);
    std::normal_distribution<float> dist;
    for (auto [n, m, causal] : std::vector<std::tuple<std::size_t, std::size_t, bool>>{{30, 30, false}, {1, 1, false}, {1, 12, true}}) {
        CAPTURE(n);
        CAPTURE(m);
        const std::size_t hq = 4, hk = 2, d = 8, length = m;
        std::vector<float> table(hq * (2 * length - 1));
        for (auto& x : table) x = dist(rng);
        ops::AttentionParams p{hq, hk, d, 0.35f, causal, 0, 0.0f, table.data(), length};
        std::vector<float> q(n * hq * d), k(m * hk * d), v(m * hk * d), out(n * hq * d);
        for (auto* buf : {&q, &k, &v})
            for (auto& x : *buf) x = dist(rng);
        ops::attention(p, q.data(), hq * d, k.data(), hk * d, v.data(), hk * d, n, m, out.data(), hq * d);
        // softmax(q k * scale + bias[h][j - i]) v in double
        double worst = 0;
        for (std::size_t h = 0; h < hq; ++h) {
            const std::size_t g = h / (hq / hk);
            for (std::size_t i = 0; i < n; ++i) {
                const std::size_t pos = m - n + i;
                std::vector<double> s(m, -std::numeric_limits<double>::infinity());
                double mx = -std::numeric_limits<double>::infinity(), sum = 0;
                for (std::size_t j = 0; j < m; ++j) {
                    if (causal && j > pos) continue;
                    double dot = 0;
                    for (std::size_t t = 0; t < d; ++t) dot += double(q[i * hq * d + h * d + t]) * k[j * hk * d + g * d + t];
                    s[j] = dot * 0.35f + table[h * (2 * length - 1) + (j + length - 1 - pos)];
                    mx = std::max(mx, s[j]);
                }
                for (auto& x : s) sum += (x = std::exp(x - mx));
                for (std::size_t t = 0; t < d; ++t) {
                    double o = 0;
                    for (std::size_t j = 0; j < m; ++j) o += s[j] / sum * v[j * hk * d + g * d + t];
                    worst = std::max(worst, std::fabs(o - out[i * hq * d + h * d + t]));
                }
            }
        }
        CHECK(worst < 1e-5);
    }
}

TEST_CASE("MPNet relative position buckets equal torch buckets at every boundary") {
    // transformers.models.mpnet.modeling_mpnet.MPNetEncoder.relative_position_bucket(arange(-200, 201))
    // (torch 2.15), the float32 logarithm's truncation at the bucket edges included.
    const std::vector<std::size_t> expected{
        15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15,
        15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15,
        15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15,
        15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15,
        15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14,
        14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13,
        13, 13, 13, 13, 13, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 11, 11, 11, 11, 11, 11,
        11, 11, 11, 10, 10, 10, 10, 10, 10, 10, 9, 9, 9, 9, 8, 8, 8, 8, 7, 6, 5, 4, 3, 2, 1, 0, 17, 18, 19,
        20, 21, 22, 23, 24, 24, 24, 24, 25, 25, 25, 25, 26, 26, 26, 26, 26, 26, 26, 27, 27, 27, 27, 27, 27,
        27, 27, 27, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 29, 29, 29, 29, 29, 29, 29, 29,
        29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
        30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31,
        31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31,
        31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31,
        31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31,
        31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31};
    REQUIRE(expected.size() == 401);
    for (std::ptrdiff_t rel = -200; rel <= 200; ++rel) {
        CAPTURE(rel);
        CHECK(models::mpnet_relative_bucket(rel) == expected[static_cast<std::size_t>(rel + 200)]);
    }
}

TEST_CASE("DeBERTa log buckets match transformers' make_log_bucket_position") {
    // Computed with transformers 5.24:
    //   make_log_bucket_position(torch.tensor(rel), bucket_size, max_position).long().tolist()
    const std::vector<std::int64_t> rel{-600, -511, -300, -100, -64, -33, -17, -16, -15, -1, 0, 1, 15,
                                        16,   17,   18,   20,   33,  40,  63,  64,  100, 255, 300, 511, 600};
    const std::vector<std::int64_t> buckets32{-32, -31, -29, -24, -23, -20, -17, -16, -15, -1, 0, 1, 15,
                                              16,  17,  17,  17,  20,  20,  22,  23,  24,  28, 29, 31, 32};
    const std::vector<std::int64_t> buckets256{-270, -255, -207, -100, -64, -33, -17, -16, -15, -1, 0, 1, 15,
                                               16,   17,   18,   20,   33,  40,  63,  64,  100, 192, 207, 255, 270};
    for (std::size_t i = 0; i < rel.size(); ++i) {
        CAPTURE(rel[i]);
        CHECK(models::deberta_log_bucket(rel[i], 32, 512) == buckets32[i]);
        CHECK(models::deberta_log_bucket(rel[i], 256, 512) == buckets256[i]);
    }
}

TEST_CASE("DeBERTa configs name the features they lack") {
    const std::string base = R"("model_type":"deberta-v2","vocab_size":10,"hidden_size":64,"num_hidden_layers":2,)"
                             R"("num_attention_heads":4,"intermediate_size":128,"relative_attention":true)";
    auto v3 = parse("{" + base + R"(,"position_buckets":256,"pos_att_type":"p2c|c2p","position_biased_input":false,)"
                                 R"("norm_rel_ebd":"layer_norm","share_att_key":true,"max_relative_positions":-1})");
    CHECK(v3.deberta.c2p);
    CHECK(v3.deberta.p2c);
    CHECK(v3.deberta.span == 256);
    CHECK(v3.deberta.max_relative_positions == 512);  // -1: max_position_embeddings
    CHECK(v3.deberta.scale_factor == 3);
    CHECK(v3.deberta.norm_rel_embeddings);
    CHECK(v3.type_vocab_size == 0);
    CHECK(v3.norm_eps == 1e-7);
    CHECK_THROWS_WITH_AS(parse("{" + base + R"(,"conv_kernel_size":3})"), doctest::Contains("conv_kernel_size"), Error);
    CHECK_THROWS_WITH_AS(parse("{" + base + R"(,"pos_att_type":["c2p","p2p"]})"), doctest::Contains("pos_att_type 'p2p'"), Error);
    CHECK_THROWS_WITH_AS(parse("{" + base + R"(,"embedding_size":32})"), doctest::Contains("embedding_size"), Error);
}

TEST_CASE("softmax matches exp in double including masked and extreme entries") {
    std::vector<float> row;
    for (int i = 0; i < 300; ++i) row.push_back(static_cast<float>(std::sin(i * 0.37) * 60.0 - i * 0.2));
    row[5] = -std::numeric_limits<float>::infinity();
    row[6] = -1e30f;
    auto ours = row;
    ops::softmax_rows(ours.data(), 1, ours.size(), ours.size());
    // Expected: exp in double of the float32 differences (the float subtraction itself is what
    // torch does too; this checks our exp and the normalisation).
    float mx = -std::numeric_limits<float>::infinity();
    for (float v : row) mx = std::max(mx, v);
    double sum = 0;
    for (float v : row) sum += std::exp(static_cast<double>(v - mx));
    double worst = 0;
    for (std::size_t j = 0; j < row.size(); ++j) {
        const double expected = std::exp(static_cast<double>(row[j] - mx)) / sum;
        worst = std::max(worst, std::fabs(ours[j] - expected) / std::max(expected, 1e-30));
        if (expected < 1e-30) CHECK(ours[j] < 1e-30f);
    }
    CHECK(ours[5] == 0.0f);
    CHECK(ours[6] == 0.0f);
    CHECK(worst < 1e-6);
    std::vector<float> masked(4, -std::numeric_limits<float>::infinity());
    ops::softmax_rows(masked.data(), 1, 4, 4);
    CHECK(masked == std::vector<float>(4, 0.0f));
}

TEST_CASE("rope rotates halves with the default linear and llama3 inverse frequencies") {
    RopeConfig def;
    def.theta = 10000.0;
    ops::Rope rope(def, 8);
    for (std::size_t i = 0; i < 4; ++i) CHECK(rope.inv_freq()[i] == doctest::Approx(1.0 / std::pow(10000.0, 2.0 * i / 8)));
    std::vector<float> x{1, 2, 3, 4, 5, 6, 7, 8};
    std::vector<std::int32_t> pos{3};
    auto y = x;
    rope.apply(y.data(), 1, 8, 1, pos);
    for (std::size_t j = 0; j < 4; ++j) {
        const double a = 3 * rope.inv_freq()[j];
        CHECK(y[j] == doctest::Approx(x[j] * std::cos(a) - x[j + 4] * std::sin(a)).epsilon(1e-6));
        CHECK(y[j + 4] == doctest::Approx(x[j + 4] * std::cos(a) + x[j] * std::sin(a)).epsilon(1e-6));
    }
    // Partial rotary (GPT-NeoX rotary_pct 0.25): the first 4 of 16 dims rotate with frequencies of
    // a 4-dim rope, the other 12 pass through.
    RopeConfig partial = def;
    partial.partial_rotary_factor = 0.25;
    ops::Rope quarter(partial, 16);
    CHECK(quarter.rotary_dim() == 4);
    REQUIRE(quarter.inv_freq().size() == 2);
    CHECK(quarter.inv_freq()[1] == doctest::Approx(1.0 / std::pow(10000.0, 2.0 / 4)));
    std::vector<float> w(32);
    for (std::size_t i = 0; i < w.size(); ++i) w[i] = static_cast<float>(i + 1);
    auto wr = w;
    quarter.apply(wr.data(), 1, 32, 2, pos);  // two heads of 16
    for (std::size_t h = 0; h < 2; ++h) {
        const float* in = w.data() + h * 16;
        const float* out = wr.data() + h * 16;
        for (std::size_t j = 0; j < 2; ++j) {
            const double a = 3 * quarter.inv_freq()[j];
            CHECK(out[j] == doctest::Approx(in[j] * std::cos(a) - in[j + 2] * std::sin(a)).epsilon(1e-6));
            CHECK(out[j + 2] == doctest::Approx(in[j + 2] * std::cos(a) + in[j] * std::sin(a)).epsilon(1e-6));
        }
        for (std::size_t j = 4; j < 16; ++j) CHECK(out[j] == in[j]);
    }

    // longrope (Phi-3): frequencies divided by the short factors while the call's positions stay
    // within original_max_positions, by the long ones beyond; cos and sin times attention_factor.
    RopeConfig lr = def;
    lr.type = "longrope";
    lr.short_factor = {1.0, 2.0, 4.0, 8.0};
    lr.long_factor = {3.0, 5.0, 7.0, 9.0};
    lr.original_max_positions = 4;
    lr.attention_factor = 1.5;
    ops::Rope longrope(lr, 8);
    for (std::size_t i = 0; i < 4; ++i) {
        CHECK(longrope.inv_freq()[i] == doctest::Approx(rope.inv_freq()[i] / lr.short_factor[i]).epsilon(1e-12));
        CHECK(longrope.long_inv_freq()[i] == doctest::Approx(rope.inv_freq()[i] / lr.long_factor[i]).epsilon(1e-12));
    }
    for (std::int32_t at : {3, 4}) {  // position 3: 4 positions, short; position 4: 5 > 4, long
        auto z = x;
        std::vector<std::int32_t> one{at};
        longrope.apply(z.data(), 1, 8, 1, one);
        const auto& f = at == 3 ? longrope.inv_freq() : longrope.long_inv_freq();
        for (std::size_t j = 0; j < 4; ++j) {
            const double a = at * f[j];
            CHECK(z[j] == doctest::Approx(1.5 * (x[j] * std::cos(a) - x[j + 4] * std::sin(a))).epsilon(1e-6));
            CHECK(z[j + 4] == doctest::Approx(1.5 * (x[j + 4] * std::cos(a) + x[j] * std::sin(a))).epsilon(1e-6));
        }
    }
    lr.long_factor.pop_back();
    CHECK_THROWS_WITH_AS(ops::Rope(lr, 8), doctest::Contains("need 4 values each"), Error);

    RopeConfig linear = def;
    linear.type = "linear";
    linear.factor = 4.0;
    CHECK(ops::Rope(linear, 8).inv_freq()[1] == doctest::Approx(rope.inv_freq()[1] / 4.0));

    // Llama 3.1: theta 500000, factor 8, low 1, high 4, original context 8192, head_dim 128.
    RopeConfig l3;
    l3.theta = 500000.0;
    l3.type = "llama3";
    l3.factor = 8.0;
    l3.low_freq_factor = 1.0;
    l3.high_freq_factor = 4.0;
    l3.original_max_positions = 8192;
    ops::Rope llama3(l3, 128);
    for (std::size_t i = 0; i < 64; ++i) {
        const double f = 1.0 / std::pow(500000.0, 2.0 * i / 128);
        const double wavelen = 2 * std::numbers::pi / f;
        double expected;
        if (wavelen < 8192.0 / 4.0)
            expected = f;  // high frequency: unchanged
        else if (wavelen > 8192.0)
            expected = f / 8.0;  // low frequency: divided by factor
        else {
            const double smooth = (8192.0 / wavelen - 1.0) / (4.0 - 1.0);
            expected = (1 - smooth) * f / 8.0 + smooth * f;
        }
        CHECK(llama3.inv_freq()[i] == doctest::Approx(expected).epsilon(1e-12));
    }
}

TEST_CASE("activations follow the transformers formulas") {
    std::vector<float> xs{-3.0f, -0.5f, 0.0f, 0.7f, 2.5f};
    auto run = [&](Activation a) {
        auto y = xs;
        ops::activate(a, y.data(), y.size());
        return y;
    };
    auto gelu = run(Activation::gelu), tanh_gelu = run(Activation::gelu_new), silu = run(Activation::silu),
         relu = run(Activation::relu), quick = run(Activation::quick_gelu);
    for (std::size_t i = 0; i < xs.size(); ++i) {
        const double x = xs[i];
        CHECK(gelu[i] == doctest::Approx(0.5 * x * (1 + std::erf(x / std::sqrt(2.0)))).epsilon(1e-6));
        CHECK(tanh_gelu[i] ==
              doctest::Approx(0.5 * x * (1 + std::tanh(std::sqrt(2 / std::numbers::pi) * (x + 0.044715 * x * x * x))))
                  .epsilon(1e-6));
        CHECK(silu[i] == doctest::Approx(x / (1 + std::exp(-x))).epsilon(1e-6));
        CHECK(relu[i] == doctest::Approx(std::max(x, 0.0)));
        CHECK(quick[i] == doctest::Approx(x / (1 + std::exp(-1.702 * x))).epsilon(1e-6));
    }
}

TEST_CASE("layer norm and rms norm match their definitions") {
    std::vector<float> x{1, 2, 3, 4, -1, 0, 5, 2};
    std::vector<float> gamma{1, 2, 0.5f, 1}, beta{0, 1, 0, -1};
    auto ln = x;
    ops::layer_norm(ln.data(), 2, 4, gamma.data(), beta.data(), 1e-5);
    auto rms = x;
    ops::rms_norm(x.data(), rms.data(), 2, 4, gamma.data(), 1e-6);
    for (std::size_t r = 0; r < 2; ++r) {
        double mean = 0, var = 0, sq = 0;
        for (std::size_t j = 0; j < 4; ++j) mean += x[r * 4 + j] / 4.0;
        for (std::size_t j = 0; j < 4; ++j) {
            var += std::pow(x[r * 4 + j] - mean, 2) / 4.0;
            sq += std::pow(x[r * 4 + j], 2) / 4.0;
        }
        for (std::size_t j = 0; j < 4; ++j) {
            CHECK(ln[r * 4 + j] == doctest::Approx((x[r * 4 + j] - mean) / std::sqrt(var + 1e-5) * gamma[j] + beta[j]));
            CHECK(rms[r * 4 + j] == doctest::Approx(x[r * 4 + j] / std::sqrt(sq + 1e-6) * gamma[j]));
        }
    }
}

TEST_CASE("safetensors writer output reads back with the same tensors") {
    TempDir tmp;
    std::vector<float> a{1.5f, -2.0f, 3.25f, 0.0f, 7.0f, 8.0f};
    std::vector<std::uint16_t> b{float_to_bfloat16(1.0f), float_to_bfloat16(-0.5f)};
    std::vector<TensorToWrite> tensors{
        {"a", Dtype::f32, {2, 3}, std::string_view(reinterpret_cast<const char*>(a.data()), a.size() * 4)},
        {"b", Dtype::bf16, {2}, std::string_view(reinterpret_cast<const char*>(b.data()), b.size() * 2)}};
    write_safetensors(tmp.path() / "x.safetensors", tensors);
    SafetensorsFile file(tmp.path() / "x.safetensors");
    CHECK(file.header().data_offset() % 8 == 0);
    CHECK(file.header().metadata.at("format") == "pt");
    auto va = file.find("a");
    REQUIRE(va.info);
    std::vector<float> back(6);
    convert_to_float(va.info->dtype, va.data, 6, back.data(), "a");
    CHECK(back == a);
    auto vb = file.find("b");
    REQUIRE(vb.info);
    std::vector<float> bf(2);
    convert_to_float(vb.info->dtype, vb.data, 2, bf.data(), "b");
    CHECK(bf == std::vector<float>{1.0f, -0.5f});
    tensors[0].shape = {7};
    CHECK_THROWS_AS(write_safetensors(tmp.path() / "y.safetensors", tensors), Error);
}

TEST_CASE("thread count changes do not change results") {
    auto model = Model::load(test::fixture("tiny-llama"));
    std::vector<std::vector<std::int32_t>> batch{std::vector<std::int32_t>(200, 7), {1, 2, 3}};
    for (std::size_t i = 0; i < 200; ++i) batch[0][i] = static_cast<std::int32_t>((i * 37) % 4096);
    std::vector<float> one, all;
    set_num_threads(1);
    CHECK(num_threads() == 1);
    model->forward_logits(batch, [&](std::size_t b, const float* l, std::size_t n) {
        if (b == 0) one.assign(l, l + n * 4096);
    });
    set_num_threads(0);
    model->forward_logits(batch, [&](std::size_t b, const float* l, std::size_t n) {
        if (b == 0) all.assign(l, l + n * 4096);
    });
    REQUIRE(one.size() == all.size());
    CHECK(test::max_abs_diff(one.data(), all.data(), one.size()) <= 1e-4);
}
}
