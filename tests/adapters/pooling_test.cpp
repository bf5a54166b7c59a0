#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "adapters/pooling.hpp"
#include "core/error.hpp"
#include "core/fs.hpp"
#include "tests/support/support.hpp"

using namespace hubbench;
using namespace hubbench::adapters;

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

TEST_CASE("pooling configs with several modes unknown modules and bad json") {
    TempDir dir;
    write_file_atomic(dir.path() / "modules.json",
                      R"([{"path": "", "type": "sentence_transformers.models.Transformer"},
                          {"path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
                          {"path": "2_Dense", "type": "sentence_transformers.models.Dense"}])");
    std::filesystem::create_directory(dir.path() / "1_Pooling");
    write_file_atomic(dir.path() / "1_Pooling/config.json",
                      R"({"pooling_mode_cls_token": true, "pooling_mode_max_tokens": true})");
    auto c = read_pooling_config(dir.path());
    CHECK(c.describe() == "cls+max+mean");  // mean defaults to on, as in Pooling.__init__
    REQUIRE(c.unsupported);
    CHECK(c.unsupported->find("Dense") != std::string::npos);
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
}
