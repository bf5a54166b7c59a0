// The public Tokenizer API: loading and its errors, special tokens from config files, truncation
// and padding settings, helpers, invalid input and concurrent use.
#include <doctest/doctest.h>

#include <fstream>
#include <thread>

#include "core/error.hpp"
#include "core/fs.hpp"
#include "tests/support/support.hpp"
#include "tokenizer/tokenizer.hpp"

using namespace hubbench;
using hubbench::tokenizer::Tokenizer;
using json = nlohmann::json;

namespace {

ErrorKind kind_of(const std::function<void()>& f, std::string* message = nullptr) {
    try {
        f();
    } catch (const Error& e) {
        if (message) *message = e.what();
        return e.kind();
    }
    FAIL("no hubbench::Error thrown");
    return ErrorKind::internal;
}

void write(const test::fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

json minimal_tokenizer() {
    return {{"version", "1.0"},
            {"pre_tokenizer", {{"type", "WhitespaceSplit"}}},
            {"model", {{"type", "WordLevel"}, {"unk_token", "<unk>"}, {"vocab", {{"<unk>", 0}, {"a", 1}, {"b", 2}}}}}};
}

}  // namespace

TEST_SUITE("unit") {
TEST_CASE("an unknown component type names the component the type and the file") {
    json doc = minimal_tokenizer();
    doc["normalizer"] = {{"type", "Sequence"}, {"normalizers", json::array({{{"type", "Frobnicate"}}})}};
    std::string message;
    CHECK(kind_of([&] { Tokenizer::from_json_string(doc.dump(), "/models/x/tokenizer.json"); }, &message) ==
          ErrorKind::unsupported);
    CHECK(message.find("/models/x/tokenizer.json") != std::string::npos);
    CHECK(message.find("normalizer") != std::string::npos);
    CHECK(message.find("Frobnicate") != std::string::npos);

    json bad_decoder = minimal_tokenizer();
    bad_decoder["decoder"] = {{"type", "Nope"}};
    CHECK(kind_of([&] { Tokenizer::from_json_string(bad_decoder.dump(), "t.json"); }, &message) == ErrorKind::unsupported);
    CHECK(message.find("decoder") != std::string::npos);
}

TEST_CASE("malformed tokenizer.json files are invalid_input errors naming the file") {
    std::string message;
    CHECK(kind_of([] { Tokenizer::from_json_string("{not json", "broken.json"); }, &message) == ErrorKind::invalid_input);
    CHECK(message.find("broken.json") != std::string::npos);
    CHECK(kind_of([] { Tokenizer::from_json_string("{\"version\": \"1.0\"}", "nomodel.json"); }) == ErrorKind::invalid_input);
    json bad_merge = {{"version", "1.0"},
                      {"model", {{"type", "BPE"}, {"vocab", {{"a", 0}}}, {"merges", json::array({"a b"})}}}};
    CHECK(kind_of([&] { Tokenizer::from_json_string(bad_merge.dump(), "m.json"); }, &message) == ErrorKind::invalid_input);
    CHECK(message.find("model") != std::string::npos);
    json bad_regex = minimal_tokenizer();
    bad_regex["pre_tokenizer"] = {{"type", "Split"}, {"pattern", {{"Regex", "(["}}}, {"behavior", "Isolated"}, {"invert", false}};
    CHECK(kind_of([&] { Tokenizer::from_json_string(bad_regex.dump(), "r.json"); }, &message) == ErrorKind::invalid_input);
    CHECK(message.find("pre_tokenizer") != std::string::npos);
    json bad_version = minimal_tokenizer();
    bad_version["version"] = "2.0";
    CHECK(kind_of([&] { Tokenizer::from_json_string(bad_version.dump(), "v.json"); }) == ErrorKind::invalid_input);
}

TEST_CASE("missing paths and directories without a tokenizer are not_found errors") {
    TempDir dir("tokenizer-test");
    std::string message;
    CHECK(kind_of([&] { Tokenizer::load(dir.path()); }, &message) == ErrorKind::not_found);
    CHECK(message.find(dir.path().string()) != std::string::npos);
    CHECK(kind_of([&] { Tokenizer::load(dir.path() / "missing.json"); }) == ErrorKind::not_found);
    write(dir.path() / "tokenizer.model", "not a protobuf");
    CHECK(kind_of([&] { Tokenizer::load(dir.path()); }) == ErrorKind::invalid_input);
}

TEST_CASE("invalid UTF-8 input is an invalid_input error for both backends") {
    Tokenizer gpt2 = Tokenizer::load(test::fixture("tiny-gpt2"));
    Tokenizer sp = Tokenizer::load(test::assets() / "tokenizers" / "llama-2" / "tokenizer.model");
    for (std::string bad : {std::string("abc\xFF"), std::string("\xC3"), std::string("\xED\xA0\x80"), std::string("a\xC0\xAF")}) {
        CHECK(kind_of([&] { gpt2.encode(bad); }) == ErrorKind::invalid_input);
        CHECK(kind_of([&] { sp.encode(bad); }) == ErrorKind::invalid_input);
    }
}

TEST_CASE("special tokens come from tokenizer_config.json and from the tokenizer itself") {
    auto llama = Tokenizer::load(test::fixture("tiny-llama")).special_tokens();
    CHECK(llama.bos == 1);
    CHECK(llama.eos == 2);
    CHECK(llama.unk == 0);
    auto bert = Tokenizer::load(test::fixture("tiny-bert")).special_tokens();
    CHECK(bert.cls == 2);
    CHECK(bert.sep == 3);
    CHECK(bert.pad == 0);
    CHECK(bert.mask == 4);
    CHECK(bert.unk == 1);
    auto qwen = Tokenizer::load(test::fixture("tiny-qwen2")).special_tokens();
    CHECK(qwen.eos == 0);
    CHECK(qwen.pad == 0);
    CHECK_FALSE(qwen.bos.has_value());  // "bos_token": null
    auto roberta = Tokenizer::load(test::fixture("tiny-roberta")).special_tokens();
    CHECK(roberta.cls == 0);
    CHECK(roberta.sep == 2);
    CHECK(roberta.mask == 4);
    // No config file: the model's unk token and the post-processor's [CLS]/[SEP].
    auto real_bert = Tokenizer::load(test::assets() / "tokenizers" / "bert-base-uncased").special_tokens();
    CHECK(real_bert.unk == 100);
    CHECK(real_bert.cls == 101);
    CHECK(real_bert.sep == 102);
    auto sp = Tokenizer::load(test::assets() / "tokenizers" / "llama-2" / "tokenizer.model").special_tokens();
    CHECK(sp.bos == 1);
    CHECK(sp.eos == 2);
    CHECK(sp.unk == 0);
}

TEST_CASE("a SentencePiece model adds bos unless tokenizer_config.json says add_bos_token false") {
    Tokenizer sp = Tokenizer::load(test::assets() / "tokenizers" / "llama-2" / "tokenizer.model");
    auto e = sp.encode("Hello world");
    REQUIRE(e.ids.size() >= 2);
    CHECK(e.ids.front() == 1);
    CHECK(e.special_tokens_mask.front() == 1);
    CHECK(sp.decode(e.ids, true) == "Hello world");
    CHECK(sp.decode(e.ids, false) == "<s> Hello world");
    CHECK(sp.is_special(1));
    CHECK_FALSE(sp.is_special(e.ids[1]));

    TempDir dir("tokenizer-test");
    std::filesystem::copy_file(test::assets() / "tokenizers" / "llama-2" / "tokenizer.model", dir.path() / "tokenizer.model");
    write(dir.path() / "tokenizer_config.json", R"({"add_bos_token": false, "add_eos_token": true})");
    Tokenizer configured = Tokenizer::load(dir.path());
    auto f = configured.encode("Hello world");
    CHECK(f.ids.front() != 1);
    CHECK(f.ids.back() == 2);
    CHECK(configured.num_special_tokens_to_add() == 1);
}

TEST_CASE("truncation and padding settings are parsed but not applied by encode") {
    Tokenizer gpt2 = Tokenizer::load(test::assets() / "tokenizers" / "gpt2");
    REQUIRE(gpt2.truncation().has_value());
    CHECK(gpt2.truncation()->max_length == 50);
    CHECK_FALSE(gpt2.padding().has_value());
    std::string long_text;
    for (int i = 0; i < 40; ++i) long_text += "hello world ";
    CHECK(gpt2.encode(long_text).size() > 50);

    Tokenizer minilm = Tokenizer::load(test::assets() / "tokenizers" / "all-MiniLM-L6-v2");
    REQUIRE(minilm.truncation().has_value());
    CHECK(minilm.truncation()->max_length == 256);
    REQUIRE(minilm.padding().has_value());
    CHECK(minilm.padding()->pad_to_multiple_of == 8u);
    CHECK(minilm.padding()->pad_token == "[PAD]");
    CHECK_FALSE(minilm.padding()->fixed_length.has_value());
}

TEST_CASE("truncate pad and pad_batch apply the settings on request") {
    Tokenizer bert = Tokenizer::load(test::fixture("tiny-bert"));
    auto e = bert.encode("line one line two line three");
    REQUIRE(e.size() == 8);
    auto left = e;
    tokenizer::truncate(left, 3, tokenizer::Direction::left);
    CHECK(left.ids == std::vector<std::int32_t>(e.ids.end() - 3, e.ids.end()));
    tokenizer::truncate(e, 5);
    CHECK(e.size() == 5);
    CHECK(e.tokens.size() == 5);
    CHECK(e.offsets.size() == 5);
    tokenizer::pad(e, 7, 0, "[PAD]", tokenizer::Direction::left);
    CHECK(e.ids == std::vector<std::int32_t>{0, 0, 2, 1036, 338, 1036, 346});
    CHECK(e.attention_mask == std::vector<std::uint8_t>{0, 0, 1, 1, 1, 1, 1});
    CHECK(e.tokens.front() == "[PAD]");

    Tokenizer minilm = Tokenizer::load(test::assets() / "tokenizers" / "all-MiniLM-L6-v2");
    std::vector<tokenizer::Encoding> batch = {minilm.encode("hello"), minilm.encode("hello world again")};
    tokenizer::pad_batch(batch, *minilm.padding());
    CHECK(batch[0].size() == 8);
    CHECK(batch[1].size() == 8);
    CHECK(batch[0].attention_mask == std::vector<std::uint8_t>{1, 1, 1, 0, 0, 0, 0, 0});
}

TEST_CASE("char_offsets converts byte offsets to code point offsets") {
    std::string text = "a\xC3\xA9\xF0\x9F\xA4\x97z";  // a é 🤗 z
    std::vector<std::pair<std::size_t, std::size_t>> bytes = {{0, 1}, {1, 3}, {3, 7}, {7, 8}, {0, 0}, {1, 8}, {8, 8}};
    std::vector<std::pair<std::size_t, std::size_t>> chars = {{0, 1}, {1, 2}, {2, 3}, {3, 4}, {0, 0}, {1, 4}, {4, 4}};
    CHECK(tokenizer::char_offsets(text, bytes) == chars);
}

TEST_CASE("token_to_id id_to_token and vocab_size include added tokens") {
    Tokenizer mistral = Tokenizer::load(test::assets() / "tokenizers" / "mistral-7b-v0.3");
    CHECK(mistral.token_to_id("<s>") == 1);
    CHECK(mistral.token_to_id("[INST]") == 3);
    CHECK(mistral.id_to_token(3) == "[INST]");
    CHECK(mistral.id_to_token(1000000).empty());
    CHECK_FALSE(mistral.token_to_id("no-such-token-anywhere").has_value());
    CHECK(mistral.is_special(3));
    Tokenizer sp = Tokenizer::load(test::assets() / "tokenizers" / "mistral-7b-v0.3" / "tokenizer.model");
    CHECK(sp.token_to_id("<s>") == 1);
    CHECK_FALSE(sp.token_to_id("no-such-token-anywhere").has_value());
}

TEST_CASE("copies of a Tokenizer share one loaded pipeline") {
    Tokenizer a = Tokenizer::load(test::fixture("tiny-gpt2"));
    Tokenizer b = a;
    Tokenizer c = std::move(b);
    CHECK(&a.special_tokens() == &c.special_tokens());
    CHECK(c.encode("hello").ids == a.encode("hello").ids);
}
}

TEST_SUITE("integration") {
TEST_CASE("encode gives identical results from several threads at once") {
    Tokenizer tokenizers[] = {Tokenizer::load(test::fixture("tiny-gpt2")), Tokenizer::load(test::fixture("tiny-llama")),
                              Tokenizer::load(test::fixture("tiny-bert")),
                              Tokenizer::load(test::assets() / "tokenizers" / "llama-2" / "tokenizer.model")};
    std::vector<std::string> texts;
    // Kept in a variable: a range-for over a member of a temporary reads freed memory (before C++23).
    const auto reference = test::read_json(test::reference("tiny-gpt2.json"));
    for (const auto& row : reference.at("tokenize")) texts.push_back(row.at("text"));
    for (const auto& tok : tokenizers) {
        std::vector<std::vector<std::int32_t>> expected;
        for (const auto& t : texts) expected.push_back(tok.encode(t).ids);
        std::vector<int> mismatches(4, 0);
        std::vector<std::thread> threads;
        for (int k = 0; k < 4; ++k) {
            threads.emplace_back([&, k] {
                for (int round = 0; round < 20; ++round) {
                    for (std::size_t i = 0; i < texts.size(); ++i) {
                        if (tok.encode(texts[i]).ids != expected[i]) ++mismatches[static_cast<std::size_t>(k)];
                    }
                }
            });
        }
        for (auto& t : threads) t.join();
        CHECK(mismatches == std::vector<int>(4, 0));
    }
}
}
