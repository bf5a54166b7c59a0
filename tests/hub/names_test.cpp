#include <doctest/doctest.h>

#include "core/error.hpp"
#include "hub/names.hpp"

using namespace hubbench;
using namespace hubbench::hub;

TEST_SUITE("unit") {
TEST_CASE("repo ids follow the huggingface_hub rules") {
    // Valid and invalid examples from huggingface_hub utils/_validators.py validate_repo_id.
    for (const char* ok : {"foo", "foo/bar", "123", "Foo-BAR_foo.bar123", "fixtures/tiny-gpt2"}) {
        CHECK_MESSAGE(is_valid_repo_id(ok), ok);
    }
    for (const char* bad : {"", "datasets/foo/bar", ".repo_id", "foo--bar", "foo.git", "other..repo..id", "../etc",
                            "/abs", "a/", "a/b/c", "a b", "-x/y", "x/y-", "x/../y"}) {
        CHECK_MESSAGE(!is_valid_repo_id(bad), bad);
    }
    CHECK_THROWS_AS(validate_repo_id("../../etc/passwd"), Error);
}

TEST_CASE("revisions and repo paths reject traversal") {
    CHECK(is_valid_revision("main"));
    CHECK(is_valid_revision("refs/pr/1"));
    CHECK(is_valid_revision("0123456789abcdef0123456789abcdef01234567"));
    for (const char* bad : {"", "..", "../main", "a/../b", "/main", "main/", "a//b", "a\\b", "x\ny"}) {
        CHECK_MESSAGE(!is_valid_revision(bad), bad);
    }
    CHECK(is_valid_repo_path("config.json"));
    CHECK(is_valid_repo_path("1_Pooling/config.json"));
    CHECK(is_valid_repo_path(".gitattributes"));
    for (const char* bad : {"", "../x", "a/../../x", "/etc/passwd", "./x", "a/./b", "a//b", "dir/", "a\\..\\b", "x\ty"}) {
        CHECK_MESSAGE(!is_valid_repo_path(bad), bad);
    }
    try {
        validate_repo_path("../../etc/passwd", "fixtures/x");
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::invalid_input);
        CHECK(std::string(e.what()).find("../../etc/passwd") != std::string::npos);
    }
}

TEST_CASE("url quoting matches urllib quote") {
    // Python: quote("refs/pr/1", safe="") == "refs%2Fpr%2F1"; quote("a b/c~d") == "a%20b/c~d".
    CHECK(url_quote("refs/pr/1", "") == "refs%2Fpr%2F1");
    CHECK(url_quote("a b/c~d") == "a%20b/c~d");
    CHECK(url_quote("caf\xc3\xa9.json") == "caf%C3%A9.json");
    std::string out;
    CHECK(url_unquote("refs%2Fpr%2F1", out));
    CHECK(out == "refs/pr/1");
    CHECK(url_unquote("%2e%2E", out));
    CHECK(out == "..");
    CHECK_FALSE(url_unquote("bad%2", out));
    CHECK_FALSE(url_unquote("bad%zz", out));
}

TEST_CASE("glob patterns match like fnmatch") {
    CHECK(glob_match("*.safetensors", "model.safetensors"));
    CHECK(glob_match("*.safetensors", "sub/model.safetensors"));  // fnmatch's '*' crosses '/'
    CHECK(glob_match("*_Pooling/*", "1_Pooling/config.json"));
    CHECK(glob_match("config.json", "config.json"));
    CHECK_FALSE(glob_match("config.json", "1_Pooling/config.json"));
    CHECK(glob_match("model-0000?-of-00006.safetensors", "model-00003-of-00006.safetensors"));
    CHECK(glob_match("[mt]*.json", "tokenizer.json"));
    CHECK_FALSE(glob_match("[!mt]*.json", "tokenizer.json"));
    CHECK(glob_match("*", ""));
    CHECK_FALSE(glob_match("?", ""));
}

TEST_CASE("repo specs split at the at sign") {
    auto a = parse_repo_spec("fixtures/tiny-gpt2@refs/pr/1");
    CHECK(a.repo_id == "fixtures/tiny-gpt2");
    CHECK(a.revision == "refs/pr/1");
    auto b = parse_repo_spec("gpt2");
    CHECK(b.repo_id == "gpt2");
    CHECK(b.revision.empty());
    CHECK_THROWS_AS(parse_repo_spec("fixtures/x@"), Error);
    CHECK_THROWS_AS(parse_repo_spec("../x@main"), Error);
    CHECK_THROWS_AS(parse_repo_spec("fixtures/x@../../y"), Error);
}
}
