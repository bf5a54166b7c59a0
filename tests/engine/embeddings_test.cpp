// Sentence embeddings from the last hidden state against transformers / sentence-transformers:
// the 8 EMB sentences of the references, tokenized with the project's tokenizer and run as one
// batch of different lengths; mean over every token (special ones included), L2-normalised.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "engine/model.hpp"
#include "tests/engine/reference_support.hpp"
#include "tokenizer/tokenizer.hpp"

using namespace hubbench;
using namespace hubbench::test;

namespace {

struct Embedded {
    std::vector<std::vector<double>> pooled;  // (8, C) mean-pooled, normalised
    std::vector<std::vector<float>> first;    // (8, C) hidden state of the first token
};

Embedded embed(const std::string& name, const std::string& ref_name) {
    auto model = engine::Model::load(fixture(name));
    auto tok = tokenizer::Tokenizer::load(fixture(name));
    auto ref_json = read_json(reference(ref_name + ".json"));
    const auto& sentences = ref_json.contains("embedding_sentences") ? ref_json["embedding_sentences"] : ref_json["sentences"];
    REQUIRE(sentences.size() == 8);
    if (ref_json.contains("tokenize"))  // the tokenizer agrees with the reference on text0 first
        REQUIRE(tok.encode(ref_json["tokenize"][0]["text"].get<std::string>()).ids == ids_of(ref_json["tokenize"][0]["ids"]));
    std::vector<std::vector<std::int32_t>> batch;
    for (const auto& s : sentences) batch.push_back(tok.encode(s.get<std::string>()).ids);
    const std::size_t c = model->config().hidden_size;
    Embedded out;
    out.pooled.resize(batch.size());
    out.first.resize(batch.size());
    model->forward_hidden(batch, [&](std::size_t b, const float* hidden, std::size_t length) {
        REQUIRE(length == batch[b].size());
        out.pooled[b] = mean_pooled(hidden, length, c);
        out.first[b].assign(hidden, hidden + c);
    });
    return out;
}

void check_mean_pooled(const std::string& name, const std::string& tensor = "mean_pooled_embeddings",
                       const std::string& ref_name = "") {
    const std::string ref = ref_name.empty() ? name : ref_name;
    auto e = embed(name, ref);
    auto expected = reference_tensor(ref, tensor);
    REQUIRE(expected.rows == 8);
    double worst = 1.0;
    for (std::size_t i = 0; i < 8; ++i) worst = std::min(worst, cosine(e.pooled[i], expected.row(i)));
    MESSAGE(name << ": " << tensor << " 1 - min cosine " << 1.0 - worst);
    CHECK(worst >= 0.99999);
}

void check_cls_hidden(const std::string& name) {
    auto e = embed(name, name);
    auto expected = reference_tensor(name, "cls_hidden");
    double worst = 1.0, max_abs = 0.0;
    for (std::size_t i = 0; i < 8; ++i) {
        std::vector<double> ours(e.first[i].begin(), e.first[i].end());
        worst = std::min(worst, cosine(ours, expected.row(i)));
        max_abs = std::max(max_abs, max_abs_diff(e.first[i].data(), expected.row(i), expected.cols));
    }
    MESSAGE(name << ": cls_hidden 1 - min cosine " << 1.0 - worst << ", max abs diff " << max_abs);
    CHECK(worst >= 0.99999);
    CHECK(max_abs <= 1e-3);
}

}  // namespace

TEST_SUITE("integration") {
TEST_CASE("every fixture's mean-pooled embeddings match transformers") {
    const auto fixtures = referenced_fixtures();
    REQUIRE(fixtures.size() >= 5);
    for (const auto& f : fixtures) {
        CAPTURE(f.name);
        check_mean_pooled(f.name);
    }
}
TEST_CASE("tiny-bert-sentence embeddings match sentence-transformers encode") {
    check_mean_pooled("tiny-bert-sentence", "embeddings");
}
TEST_CASE("every encoder fixture's CLS hidden states match transformers") {
    const auto encoders = referenced_fixture_names(false);
    REQUIRE(encoders.size() >= 2);
    for (const auto& name : encoders) {
        CAPTURE(name);
        check_cls_hidden(name);
    }
}
}
