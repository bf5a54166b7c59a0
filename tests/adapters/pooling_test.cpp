#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "adapters/pooling.hpp"
#include "core/error.hpp"
#include "core/fs.hpp"
#include "engine/safetensors_writer.hpp"
#include "tests/support/support.hpp"

using namespace hubbench;
using namespace hubbench::adapters;

namespace {

std::string_view bytes_of(const std::vector<float>& v) {
    return {reinterpret_cast<const char*>(v.data()), v.size() * sizeof(float)};
}

// A 2_Dense folder as sentence-transformers saves it: config.json and model.safetensors.
void write_dense(const std::filesystem::path& folder, const std::string& config, const std::vector<float>& weight,
                 std::vector<std::uint64_t> shape, const std::vector<float>& bias) {
    std::filesystem::create_directories(folder);
    write_file_atomic(folder / "config.json", config);
    std::vector<engine::TensorToWrite> tensors{{"linear.weight", Dtype::f32, std::move(shape), bytes_of(weight)}};
    if (!bias.empty()) tensors.push_back({"linear.bias", Dtype::f32, {bias.size()}, bytes_of(bias)});
    engine::write_safetensors(folder / "model.safetensors", tensors);
}

}  // namespace

TEST_SUITE("unit") {
TEST_CASE("a plain model folder pools by mean") {
    auto c = read_pooling_config(test::fixture("tiny-bert"));
    CHECK_FALSE(c.sentence_transformers);
    CHECK(c.describe() == "mean");
    CHECK_FALSE(c.max_seq_length);
}

TEST_CASE("the sentence-transformers fixture is read from modules json") {
    auto c = read_pooling_config(test::fixture("tiny-bert-sentence"));
    CHECK(c.sentence_transformers);
    CHECK(c.describe() == "mean");
    CHECK(c.normalize_module);
    REQUIRE(c.max_seq_length);
    CHECK(*c.max_seq_length == 128);
    CHECK_FALSE(c.do_lower_case);
    CHECK_FALSE(c.unsupported);
}

TEST_CASE("pooling configs with several modes and unknown modules and bad json") {
    TempDir dir;
    write_file_atomic(dir.path() / "modules.json",
                      R"([{"path": "", "type": "sentence_transformers.models.Transformer"},
                          {"path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
                          {"path": "2_WordEmbeddings", "type": "sentence_transformers.models.WordEmbeddings"}])");
    std::filesystem::create_directory(dir.path() / "1_Pooling");
    write_file_atomic(dir.path() / "1_Pooling/config.json",
                      R"({"pooling_mode_cls_token": true, "pooling_mode_max_tokens": true})");
    auto c = read_pooling_config(dir.path());
    CHECK(c.describe() == "cls+max+mean");  // mean defaults to on, as in Pooling.__init__
    REQUIRE(c.unsupported);
    CHECK(c.unsupported->find("WordEmbeddings") != std::string::npos);
    write_file_atomic(dir.path() / "1_Pooling/config.json", R"({"pooling_mode": "lasttoken"})");
    CHECK(read_pooling_config(dir.path()).describe() == "lasttoken");
    write_file_atomic(dir.path() / "1_Pooling/config.json", "{nope");
    CHECK_THROWS_WITH_AS(read_pooling_config(dir.path()), doctest::Contains("1_Pooling"), Error);
}

TEST_CASE("pooled vectors are normalised and follow each mode") {
    // Two tokens, hidden size 2: rows (1, 0) and (3, 4).
    const std::vector<float> h{1, 0, 3, 4};
    PoolingConfig mean;
    auto m = pool_and_normalize(h.data(), 2, 2, mean);
    // mean (2, 2) normalised
    CHECK(m[0] == doctest::Approx(1 / std::sqrt(2.0)));
    CHECK(m[1] == doctest::Approx(1 / std::sqrt(2.0)));
    PoolingConfig cls_max;
    cls_max.modes = {PoolingMode::cls, PoolingMode::max};
    auto cm = pool_and_normalize(h.data(), 2, 2, cls_max);  // (1, 0, 3, 4) / sqrt(26)
    REQUIRE(cm.size() == 4);
    CHECK(cm[0] == doctest::Approx(1 / std::sqrt(26.0)));
    CHECK(cm[3] == doctest::Approx(4 / std::sqrt(26.0)));
    PoolingConfig weighted;
    weighted.modes = {PoolingMode::weighted_mean};  // (1·(1,0) + 2·(3,4)) / 3 = (7/3, 8/3)
    auto w = pool_and_normalize(h.data(), 2, 2, weighted);
    CHECK(w[0] / w[1] == doctest::Approx(7.0 / 8.0));
    PoolingConfig last;
    last.modes = {PoolingMode::last_token};
    auto l = pool_and_normalize(h.data(), 2, 2, last);
    CHECK(l[0] == doctest::Approx(0.6));
    CHECK(l[1] == doctest::Approx(0.8));
    CHECK_THROWS_AS(pool_and_normalize(h.data(), 0, 2, mean), Error);
}

TEST_CASE("dense modules project the pooled vector before it is normalised") {
    TempDir dir;
    write_file_atomic(dir.path() / "modules.json",
                      R"([{"path": "", "type": "sentence_transformers.models.Transformer"},
                          {"path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
                          {"path": "2_Dense", "type": "sentence_transformers.models.Dense"},
                          {"path": "3_Dense", "type": "sentence_transformers.base.modules.dense.Dense"}])");
    // 2 -> 3 with tanh and a bias, then 3 -> 2 without activation or bias.
    write_dense(dir.path() / "2_Dense",
                R"({"in_features": 2, "out_features": 3, "bias": true,
                    "activation_function": "torch.nn.modules.activation.Tanh"})",
                {1, 0, 0, 1, 1, -1}, {3, 2}, {0, 0.5f, 0});
    write_dense(dir.path() / "3_Dense",
                R"({"in_features": 3, "out_features": 2, "bias": false,
                    "activation_function": "torch.nn.modules.linear.Identity"})",
                {1, 0, 0, 0, 1, 1}, {2, 3}, {});
    auto c = read_pooling_config(dir.path());
    CHECK_FALSE(c.unsupported);
    REQUIRE(c.dense.size() == 2);
    CHECK(c.describe() == "mean+dense(2->3,tanh)+dense(3->2,identity)");
    CHECK(c.embedding_dimension(2) == 2);
    CHECK_THROWS_WITH_AS(c.embedding_dimension(4), doctest::Contains("2_Dense/config.json: in_features is 2"), Error);
    // Rows (1, 0) and (3, 4): mean (2, 2) -> tanh((2, 2.5, 0)) -> (tanh 2, tanh 2.5 + 0) -> normalised.
    const std::vector<float> h{1, 0, 3, 4};
    auto v = pool_and_normalize(h.data(), 2, 2, c);
    REQUIRE(v.size() == 2);
    const double a = std::tanh(2.0), b = std::tanh(2.5), norm = std::sqrt(a * a + b * b);
    CHECK(v[0] == doctest::Approx(a / norm).epsilon(1e-6));
    CHECK(v[1] == doctest::Approx(b / norm).epsilon(1e-6));
}

