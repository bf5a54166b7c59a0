#include <doctest/doctest.h>

#include <vector>

#include "adapters/truncate.hpp"

using hubbench::adapters::truncation_indices;

TEST_SUITE("unit") {
TEST_CASE("truncation keeps the leading and trailing special tokens like transformers") {
    // [CLS] a b c d e [SEP] to 5 tokens: [CLS] a b c [SEP]
    std::vector<int> mask{1, 0, 0, 0, 0, 0, 1};
    CHECK(truncation_indices(mask, 5) == std::vector<std::size_t>{0, 1, 2, 3, 6});
    CHECK(truncation_indices(mask, 7).size() == 7);
    CHECK(truncation_indices(mask, 10).size() == 7);
    // LLaMA style: <s> only in front.
    std::vector<int> bos{1, 0, 0, 0};
    CHECK(truncation_indices(bos, 2) == std::vector<std::size_t>{0, 1});
    // No special tokens at all (GPT-2).
    std::vector<int> none{0, 0, 0};
    CHECK(truncation_indices(none, 2) == std::vector<std::size_t>{0, 1});
    // Too short for the specials: the first max_length.
    CHECK(truncation_indices(mask, 2) == std::vector<std::size_t>{0, 1});
}
}
