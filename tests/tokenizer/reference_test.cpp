// Token ids, tokens, offsets and decoded text against the transformers / tokenizers / sentencepiece
// references in assets/references (docs/references.md): every case must match exactly.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "tests/support/support.hpp"
#include "tokenizer/tokenizer.hpp"

using namespace hubbench;
using hubbench::tokenizer::Tokenizer;
using json = nlohmann::json;

namespace {

std::string read_text(const test::fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

json offsets_json(const std::string& text, const tokenizer::Encoding& e) {
    json out = json::array();
    for (const auto& [s, t] : tokenizer::char_offsets(text, e.offsets)) out.push_back({s, t});
    return out;
}

// One `tokenize`/`cases` row: text, ids, ids_no_special, tokens, offsets, decoded, decoded_keep_special.
void check_case(const Tokenizer& tok, const json& row) {
    const std::string text = row.at("text").get<std::string>();
    INFO("text: " << json(text).dump());
    auto with = tok.encode(text, true);
    CHECK(json(with.ids) == row.at("ids"));
    if (row.contains("tokens")) CHECK(json(with.tokens) == row.at("tokens"));
    if (row.contains("offsets")) CHECK(offsets_json(text, with) == row.at("offsets"));
    if (row.contains("ids_no_special")) CHECK(json(tok.encode(text, false).ids) == row.at("ids_no_special"));
    if (row.contains("decoded")) CHECK(tok.decode(with.ids, true) == row.at("decoded").get<std::string>());
    if (row.contains("decoded_keep_special")) {
        CHECK(tok.decode(with.ids, false) == row.at("decoded_keep_special").get<std::string>());
    }
}

void check_real_tokenizer(const std::string& name) {
    json ref = test::read_json(test::reference("real-tokenizers.json")).at(name);
    Tokenizer tok = Tokenizer::load(test::assets() / "tokenizers" / name);
    CHECK(tok.kind() == "tokenizer.json");
    CHECK(tok.vocab_size() == ref.at("vocab_size").get<std::size_t>());
    REQUIRE(ref.at("cases").size() == 12);
    for (const auto& row : ref.at("cases")) check_case(tok, row);
    const auto& paragraph = ref.at("paragraph");
    CHECK(json(tok.encode(paragraph.at("text").get<std::string>(), true).ids) == paragraph.at("ids"));
}

void check_fixture(const std::string& name) {
    json ref = test::read_json(test::reference(name + ".json"));
    Tokenizer tok = Tokenizer::load(test::fixture(name));
    REQUIRE(ref.at("tokenize").size() == 12);
    for (const auto& row : ref.at("tokenize")) check_case(tok, row);
}

void check_sentencepiece(const std::string& file) {
    json ref = test::read_json(test::reference("sentencepiece.json")).at(file);
    Tokenizer tok = Tokenizer::load(test::assets() / "tokenizers" / file);
    CHECK(tok.kind() == "sentencepiece");
    CHECK(tok.vocab_size() == ref.at("vocab_size").get<std::size_t>());
    REQUIRE(ref.at("cases").size() == 12);
    for (const auto& row : ref.at("cases")) {
        const std::string text = row.at("text").get<std::string>();
        INFO("text: " << json(text).dump());
        auto e = tok.encode(text, false);
        CHECK(json(e.ids) == row.at("ids"));
        CHECK(json(e.tokens) == row.at("pieces"));
        // Decoding gives the text back: these models normalize nothing and drop only the dummy prefix.
        CHECK(tok.decode(e.ids, true) == text);
    }
}

// The `eval` section: wiki.test.raw tokenized once, whole, with the tokenizer's defaults.
void check_wiki(const std::string& name) {
    json eval = test::read_json(test::reference(name + ".json")).at("eval");
    std::string wiki = read_text(test::assets() / "datasets" / "wikitext-2-raw" / "wiki.test.raw");
    REQUIRE(wiki.size() == eval.at("n_bytes").get<std::size_t>());
    Tokenizer tok = Tokenizer::load(test::fixture(name));
    auto ids = tok.encode(wiki, true).ids;
    CHECK(ids.size() == eval.at("n_tokens").get<std::size_t>());
    const auto& first = eval.at("first_ids");
    const auto& last = eval.at("last_ids");
    REQUIRE(ids.size() >= first.size());
    CHECK(json(std::vector<std::int32_t>(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(first.size()))) == first);
    CHECK(json(std::vector<std::int32_t>(ids.end() - static_cast<std::ptrdiff_t>(last.size()), ids.end())) == last);
}

}  // namespace

TEST_SUITE("unit") {
TEST_CASE("GPT-2 tokenizer.json matches transformers on every reference case and the paragraph") {
    check_real_tokenizer("gpt2");
}
TEST_CASE("bert-base-uncased tokenizer.json matches transformers on every reference case and the paragraph") {
    check_real_tokenizer("bert-base-uncased");
}
TEST_CASE("all-MiniLM-L6-v2 tokenizer.json matches transformers with its truncation and padding left unapplied") {
    check_real_tokenizer("all-MiniLM-L6-v2");
}
TEST_CASE("Mistral-7B-v0.3 tokenizer.json matches transformers on every reference case and the paragraph") {
    check_real_tokenizer("mistral-7b-v0.3");
}
TEST_CASE("llama-2 tokenizer.model matches the sentencepiece library") { check_sentencepiece("llama-2/tokenizer.model"); }
TEST_CASE("mistral tokenizer.model matches the sentencepiece library") {
    check_sentencepiece("mistral-7b-v0.3/tokenizer.model");
}
TEST_CASE("every fixture's tokenizer matches its tokenize references") {
    const auto fixtures = test::referenced_fixtures();
    REQUIRE(fixtures.size() >= 5);
    for (const auto& f : fixtures) {
        CAPTURE(f.name);
        check_fixture(f.name);
    }
}
TEST_CASE("tiny-bert-sentence fixture tokenizer encodes like tiny-bert whose files are identical") {
    Tokenizer a = Tokenizer::load(test::fixture("tiny-bert"));
    Tokenizer b = Tokenizer::load(test::fixture("tiny-bert-sentence"));
    // Kept in a variable: a range-for over a member of a temporary reads freed memory (before C++23).
    const auto reference = test::read_json(test::reference("tiny-bert.json"));
    for (const auto& row : reference.at("tokenize")) {
        CHECK(b.encode(row.at("text").get<std::string>()).ids == a.encode(row.at("text").get<std::string>()).ids);
    }
}
}

TEST_SUITE("integration") {
TEST_CASE("tiny-gpt2 tokenizes the whole of wiki.test.raw as the reference does") { check_wiki("tiny-gpt2"); }
TEST_CASE("tiny-llama tokenizes the whole of wiki.test.raw as the reference does") { check_wiki("tiny-llama"); }
TEST_CASE("tiny-qwen2 tokenizes the whole of wiki.test.raw as the reference does") { check_wiki("tiny-qwen2"); }
}