TEST_CASE("dense modules with a residual and their errors") {
    TempDir dir;
    const auto folder = dir.path() / "2_Dense";
    write_dense(folder, R"({"in_features": 2, "out_features": 2, "use_residual": true,
                            "activation_function": "torch.nn.modules.activation.ReLU"})",
                {1, 0, 0, -1}, {2, 2}, {0, 0});
    auto m = read_dense_module(folder);
    auto y = m.apply(std::vector<float>{3, 4});  // relu((3, -4)) + (3, 4)
    CHECK(y[0] == doctest::Approx(6));
    CHECK(y[1] == doctest::Approx(4));
    CHECK_THROWS_WITH_AS(m.apply(std::vector<float>{1, 2, 3}), doctest::Contains("in_features is 2"), Error);

    write_file_atomic(folder / "config.json", R"({"in_features": 2, "out_features": 2, "activation_function": "my.Act"})");
    CHECK_THROWS_WITH_AS(read_dense_module(folder), doctest::Contains("activation_function 'my.Act'"), Error);
    write_file_atomic(folder / "config.json", R"({"in_features": 2, "out_features": 3})");
    CHECK_THROWS_WITH_AS(read_dense_module(folder), doctest::Contains("'linear.weight' has shape [2, 2], expected [3, 2]"), Error);
    write_file_atomic(folder / "config.json", R"({"out_features": 3})");
    CHECK_THROWS_WITH_AS(read_dense_module(folder), doctest::Contains("\"in_features\" must be a positive integer"), Error);
    write_file_atomic(folder / "config.json", R"({"in_features": 2, "out_features": 2})");
    std::filesystem::rename(folder / "model.safetensors", folder / "pytorch_model.bin");
    CHECK_THROWS_WITH_AS(read_dense_module(folder), doctest::Contains("pytorch_model.bin: PyTorch pickle weights are not read"), Error);
}
}
