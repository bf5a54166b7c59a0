// The choice-scoring and classification building blocks on the fixture models against what
// transformers, sentence-transformers and scikit-learn computed (assets/references/tasks/,
// tools/references/README.md): log-likelihoods of continuations by lm-evaluation-harness's
// convention, PET cloze scores, pseudo-log-likelihoods of filled-in choices, the stratified folds
// and the probe and kNN predictions on re-computed embeddings.
#include <doctest/doctest.h>

#include <cmath>
#include <algorithm>
#include <cstring>

#include "adapters/native/native_adapter.hpp"
#include "engine/safetensors.hpp"
#include "suites/choice_scoring.hpp"
#include "suites/folds.hpp"
#include "suites/knn.hpp"
#include "suites/linear_probe.hpp"
#include "suites/math.hpp"
#include "tests/support/support.hpp"

using namespace hubbench;
using namespace hubbench::suites;

namespace {

std::unique_ptr<adapters::Adapter> open_fixture(const std::string& name) {
    return adapters::open_native(test::fixture(name), {"", "", 1});
}

nlohmann::json task_reference(const std::string& fixture) { return test::read_json(test::reference("tasks/" + fixture + ".json")); }

// Summed log-likelihoods of a few tokens from a float32 engine against float64: docs/references.md
// holds sums to 1e-5 relative; a sum near zero gets an absolute floor.
void check_loglik(double ours, double reference) {
    CHECK(std::abs(ours - reference) <= std::max(1e-5 * std::abs(reference), 2e-5));
}

// The first maximum, skipping the comparison when the two best are too close for float32 to order.
bool decisive(const std::vector<double>& scores) {
    std::vector<double> sorted = scores;
    std::sort(sorted.rbegin(), sorted.rend());
    return sorted.size() < 2 || sorted[0] - sorted[1] > 1e-3;
}

void check_choice_section(adapters::Adapter& adapter, const nlohmann::json& section) {
    std::vector<ChoiceItem> items;
    for (const auto& item : section["items"]) {
        ChoiceItem c{item["context"].get<std::string>(), {}};
        for (const auto& s : item["scores"]) c.continuations.push_back(s["continuation"].get<std::string>());
        items.push_back(std::move(c));
    }
    const auto scores = continuation_scores(adapter, items);
    REQUIRE(scores.size() == items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
        const auto& ref = section["items"][i];
        CAPTURE(i);
        std::vector<double> sums, per_char;
        for (std::size_t c = 0; c < scores[i].size(); ++c) {
            const auto& s = ref["scores"][c];
            CHECK(scores[i][c].tokens == s["n_tokens"].get<std::size_t>());
            check_loglik(scores[i][c].logprob, s["loglik"].get<double>());
            sums.push_back(scores[i][c].logprob);
            per_char.push_back(scores[i][c].logprob / s["chars"].get<double>());
        }
        // Predictions as indices (multiple choice) or labels (likelihood classification).
        auto index_of = [&](const nlohmann::json& p) {
            if (p.is_number()) return p.get<std::size_t>();
            for (std::size_t c = 0; c < ref["scores"].size(); ++c)
                if (ref["scores"][c]["label"] == p) return c;
            FAIL("prediction names no choice");
            return std::size_t{0};
        };
        if (decisive(sums)) CHECK(first_argmax(sums) == index_of(ref["prediction"]));
        if (decisive(per_char)) CHECK(first_argmax(per_char) == index_of(ref["prediction_norm"]));
    }
}

std::vector<float> reference_rows(const std::string& file, const std::string& name, std::size_t& rows, std::size_t& cols) {
    engine::SafetensorsFile f(test::reference(file));
    auto view = f.find(name);
    REQUIRE(view.data != nullptr);
    rows = view.info->shape.at(0);
    cols = view.info->shape.at(1);
    std::vector<float> out(rows * cols);
    std::memcpy(out.data(), view.data, out.size() * sizeof(float));
    return out;
}

}  // namespace

