// Reduced-precision compute against the float32 references of transformers, with the tolerances
// of docs/references.md:
// - bfloat16 (--dtype bfloat16): perplexity within 1% relative, the first 8 greedy ids identical,
//   mean-pooled embeddings cosine >= 0.999;
// - int8 (--dtype int8, llama.cpp's Q8_0 scheme): the same bounds.
// The product kernels themselves are checked in linear_test.cpp, the quantization in
// quantize_test.cpp; tools/validate/bf16_decoders.py sets int8 beside transformers with the same
// 8-bit weights.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "engine/model.hpp"
#include "engine/ops/ops.hpp"
#include "tests/engine/reference_support.hpp"

using namespace hubbench;
using namespace hubbench::test;

namespace {

const engine::LoadOptions bf16{engine::ComputeDtype::bfloat16};
const engine::LoadOptions int8{engine::ComputeDtype::int8};

// exp(mean NLL of each next token of `ids`) from (length, vocab) logits.
double perplexity(const float* logits, const std::vector<std::int32_t>& ids, std::size_t vocab) {
    double nll = 0;
    for (std::size_t i = 0; i + 1 < ids.size(); ++i) nll -= log_softmax_row(logits + i * vocab, vocab)[ids[i + 1]];
    return std::exp(nll / static_cast<double>(ids.size() - 1));
}

void check_decoder(const std::string& name, const engine::LoadOptions& options) {
    auto model = engine::Model::load(fixture(name), options);
    CHECK(model->compute_dtype() == options.dtype);
    auto ref_json = read_json(reference(name + ".json"));
    auto ids = ids_of(ref_json["tokenize"][0]["ids"]);
    auto ref = reference_tensor(name, "logits_text0");
    const std::size_t vocab = model->config().vocab_size;
    double ours = 0;
    std::vector<std::vector<std::int32_t>> batch{ids};
    model->forward_logits(batch, [&](std::size_t, const float* logits, std::size_t) { ours = perplexity(logits, ids, vocab); });
    const double theirs = perplexity(ref.data.data(), ids, vocab);
    MESSAGE(name << ": " << engine::compute_dtype_name(options.dtype) << " perplexity " << ours << " vs float32 reference " << theirs);
    CHECK(std::fabs(ours - theirs) / theirs <= 0.01);
    for (const auto& g : ref_json["greedy"]) {
        auto expected = ids_of(g["new_ids"]);
        expected.resize(std::min<std::size_t>(expected.size(), 8));
        CHECK_MESSAGE(engine::generate_greedy(*model, ids_of(g["prompt_ids"]), expected.size()) == expected,
                      name << " prompt " << g["prompt"].get<std::string>());
    }
}

void check_embeddings(const std::string& name, const engine::LoadOptions& options) {
    auto e = embed(name, name, options);
    auto expected = reference_tensor(name, "mean_pooled_embeddings");
    double worst = 1.0;
    for (std::size_t i = 0; i < 8; ++i) worst = std::min(worst, cosine(e.pooled[i], expected.row(i)));
    MESSAGE(name << ": " << engine::compute_dtype_name(options.dtype) << " mean-pooled embeddings 1 - min cosine " << 1.0 - worst);
    CHECK(worst >= 0.999);
}

void check_every_decoder(const engine::LoadOptions& options) {
    const auto decoders = referenced_fixture_names(true);
    REQUIRE(decoders.size() >= 3);
    for (const auto& name : decoders) {
        CAPTURE(name);
        check_decoder(name, options);
    }
}

void check_every_fixture_embeddings(const engine::LoadOptions& options) {
    const auto fixtures = referenced_fixtures();
    REQUIRE(fixtures.size() >= 5);
    for (const auto& f : fixtures) {
        CAPTURE(f.name);
        check_embeddings(f.name, options);
    }
}

// `check` on each bfloat16 product path this CPU has: vdpbf16ps with the activations rounded to
// bfloat16 (AVX512-BF16), and the weights widened to float32 (every AVX-512 CPU, and the
// fallback HUBBENCH_NO_AVX512_BF16=1 forces).
template <class Check>
void on_each_bf16_path(Check check) {
    const bool had = engine::ops::avx512_bf16_enabled();
    for (bool instructions : {true, false}) {
        engine::ops::set_avx512_bf16_enabled(instructions);
        if (instructions && !engine::ops::avx512_bf16_enabled()) continue;  // no AVX512-BF16 here
        MESSAGE("bfloat16 products " << std::string(instructions ? "on vdpbf16ps" : "widened to float32"));
        CAPTURE(instructions);
        check();
    }
    engine::ops::set_avx512_bf16_enabled(had);
}

}  // namespace

