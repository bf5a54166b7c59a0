#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "adapters/native/native_adapter.hpp"
#include "adapters/open.hpp"
#include "core/error.hpp"
#include "engine/safetensors.hpp"
#include "tests/support/support.hpp"

using namespace hubbench;
using namespace hubbench::adapters;

namespace {

std::unique_ptr<Adapter> open_fixture(const std::string& name) { return open_native(test::fixture(name), {"", "", 1}); }

// A float32 reference tensor (rows, cols) from assets/references/<file>.
std::vector<float> reference_tensor(const std::string& file, const std::string& name, std::size_t& rows, std::size_t& cols) {
    engine::SafetensorsFile f(test::reference(file));
    auto view = f.find(name);
    REQUIRE(view.data != nullptr);
    REQUIRE(view.info->shape.size() == 2);
    rows = view.info->shape[0];
    cols = view.info->shape[1];
    std::vector<float> out(rows * cols);
    std::memcpy(out.data(), view.data, out.size() * sizeof(float));
    return out;
}

double reference_log_softmax(const float* row, std::size_t n, std::size_t target) {
    double m = row[0];
    for (std::size_t i = 1; i < n; ++i) m = std::max(m, static_cast<double>(row[i]));
    double s = 0.0;
    for (std::size_t i = 0; i < n; ++i) s += std::exp(row[i] - m);
    return row[target] - m - std::log(s);
}

double cosine(const std::vector<float>& a, const float* b) {
    double ab = 0, aa = 0, bb = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        ab += static_cast<double>(a[i]) * b[i];
        aa += static_cast<double>(a[i]) * a[i];
        bb += static_cast<double>(b[i]) * b[i];
    }
    return ab / std::sqrt(aa * bb);
}

}  // namespace

TEST_SUITE("unit") {
TEST_CASE("info describes each fixture") {
    auto gpt2 = open_fixture("tiny-gpt2");
    CHECK(gpt2->info().id == "tiny-gpt2");
    CHECK(gpt2->info().revision.empty());
    CHECK(gpt2->info().kind == ModelKind::decoder);
    CHECK(gpt2->info().has_lm_head);
    CHECK(gpt2->info().model_type == "gpt2");
    CHECK(gpt2->info().architecture == "GPT2LMHeadModel");
    CHECK(gpt2->info().max_length == 256);
    CHECK(gpt2->info().vocab_size == 4096);
    CHECK(gpt2->info().parameters > 0);
    CHECK(gpt2->info().dtype == "float32");
    CHECK(gpt2->info().size_bytes > 5'000'000);
    CHECK(gpt2->info().backend == "native");
    CHECK(gpt2->threads() == 1);
    auto roberta = open_fixture("tiny-roberta");
    CHECK(roberta->info().kind == ModelKind::encoder);
    CHECK(roberta->info().dtype == "float16");
    // 130 position embeddings, numbered from padding_idx + 1 = 2.
    CHECK(roberta->info().max_length == 128);
    auto qwen = open_fixture("tiny-qwen2");
    CHECK(qwen->info().dtype == "bfloat16");
    auto llama = open_fixture("tiny-llama");
    CHECK(llama->info().files.size() >= 6);  // six shards plus configs
}

TEST_CASE("a model that cannot do a task says why") {
    auto bert = open_fixture("tiny-bert");
    REQUIRE(bert->unsupported(Capability::causal_lm));
    CHECK(*bert->unsupported(Capability::causal_lm) ==
          "tiny-bert is an encoder (masked LM): causal perplexity needs a decoder; use --task pppl");
    CHECK_FALSE(bert->unsupported(Capability::masked_lm));
    CHECK_FALSE(bert->unsupported(Capability::embeddings));
    try {
        bert->causal_logprobs(std::vector<CausalWindow>{{{2, 3, 4}, 1}});
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::unsupported);
    }
    auto gpt2 = open_fixture("tiny-gpt2");
    CHECK(gpt2->unsupported(Capability::masked_lm)->find("tiny-gpt2 is a decoder (causal LM)") == 0);
    auto sentence = open_fixture("tiny-bert-sentence");
    CHECK(sentence->unsupported(Capability::causal_lm)->find("tiny-bert-sentence is an encoder: causal perplexity") == 0);
    CHECK(sentence->unsupported(Capability::masked_lm)->find("no masked-LM head") != std::string::npos);
    CHECK_THROWS_AS(sentence->generate(std::vector<std::int32_t>{2, 5}, 2), Error);
}

