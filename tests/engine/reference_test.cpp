// The engine against transformers (assets/references, computed in float64): logits for every
// position, greedy continuations with the KV cache, and batches of different lengths.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "engine/model.hpp"
#include "tests/engine/reference_support.hpp"

using namespace hubbench;
using namespace hubbench::test;

namespace {

// docs/references.md tolerances: logits max abs diff <= 1e-3 and max relative diff of the
// log-softmax <= 1e-4.
void check_logits_text0(const std::string& name) {
    auto model = engine::Model::load(fixture(name));
    REQUIRE(model->has_lm_head());
    auto ref_json = read_json(reference(name + ".json"));
    auto ids = ids_of(ref_json["tokenize"][0]["ids"]);
    auto ref = reference_tensor(name, "logits_text0");
    REQUIRE(ref.rows == ids.size());
    REQUIRE(ref.cols == model->config().vocab_size);
    std::vector<std::vector<std::int32_t>> batch{ids};
    bool called = false;
    model->forward_logits(batch, [&](std::size_t b, const float* logits, std::size_t length) {
        called = true;
        CHECK(b == 0);
        REQUIRE(length == ids.size());
        double max_abs = max_abs_diff(logits, ref.data.data(), length * ref.cols);
        double max_rel = 0;
        for (std::size_t i = 0; i < length; ++i) {
            auto ours = log_softmax_row(logits + i * ref.cols, ref.cols);
            auto theirs = log_softmax_row(ref.row(i), ref.cols);
            for (std::size_t j = 0; j < ref.cols; ++j)
                max_rel = std::max(max_rel, std::fabs(ours[j] - theirs[j]) / std::max(std::fabs(theirs[j]), 1e-30));
        }
        MESSAGE(name << ": logits max abs diff " << max_abs << ", log-softmax max rel diff " << max_rel);
        CHECK(max_abs <= 1e-3);
        CHECK(max_rel <= 1e-4);
    });
    CHECK(called);
}

void check_greedy(const std::string& name) {
    auto model = engine::Model::load(fixture(name));
    auto ref_json = read_json(reference(name + ".json"));
    REQUIRE(ref_json["greedy"].size() >= 1);
    for (const auto& g : ref_json["greedy"]) {
        auto prompt = ids_of(g["prompt_ids"]);
        auto expected = ids_of(g["new_ids"]);
        auto got = engine::generate_greedy(*model, prompt, expected.size());
        CHECK_MESSAGE(got == expected, name << " prompt " << g["prompt"].get<std::string>());
    }
}

// Every tokenize case of the references as one batch of different lengths must give, row for row,
// what each sequence gives alone.
void check_batch_equals_single(const std::string& name, const std::string& ids_from = "") {
    auto model = engine::Model::load(fixture(name));
    auto ref_json = read_json(reference((ids_from.empty() ? name : ids_from) + ".json"));
    std::vector<std::vector<std::int32_t>> batch;
    for (const auto& t : ref_json["tokenize"]) {
        auto ids = ids_of(t["ids"]);
        if (!ids.empty()) batch.push_back(ids);
    }
    REQUIRE(batch.size() >= 8);
    const bool logits = model->has_lm_head();
    const std::size_t width = logits ? model->config().vocab_size : model->config().hidden_size;
    std::vector<std::vector<float>> together(batch.size());
    auto collect = [&](std::vector<std::vector<float>>& out) {
        return [&out, width](std::size_t b, const float* rows, std::size_t length) { out[b].assign(rows, rows + length * width); };
    };
    if (logits)
        model->forward_logits(batch, collect(together));
    else
        model->forward_hidden(batch, collect(together));
    double worst = 0;
    for (std::size_t b = 0; b < batch.size(); ++b) {
        std::vector<std::vector<float>> alone(1);
        std::span one(&batch[b], 1);
        if (logits)
            model->forward_logits(one, collect(alone));
        else
            model->forward_hidden(one, collect(alone));
        REQUIRE(alone[0].size() == together[b].size());
        worst = std::max(worst, max_abs_diff(alone[0].data(), together[b].data(), alone[0].size()));
    }
    MESSAGE(name << ": batch vs single max abs diff " << worst);
    CHECK(worst <= 1e-4);
}

// The KV cache path, token by token, gives the logits of the full forward pass at every position.
void check_cache_matches_full(const std::string& name) {
    auto model = engine::Model::load(fixture(name));
    auto ref_json = read_json(reference(name + ".json"));
    auto ids = ids_of(ref_json["tokenize"][0]["ids"]);
    const std::size_t vocab = model->config().vocab_size;
    std::vector<float> full;
    std::vector<std::vector<std::int32_t>> batch{ids};
    model->forward_logits(batch, [&](std::size_t, const float* l, std::size_t n) { full.assign(l, l + n * vocab); });
    auto session = model->start_session();
    // First a prompt of 3 tokens at once, then one at a time.
    const auto& first = session->append(std::span(ids.data(), 3));
    CHECK(max_abs_diff(first.data(), full.data() + 2 * vocab, vocab) <= 1e-4);
    double worst = 0;
    for (std::size_t i = 3; i < ids.size(); ++i) {
        const auto& step = session->append(std::span(ids.data() + i, 1));
        worst = std::max(worst, max_abs_diff(step.data(), full.data() + i * vocab, vocab));
    }
    CHECK(session->length() == ids.size());
    MESSAGE(name << ": cached vs full max abs diff " << worst);
    CHECK(worst <= 1e-4);
}

}  // namespace