TEST_SUITE("unit") {
TEST_CASE("auto compute dtype is float32 under half the memory and bfloat16 above") {
    using engine::ComputeDtype;
    const std::uint64_t gib = std::uint64_t{1} << 30;
    CHECK(engine::resolve_compute_dtype(ComputeDtype::automatic, 1'000'000'000, 24 * gib) == ComputeDtype::float32);
    CHECK(engine::resolve_compute_dtype(ComputeDtype::automatic, 7'000'000'000, 24 * gib) == ComputeDtype::bfloat16);
    CHECK(engine::resolve_compute_dtype(ComputeDtype::automatic, 3 * gib / 4, 6 * gib) == ComputeDtype::bfloat16);  // 3 GiB = half
    CHECK(engine::resolve_compute_dtype(ComputeDtype::float32, 7'000'000'000, 24 * gib) == ComputeDtype::float32);
    CHECK(engine::resolve_compute_dtype(ComputeDtype::bfloat16, 1000, 24 * gib) == ComputeDtype::bfloat16);
    CHECK(engine::parse_compute_dtype("bf16") == ComputeDtype::bfloat16);
    CHECK(engine::parse_compute_dtype("auto") == ComputeDtype::automatic);
    CHECK(engine::parse_compute_dtype("int8") == ComputeDtype::int8);
    CHECK(engine::parse_compute_dtype("q8_0") == ComputeDtype::int8);
    CHECK(engine::compute_dtype_name(ComputeDtype::int8) == "int8");
    CHECK_FALSE(engine::parse_compute_dtype("float16").has_value());
}
}

TEST_SUITE("integration") {
TEST_CASE("every decoder fixture in bfloat16 keeps perplexity within 1 percent and the first 8 greedy ids") {
    on_each_bf16_path([] { check_every_decoder(bf16); });
}

TEST_CASE("every fixture's bfloat16 mean-pooled embeddings keep cosine 0.999 with transformers") {
    on_each_bf16_path([] { check_every_fixture_embeddings(bf16); });
}

TEST_CASE("bfloat16 compute holds the weight matrices in half the bytes and a bf16 file's in place") {
    for (const char* name : {"tiny-llama", "tiny-qwen2"}) {  // float32 and bfloat16 checkpoints
        CAPTURE(name);
        auto f32 = engine::Model::load(fixture(name));
        auto half = engine::Model::load(fixture(name), bf16);
        CHECK(f32->compute_dtype() == engine::ComputeDtype::float32);
        // Embeddings and norms stay float32; the matrices (most of the bytes) halve.
        CHECK(half->weight_bytes() < f32->weight_bytes() * 3 / 4);
        CHECK(half->weight_bytes() > f32->weight_bytes() / 2);
    }
}

TEST_CASE("every decoder fixture in int8 keeps perplexity within 1 percent and the first 8 greedy ids") {
    check_every_decoder(int8);
}

TEST_CASE("every fixture's int8 mean-pooled embeddings keep cosine 0.999 with transformers") {
    check_every_fixture_embeddings(int8);
}

TEST_CASE("int8 compute holds the whole-block weight matrices in about a quarter of float32's bytes") {
    // tiny-qwen2's rows are all whole blocks of 32 (hidden 128, intermediate 384); tiny-llama's
    // down_proj rows (344) are not and stay float32.
    auto f32 = engine::Model::load(fixture("tiny-qwen2"));
    auto q8 = engine::Model::load(fixture("tiny-qwen2"), int8);
    CHECK(q8->compute_dtype() == engine::ComputeDtype::int8);
    // 1.125 bytes a weight against 4 for the matrices; norms and biases stay float32.
    CHECK(q8->weight_bytes() < f32->weight_bytes() * 3 / 10);
    CHECK(q8->weight_bytes() > f32->weight_bytes() / 4);
    auto llama = engine::Model::load(fixture("tiny-llama"), int8);
    auto llama_f32 = engine::Model::load(fixture("tiny-llama"));
    CHECK(llama->weight_bytes() > llama_f32->weight_bytes() * 3 / 10);
}
}
