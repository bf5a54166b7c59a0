// `hubbench tokenize` as a real process, checked against the transformers references.
#include <doctest/doctest.h>

#include "tests/support/support.hpp"

using namespace hubbench;
using json = nlohmann::json;

namespace {

json reference_row(const std::string& fixture, std::size_t index) {
    return test::read_json(test::reference(fixture + ".json")).at("tokenize").at(index);
}

std::string ids_line(const json& ids) {
    std::string line;
    for (const auto& id : ids) line += (line.empty() ? "" : " ") + std::to_string(id.get<int>());
    return line + "\n";
}

}  // namespace

TEST_SUITE("integration") {
TEST_CASE("tokenize prints the ids of --text with and without special tokens") {
    json row = reference_row("tiny-llama", 0);
    std::string model = test::fixture("tiny-llama").string();
    auto r = test::run_hubbench({"tokenize", "--model", model, "--text", row.at("text")});
    CHECK(r.exit_code == 0);
    CHECK(r.out == ids_line(row.at("ids")));
    auto plain = test::run_hubbench({"tokenize", "--model", model, "--no-special", "--text", row.at("text")});
    CHECK(plain.out == ids_line(row.at("ids_no_special")));
}

TEST_CASE("tokenize --json gives ids tokens and character offsets like transformers for every fixture") {
    const auto fixtures = test::referenced_fixtures();
    REQUIRE(fixtures.size() >= 5);
    for (const auto& f : fixtures) {
        for (std::size_t i : {4u, 6u, 7u}) {  // accents, Korean, emoji
            CAPTURE(f.name);
            CAPTURE(i);
            json row = reference_row(f.name, i);
            auto r = test::run_hubbench({"tokenize", "--model", test::fixture(f.name).string(), "--json", "--text", row.at("text")});
            REQUIRE(r.exit_code == 0);
            json j = json::parse(r.out);
            CHECK(j.at("ids") == row.at("ids"));
            CHECK(j.at("tokens") == row.at("tokens"));
            CHECK(j.at("offsets") == row.at("offsets"));
        }
    }
}

TEST_CASE("tokenize reads the text from stdin as is") {
    json row = reference_row("tiny-gpt2", 8);  // "line one\n\nline two\r\nline three"
    auto r = test::run_hubbench({"tokenize", "--model", (test::fixture("tiny-gpt2") / "tokenizer.json").string()},
                                row.at("text").get<std::string>());
    CHECK(r.exit_code == 0);
    CHECK(r.out == ids_line(row.at("ids")));
}

TEST_CASE("tokenize --decode turns ids back into text with or without special tokens") {
    json row = reference_row("tiny-bert", 10);
    std::string model = test::fixture("tiny-bert").string();
    std::string ids = ids_line(row.at("ids"));
    auto skip = test::run_hubbench({"tokenize", "--model", model, "--decode", "--text", ids});
    CHECK(skip.exit_code == 0);
    CHECK(skip.out == row.at("decoded").get<std::string>() + "\n");
    auto keep = test::run_hubbench({"tokenize", "--model", model, "--decode", "--keep-special"}, row.at("ids").dump());
    CHECK(keep.out == row.at("decoded_keep_special").get<std::string>() + "\n");
}

TEST_CASE("tokenize works on a SentencePiece tokenizer.model") {
    json row = test::read_json(test::reference("sentencepiece.json")).at("llama-2/tokenizer.model").at("cases").at(0);
    auto r = test::run_hubbench({"tokenize", "--model", (test::assets() / "tokenizers" / "llama-2" / "tokenizer.model").string(),
                                 "--no-special", "--text", row.at("text")});
    CHECK(r.exit_code == 0);
    CHECK(r.out == ids_line(row.at("ids")));
}

TEST_CASE("tokenize reports usage errors and missing models on one line") {
    auto no_model = test::run_hubbench({"tokenize", "--text", "hi"});
    CHECK(no_model.exit_code == 2);
    CHECK(no_model.err.find("--model") != std::string::npos);
    auto missing = test::run_hubbench({"tokenize", "--model", "/nonexistent/model", "--text", "hi"});
    CHECK(missing.exit_code == 1);
    CHECK(missing.err.find("/nonexistent/model") != std::string::npos);
    auto bad_id = test::run_hubbench({"tokenize", "--model", test::fixture("tiny-bert").string(), "--decode", "--text", "1 x 2"});
    CHECK(bad_id.exit_code == 2);
    auto bad_utf8 = test::run_hubbench({"tokenize", "--model", test::fixture("tiny-bert").string()}, "abc\xFF");
    CHECK(bad_utf8.exit_code == 1);
    CHECK(bad_utf8.err.find("UTF-8") != std::string::npos);
    auto help = test::run_hubbench({"tokenize", "--help"});
    CHECK(help.exit_code == 0);
    CHECK(help.out.find("--decode") != std::string::npos);
}
}
