// Every tokenizer.json in the repo against Hugging Face tokenizers on one text of mixed scripts,
// emoji sequences, odd whitespace, controls, private-use and unassigned code points
// (assets/references/tokenizer-bulk.json, tools/references/tokenizer_bulk_compare.py): ids exact.
#include <doctest/doctest.h>

#include <filesystem>

#include "tests/support/support.hpp"
#include "tokenizer/tokenizer.hpp"

using namespace hubbench;
using hubbench::tokenizer::Tokenizer;

TEST_SUITE("unit") {
TEST_CASE("every tokenizer in the repo encodes the mixed-script text as Hugging Face does") {
    const auto ref = test::read_json(test::reference("tokenizer-bulk.json"));
    const std::string text = ref["text"];
    // Every tokenizer.json the repo ships has its row: a new one without a reference fails here.
    std::size_t files = 0;
    for (const char* folder : {"tokenizers", "models/fixtures"})
        for (const auto& entry : std::filesystem::directory_iterator(test::assets() / folder))
            files += std::filesystem::exists(entry.path() / "tokenizer.json");
    CHECK(files >= 12);
    CHECK(ref["tokenizers"].size() == files);
    for (const auto& [name, expected] : ref["tokenizers"].items()) {
        CAPTURE(name);
        const auto tok = Tokenizer::load(test::source_dir() / name / "tokenizer.json");
        CHECK(nlohmann::json(tok.encode(text, true).ids) == expected["ids"]);
        CHECK(nlohmann::json(tok.encode(text, false).ids) == expected["ids_no_special"]);
    }
}

TEST_CASE("BertNormalizer keeps unassigned code points and their word becomes UNK as Hugging Face does") {
    // The divergences found side by side with Hugging Face tokenizers (bert-base-uncased, no
    // special tokens): text cleaning drops Cc, Cf and Co of the unicode_categories tables, not Cn.
    const auto tok = Tokenizer::load(test::assets() / "tokenizers/bert-base-uncased/tokenizer.json");
    CHECK(tok.encode("t\u0e3d x", false).ids == std::vector<std::int32_t>{100, 1060});
    CHECK(tok.encode("a \u0e3c b", false).ids == std::vector<std::int32_t>{1037, 100, 1038});
    CHECK(tok.encode("x\u0378y", false).ids == std::vector<std::int32_t>{100});
    // Format characters assigned after those tables (U+08E2, Unicode 9.0) are not dropped either,
    // and punctuation added later (U+2E43, Unicode 10.0) does not split a word (HF: [UNK] for both;
    // "a,b" splits).
    CHECK(tok.encode("a\u08e2b", false).ids == std::vector<std::int32_t>{100});
    CHECK(tok.encode("a\u2e43b", false).ids == std::vector<std::int32_t>{100});
    CHECK(tok.encode("a,b", false).ids == std::vector<std::int32_t>{1037, 1010, 1038});
    CHECK(tok.encode("a\u200bb", false).ids == tok.encode("ab", false).ids);  // U+200B (Cf) is dropped
}
}
