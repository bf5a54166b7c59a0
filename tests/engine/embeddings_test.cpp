// Sentence embeddings from the last hidden state against transformers / sentence-transformers:
// the 8 EMB sentences of the references, tokenized with the project's tokenizer and run as one
// batch of different lengths; mean over every token (special ones included), L2-normalised.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "engine/model.hpp"
#include "tests/engine/reference_support.hpp"

using namespace hubbench;
using namespace hubbench::test;

namespace {

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