TEST_SUITE("integration") {
// Every fixture with references (tests/support: referenced_fixtures), whatever its architecture,
// dtype or sharding; the first ones were tiny-gpt2, tiny-llama (sharded), tiny-qwen2 (bfloat16),
// tiny-bert and tiny-roberta (float16).
TEST_CASE("every fixture's logits of every position match transformers") {
    const auto fixtures = referenced_fixtures();
    REQUIRE(fixtures.size() >= 5);
    for (const auto& f : fixtures) {
        CAPTURE(f.name);
        check_logits_text0(f.name);
    }
}

TEST_CASE("every decoder fixture's greedy ids with the KV cache match transformers") {
    const auto decoders = referenced_fixture_names(true);
    REQUIRE(decoders.size() >= 3);
    for (const auto& name : decoders) {
        CAPTURE(name);
        check_greedy(name);
    }
}

TEST_CASE("every fixture's batch of different lengths equals single runs") {
    for (const auto& f : referenced_fixtures()) {
        CAPTURE(f.name);
        check_batch_equals_single(f.name);
    }
    check_batch_equals_single("tiny-bert-sentence", "tiny-bert");  // same tokenizer
}

TEST_CASE("every decoder fixture's KV cache logits equal the full forward pass") {
    for (const auto& name : referenced_fixture_names(true)) {
        CAPTURE(name);
        check_cache_matches_full(name);
    }
}

TEST_CASE("tiny-bert-sentence BertModel gives the hidden states of the tiny-bert encoder") {
    // tiny-bert-sentence is tiny-bert's encoder saved without the "bert." prefix and MLM head.
    auto base = engine::Model::load(fixture("tiny-bert-sentence"));
    auto mlm = engine::Model::load(fixture("tiny-bert"));
    CHECK_FALSE(base->has_lm_head());
    CHECK(mlm->has_lm_head());
    auto ids = ids_of(read_json(reference("tiny-bert.json"))["tokenize"][0]["ids"]);
    std::vector<std::vector<std::int32_t>> batch{ids};
    std::vector<float> a, b;
    const std::size_t c = base->config().hidden_size;
    base->forward_hidden(batch, [&](std::size_t, const float* h, std::size_t n) { a.assign(h, h + n * c); });
    mlm->forward_hidden(batch, [&](std::size_t, const float* h, std::size_t n) { b.assign(h, h + n * c); });
    REQUIRE(a.size() == ids.size() * c);
    CHECK(max_abs_diff(a.data(), b.data(), a.size()) == 0.0);
}
}
