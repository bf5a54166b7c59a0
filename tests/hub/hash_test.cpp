#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include "core/error.hpp"
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

namespace {
// Appends `bytes` to fd, then tells the hasher.
void write_all(int fd, const std::string& bytes, std::uint64_t& end, TrailingFileHasher& h) {
    REQUIRE(::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
    end += bytes.size();
    h.advance(end);
}
}  // namespace

TEST_CASE("the trailing file hasher hashes what was written and starts over on restart") {
    TempDir dir;
    const auto path = (dir.path() / "blob.incomplete").string();
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    REQUIRE(fd >= 0);
    // 3.5 MiB in uneven pieces: several full 1 MiB chunks hashed behind the writer, plus a tail.
    std::string content;
    for (int i = 0; content.size() < (7u << 19); ++i) content += "piece " + std::to_string(i) + " of the trailing hash test\n";
    std::string garbage(3u << 19, 'x');  // 1.5 MiB the restart must forget
    {
        TrailingFileHasher h(fd, path, [] { return Hasher(HashAlgorithm::sha256); });
        std::uint64_t end = 0;
        write_all(fd, garbage, end, h);
        h.restart();  // as pull does before truncating when the server ignores Range
        REQUIRE(::ftruncate(fd, 0) == 0);
        REQUIRE(::lseek(fd, 0, SEEK_SET) == 0);
        end = 0;
        for (std::size_t at = 0; at < content.size(); at += 100000) write_all(fd, content.substr(at, 100000), end, h);
        CHECK(h.finish() == sha256_hex(content));
    }
    CHECK(hubtest::sha256sum(path) == sha256_hex(content));  // sha256sum agrees on the file itself
    {
        // A git blob hasher made by the factory: the same id git computes.
        TrailingFileHasher h(fd, path, [&] { return git_blob_hasher(content.size()); });
        h.advance(content.size());
        CHECK(h.finish() == hubtest::git_blob_id(path));
    }
    {
        // More announced than the file holds: finish reports the short read, naming the file.
        TrailingFileHasher h(fd, path, [] { return Hasher(HashAlgorithm::sha256); });
        h.advance(content.size() + 10);
        try {
            h.finish();
            FAIL("expected a read error");
        } catch (const Error& e) {
            CHECK(std::string(e.what()).find(path) != std::string::npos);
        }
    }
    {
        // Left without finish (an exception in the writer): the destructor stops and joins.
        TrailingFileHasher h(fd, path, [] { return Hasher(HashAlgorithm::sha256); });
        h.advance(content.size());
    }
    ::close(fd);
}
}