TEST_SUITE("integration") {
TEST_CASE("continuation log-likelihoods follow lm-evaluation-harness on every decoder") {
    for (const char* name : {"tiny-gpt2", "tiny-llama", "tiny-qwen2"}) {
        CAPTURE(name);
        auto adapter = open_fixture(name);
        const auto ref = task_reference(name);
        check_choice_section(*adapter, ref["multiple_choice"]);        // lm-eval's own CommonsenseQA prompt
        check_choice_section(*adapter, ref["multiple_choice_stem"]);   // the stem and the answer texts
        check_choice_section(*adapter, ref["likelihood"]);             // SST-2 with verbalizers
        check_choice_section(*adapter, ref["likelihood_2shot"]);       // the same with two shots in front
        // Empty context, moved whitespace, a context starting with BOS text, left truncation.
        for (const auto& e : ref["edge_cases"]) {
            CAPTURE(e["what"].get<std::string>());
            const auto s = continuation_scores(*adapter, {{e["context"].get<std::string>(), {e["continuation"].get<std::string>()}}});
            CHECK(s[0][0].tokens == e["ids"].size());
            check_loglik(s[0][0].logprob, e["loglik"].get<double>());
        }
    }
}

TEST_CASE("cloze scores and pseudo-log-likelihoods of filled-in choices match the masked-LM references") {
    for (const char* name : {"tiny-bert", "tiny-roberta"}) {
        CAPTURE(name);
        auto adapter = open_fixture(name);
        const auto ref = task_reference(name);
        const std::string mask = "{mask}";
        const std::string cloze_template = ref["cloze"]["template"];
        for (const auto& item : ref["cloze"]["items"]) {
            std::string filled = cloze_template;
            filled.replace(filled.find("{text}"), 6, item["text"].get<std::string>());
            const auto at = filled.find(mask);
            const std::string before = filled.substr(0, at), after = filled.substr(at + mask.size());
            for (const auto& set : item["sets"]) {
                CAPTURE(set["name"].get<std::string>());
                std::vector<std::string> verbalizers;
                for (const auto& s : set["scores"]) verbalizers.push_back(s["verbalizer"]);
                const auto scores = cloze_scores(*adapter, before, after, verbalizers);
                std::vector<double> values;
                for (std::size_t c = 0; c < scores.size(); ++c) {
                    CHECK(scores[c].tokens == set["scores"][c]["token_ids"].size());
                    check_loglik(scores[c].logprob, set["scores"][c]["score"].get<double>());
                    values.push_back(scores[c].logprob);
                }
                if (decisive(values)) CHECK(ref["cloze"]["labels"][first_argmax(values)] == set["prediction"]);
            }
        }
        for (const auto& item : ref["multiple_choice_pll"]["items"]) {
            std::vector<std::string> texts;
            for (const auto& s : item["scores"]) texts.push_back(s["text"]);
            const auto plls = pseudo_log_likelihoods(*adapter, texts, 64);
            std::vector<double> values;
            for (std::size_t c = 0; c < plls.size(); ++c) {
                CHECK(plls[c].tokens == item["scores"][c]["n_scored"].get<std::size_t>());
                check_loglik(plls[c].logprob, item["scores"][c]["pll"].get<double>());
                values.push_back(plls[c].logprob);
            }
            if (decisive(values)) CHECK(first_argmax(values) == item["prediction"].get<std::size_t>());
        }
    }
}

TEST_CASE("folds probe and knn on re-computed embeddings give scikit-learn's predictions") {
    auto adapter = open_fixture("tiny-bert-sentence");
    const auto ref = task_reference("tiny-bert-sentence");
    for (const char* set : {"sst2", "kornli"}) {
        CAPTURE(set);
        const auto& s = ref[set];
        // Folds: the same std::mt19937_64 deal as the reference's Python port.
        std::vector<std::string> labels = s["labels"];
        const auto folds = stratified_folds(labels, s["k_folds"], s["seed"]);
        CHECK(nlohmann::json(folds) == s["folds"]);

        // Embeddings: ours against sentence-transformers', then the features the probe sees.
        std::vector<std::vector<float>> x;
        std::size_t rows = 0, cols = 0;
        if (std::string(set) == "sst2") {
            std::vector<std::string> texts = s["texts"];
            x = adapter->embed(texts);
            const auto expected = reference_rows("tasks/tiny-bert-sentence.safetensors", "sst2_embeddings", rows, cols);
            REQUIRE(rows == x.size());
            for (std::size_t i = 0; i < rows; ++i) CHECK(cosine(x[i], std::span(expected.data() + i * cols, cols)) >= 0.99999);
        } else {
            std::vector<std::string> first, second;
            for (const auto& p : s["pairs"]) {
                first.push_back(p["sentence1"]);
                second.push_back(p["sentence2"]);
            }
            const auto u = adapter->embed(first), v = adapter->embed(second);
            for (std::size_t i = 0; i < u.size(); ++i) x.push_back(pair_features(u[i], v[i]));
        }
        std::vector<std::string> classes = s["classes"];
        std::vector<std::size_t> y;
        for (const auto& l : labels) y.push_back(static_cast<std::size_t>(std::find(classes.begin(), classes.end(), l) - classes.begin()));

        const std::size_t k = s["k_folds"];
        std::size_t compared = 0, agree = 0;
        for (std::size_t f = 0; f < k; ++f) {
            std::vector<std::vector<float>> train;
            std::vector<std::size_t> train_y;
            for (std::size_t i = 0; i < x.size(); ++i) {
                if (folds[i] != f) {
                    train.push_back(x[i]);
                    train_y.push_back(y[i]);
                }
            }
            const auto probe = LinearProbe::fit(train, train_y, classes.size());
            for (std::size_t i = 0; i < x.size(); ++i) {
                if (folds[i] != f) continue;
                // Items on the decision boundary (|margin| < 1e-3) may go either way in float32.
                const auto& decision = s["probe"]["decision"][i];
                double margin = 0.0;
                if (decision.is_array()) {
                    std::vector<double> d = decision;
                    std::sort(d.rbegin(), d.rend());
                    margin = d[0] - d[1];
                } else {
                    margin = std::abs(decision.get<double>());
                }
                if (margin < 1e-3) continue;
                ++compared;
                agree += classes[probe.predict(x[i])] == s["probe"]["predictions"][i].get<std::string>();
            }
        }
        CHECK(compared >= x.size() * 9 / 10);
        CHECK(agree == compared);
    }
}
}
