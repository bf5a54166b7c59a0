// Content hashes the Hub uses as identities: the git blob SHA-1 of small files, the SHA-256 of LFS
// files (their ETag and cache blob name), and the SHA-1 of an LFS pointer file (the LFS file's
// `blobId`). OpenSSL's EVP interface does the hashing.
#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace hubbench::hub {

enum class HashAlgorithm { sha1, sha256 };

// Incremental hash; hex_digest() finishes it (further updates throw Error(internal)).
class Hasher {
public:
    explicit Hasher(HashAlgorithm algorithm);
    ~Hasher();
    Hasher(Hasher&&) noexcept;
    Hasher& operator=(Hasher&&) noexcept;
    Hasher(const Hasher&) = delete;
    Hasher& operator=(const Hasher&) = delete;

    void update(const void* data, std::size_t size);
    void update(std::string_view data) { update(data.data(), data.size()); }
    std::string hex_digest();  // lowercase hex

private:
    struct State;
    std::unique_ptr<State> state_;
};

std::string sha1_hex(std::string_view data);
std::string sha256_hex(std::string_view data);

// git's object id of a blob: sha1("blob <size>\0" + content).
std::string git_blob_sha1(std::string_view content);
// Hasher primed with the git blob header, for streaming a file of known size.
Hasher git_blob_hasher(std::uint64_t size);

// The git-lfs pointer file that stands for an LFS file in git (git-lfs spec v1); its git blob
// SHA-1 is the `blobId` the Hub reports for LFS files, its length the `pointerSize`.
std::string lfs_pointer_text(const std::string& sha256, std::uint64_t size);

struct FileDigests {
    std::uint64_t size = 0;
    std::string sha256;    // empty unless requested
    std::string git_sha1;  // empty unless requested
};

// Hashes a file in one read pass; throws Error(not_found / io) naming the path.
FileDigests hash_file(const std::filesystem::path& path, bool want_sha256, bool want_git_sha1);

}  // namespace hubbench::hub
