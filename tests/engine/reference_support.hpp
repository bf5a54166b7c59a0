// Helpers for comparing the engine with assets/references (transformers float64 outputs).
#pragma once
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/model.hpp"
#include "engine/safetensors.hpp"
#include "tokenizer/tokenizer.hpp"
#include "tests/support/support.hpp"

namespace hubbench::test {

// A reference tensor, read with the engine's own safetensors reader: (rows, cols) row-major.
struct RefTensor {
    std::vector<float> data;
    std::size_t rows = 0, cols = 0;
    const float* row(std::size_t i) const { return data.data() + i * cols; }
};

inline RefTensor reference_tensor(const std::string& model, const std::string& name) {
    engine::SafetensorsFile file(reference(model + ".safetensors"));
    auto view = file.find(name);
    REQUIRE_MESSAGE(view.info != nullptr, "reference tensor " << name << " missing for " << model);
    RefTensor t;
    t.data.resize(view.info->element_count());
    engine::convert_to_float(view.info->dtype, view.data, t.data.size(), t.data.data(), name);
    t.rows = view.info->shape.at(0);
    t.cols = view.info->shape.size() > 1 ? view.info->shape[1] : 1;
    return t;
}

inline std::vector<std::int32_t> ids_of(const nlohmann::json& j) {
    std::vector<std::int32_t> ids;
    for (const auto& x : j) ids.push_back(x.get<std::int32_t>());
    return ids;
}

inline double max_abs_diff(const float* a, const float* b, std::size_t n) {
    double m = 0;
    for (std::size_t i = 0; i < n; ++i) m = std::max(m, std::fabs(static_cast<double>(a[i]) - b[i]));
    return m;
}

// Row-wise log-softmax in double.
inline std::vector<double> log_softmax_row(const float* x, std::size_t n) {
    double mx = x[0];
    for (std::size_t i = 1; i < n; ++i) mx = std::max(mx, static_cast<double>(x[i]));
    double sum = 0;
    for (std::size_t i = 0; i < n; ++i) sum += std::exp(x[i] - mx);
    std::vector<double> out(n);
    for (std::size_t i = 0; i < n; ++i) out[i] = x[i] - mx - std::log(sum);
    return out;
}

// Mean over rows (length, c) then L2 normalisation (docs/references.md "Embeddings").
inline std::vector<double> mean_pooled(const float* rows, std::size_t length, std::size_t c) {
    std::vector<double> v(c, 0.0);
    for (std::size_t i = 0; i < length; ++i)
        for (std::size_t j = 0; j < c; ++j) v[j] += rows[i * c + j];
    double norm = 0;
    for (double& x : v) {
        x /= static_cast<double>(length);
        norm += x * x;
    }
    norm = std::sqrt(norm);
    for (double& x : v) x /= norm;
    return v;
}

inline double cosine(const std::vector<double>& a, const float* b) {
    double dot = 0, na = 0, nb = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        dot += a[i] * b[i];
        na += a[i] * a[i];
        nb += static_cast<double>(b[i]) * b[i];
    }
    return dot / std::sqrt(na * nb);
}

struct Embedded {
    std::vector<std::vector<double>> pooled;  // (8, C) mean-pooled, normalised
    std::vector<std::vector<float>> first;    // (8, C) hidden state of the first token
};

// The 8 embedding sentences of `ref_name`'s references through fixture `name`, as one batch.
inline Embedded embed(const std::string& name, const std::string& ref_name, const engine::LoadOptions& options = {}) {
    auto model = engine::Model::load(fixture(name), options);
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

}  // namespace hubbench::test