TEST_CASE("causal log-probabilities match the reference logits of every decoder") {
    for (const auto& name : test::referenced_fixture_names(true)) {
        CAPTURE(name);
        auto adapter = open_fixture(name);
        auto ref = test::read_json(test::reference(std::string(name) + ".json"));
        const auto ids = ref["tokenize"][0]["ids"].get<std::vector<std::int32_t>>();
        CHECK(adapter->encode(ref["tokenize"][0]["text"].get<std::string>(), true).ids == ids);
        std::size_t rows = 0, vocab = 0;
        auto logits = reference_tensor(std::string(name) + ".safetensors", "logits_text0", rows, vocab);
        REQUIRE(rows == ids.size());
        auto lp = adapter->causal_logprobs(std::vector<CausalWindow>{{ids, 1}});
        REQUIRE(lp.size() == 1);
        REQUIRE(lp[0].size() == ids.size() - 1);
        for (std::size_t p = 1; p < ids.size(); ++p) {
            const double expected = reference_log_softmax(logits.data() + (p - 1) * vocab, vocab, ids[p]);
            CHECK(lp[0][p - 1] == doctest::Approx(expected).epsilon(1e-4));
        }
        // Scoring from a later position returns the same values for those positions, and a
        // window in a batch with others gives what it gives alone.
        std::vector<CausalWindow> batch{{ids, 5}, {std::vector<std::int32_t>(ids.begin(), ids.begin() + 9), 1}, {ids, 1}};
        auto more = adapter->causal_logprobs(batch);
        REQUIRE(more[0].size() == ids.size() - 5);
        // Float32 sums in another order (a batch pads to its longest window, so the products have
        // other shapes): a few units in the last place, far below what padding leaking into
        // attention would move. 1e-6 failed by that much in the ASan build (tiny-qwen2).
        constexpr double same_window = 1e-5;
        for (std::size_t k = 0; k < more[0].size(); ++k) CHECK(more[0][k] == doctest::Approx(lp[0][k + 4]).epsilon(same_window));
        for (std::size_t k = 0; k < more[1].size(); ++k) CHECK(more[1][k] == doctest::Approx(lp[0][k]).epsilon(same_window));
        for (std::size_t k = 0; k < more[2].size(); ++k) CHECK(more[2][k] == doctest::Approx(lp[0][k]).epsilon(same_window));
        CHECK(adapter->timings().forward > 0.0);
    }
}

TEST_CASE("greedy generation with the kv cache gives the reference ids") {
    for (const auto& name : test::referenced_fixture_names(true)) {
        CAPTURE(name);
        auto adapter = open_fixture(name);
        auto ref = test::read_json(test::reference(std::string(name) + ".json"));
        for (const auto& g : ref["greedy"]) {
            auto prompt = adapter->encode(g["prompt"].get<std::string>(), true).ids;
            CHECK(prompt == g["prompt_ids"].get<std::vector<std::int32_t>>());
            auto out = adapter->generate(prompt, g["new_ids"].size(), false);
            CHECK(out.new_ids == g["new_ids"].get<std::vector<std::int32_t>>());
            CHECK(out.prefill_seconds > 0.0);
            CHECK(out.decode_seconds > 0.0);
            CHECK(adapter->decode(out.new_ids, true) == g["text"].get<std::string>());
        }
    }
}

TEST_CASE("embeddings match sentence-transformers with Dense modules and mean pooling references") {
    auto check = [](const std::string& model, const std::string& file, const std::string& tensor) {
        CAPTURE(model);
        auto adapter = open_fixture(model);
        auto ref = test::read_json(test::reference(model + ".json"));
        const auto key = ref.contains("sentences") ? "sentences" : "embedding_sentences";
        const auto sentences = ref[key].get<std::vector<std::string>>();
        std::size_t rows = 0, hidden = 0;
        auto expected = reference_tensor(file, tensor, rows, hidden);
        REQUIRE(rows == sentences.size());
        auto batch = adapter->embed(sentences);
        REQUIRE(batch.size() == rows);
        for (std::size_t i = 0; i < rows; ++i) {
            REQUIRE(batch[i].size() == hidden);
            CHECK(cosine(batch[i], expected.data() + i * hidden) >= 0.99999);
            double norm = 0;
            for (float x : batch[i]) norm += static_cast<double>(x) * x;
            CHECK(norm == doctest::Approx(1.0).epsilon(1e-5));
            // One at a time gives the same vector as the padded batch.
            auto alone = adapter->embed(std::vector<std::string>{sentences[i]});
            for (std::size_t h = 0; h < hidden; ++h) CHECK(alone[0][h] == doctest::Approx(batch[i][h]).epsilon(1e-5));
        }
    };
    check("tiny-bert-sentence", "tiny-bert-sentence.safetensors", "embeddings");
    check("tiny-distilbert-sentence", "tiny-distilbert-sentence.safetensors", "embeddings");  // mean, then Dense 128->64 tanh
    for (const auto& f : test::referenced_fixtures()) {  // mean pooling over every token, as the references
        CAPTURE(f.name);
        check(f.name, f.name + ".safetensors", "mean_pooled_embeddings");
    }
}

