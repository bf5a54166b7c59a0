#include <doctest/doctest.h>

#include "core/fs.hpp"
#include "hub/hash.hpp"
#include "hub_test_util.hpp"

using namespace hubbench;
using namespace hubbench::hub;

TEST_SUITE("unit") {
TEST_CASE("sha256 and git blob ids match their published values") {
    // FIPS 180-2 appendix B.1; git's id of a blob holding "hello\n".
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(git_blob_sha1("hello\n") == "ce013625030ba8dba906f756967f9e9ca394464a");
    CHECK(git_blob_sha1("") == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
    Hasher h(HashAlgorithm::sha256);
    h.update("a");
    h.update("bc");
    CHECK(h.hex_digest() == sha256_hex("abc"));
}

TEST_CASE("lfs pointer text follows the git-lfs spec") {
    std::string sha(64, 'a');
    std::string p = lfs_pointer_text(sha, 1234);
    CHECK(p == "version https://git-lfs.github.com/spec/v1\noid sha256:" + sha + "\nsize 1234\n");
    // The Hub reports pointerSize 134 for openai-community/gpt2's 548105171-byte model.safetensors
    // (docs/hub-api.md section 2).
    CHECK(lfs_pointer_text("248dfc3911869ec493c76e65bf2fcf7f615828b0254c12b473182f0f81d3a707", 548105171).size() == 134);
}
}

TEST_SUITE("integration") {
TEST_CASE("file digests match git hash-object and sha256sum") {
    for (const char* file : {"config.json", "model.safetensors", "tokenizer.json"}) {
        auto path = test::fixture("tiny-gpt2") / file;
        auto d = hash_file(path, true, true);
        CHECK(d.size == fs::file_size(path));
        CHECK(d.sha256 == hubtest::sha256sum(path));
        CHECK(d.git_sha1 == hubtest::git_blob_id(path));
    }
}
}