TEST_CASE("masked log-probabilities do not depend on the batch") {
    auto adapter = open_fixture("tiny-bert");
    const auto mask = *adapter->special_ids().mask;
    auto enc = adapter->encode("The quick brown fox jumps over the lazy dog.", true);
    std::vector<MaskedQuery> queries;
    for (std::size_t p = 1; p + 1 < enc.ids.size(); ++p) {
        MaskedQuery q{enc.ids, p, enc.ids[p]};
        q.ids[p] = mask;
        queries.push_back(q);
    }
    auto all = adapter->masked_logprobs(queries);
    REQUIRE(all.size() == queries.size());
    for (std::size_t i = 0; i < queries.size(); ++i) {
        auto one = adapter->masked_logprobs(std::span<const MaskedQuery>(&queries[i], 1));
        CHECK(one[0] == doctest::Approx(all[i]).epsilon(1e-6));
        CHECK(all[i] < 0.0);
    }
}

TEST_CASE("open_model opens a local folder and refuses an empty spec") {
    auto adapter = open_model(test::fixture("tiny-bert").string(), {1});
    CHECK(adapter->info().id == "tiny-bert");
    CHECK_THROWS_AS(open_model(""), Error);
}
}

TEST_SUITE("unit") {
TEST_CASE("continuations on a cached context score as full windows do") {
    for (const auto& name : test::referenced_fixture_names(true)) {
        CAPTURE(name);
        auto adapter = open_fixture(name);
        std::vector<ContinuationRequest> requests(2);
        requests[0].context = adapter->encode("The history of the", false).ids;
        for (const char* c : {" city", " war of the roses", "s"}) requests[0].continuations.push_back(adapter->encode(c, false).ids);
        requests[1].context = adapter->encode("Question: where do people sleep?\nAnswer:", false).ids;
        for (const char* c : {" bed", " in a hotel room"}) requests[1].continuations.push_back(adapter->encode(c, false).ids);
        auto cached = adapter->continuation_logprobs(requests);
        // The same numbers from causal_logprobs over context + continuation, one window each.
        auto plain = adapter->Adapter::continuation_logprobs(requests);
        REQUIRE(cached.size() == 2);
        for (std::size_t r = 0; r < requests.size(); ++r) {
            REQUIRE(cached[r].size() == requests[r].continuations.size());
            for (std::size_t c = 0; c < cached[r].size(); ++c) {
                REQUIRE(cached[r][c].size() == requests[r].continuations[c].size());
                for (std::size_t t = 0; t < cached[r][c].size(); ++t) CHECK(cached[r][c][t] == doctest::Approx(plain[r][c][t]).epsilon(1e-5));
            }
        }
    }
}

TEST_CASE("masked queries sharing their ids give what separate passes give") {
    auto adapter = open_fixture("tiny-bert");
    const auto mask = *adapter->special_ids().mask;
    auto ids = adapter->encode("the city is [MASK] [MASK] .", true).ids;
    std::vector<std::size_t> masks;
    for (std::size_t p = 0; p < ids.size(); ++p)
        if (ids[p] == mask) masks.push_back(p);
    REQUIRE(masks.size() == 2);
    const auto good = adapter->encode("good", false).ids.at(0), big = adapter->encode("big", false).ids.at(0);
    std::vector<MaskedQuery> together{{ids, masks[0], good}, {ids, masks[0], big}, {ids, masks[1], good}};
    auto shared = adapter->masked_logprobs(together);
    for (std::size_t i = 0; i < together.size(); ++i) {
        auto alone = adapter->masked_logprobs(std::span(&together[i], 1));
        CHECK(shared[i] == doctest::Approx(alone[0]).epsilon(1e-6));
    }
    CHECK(shared[0] != shared[1]);
}
}
