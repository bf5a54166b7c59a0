// Content hashes the Hub uses as identities: the git blob SHA-1 of small files, the SHA-256 of LFS
// files (their ETag and cache blob name), and the SHA-1 of an LFS pointer file (the LFS file's
// `blobId`). OpenSSL's EVP interface does the hashing.
#pragma once
#include <cstddef>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

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

// Hashes bytes [0, end) of a file that is being written, on a background thread that trails the
// writer (pread of what already landed, 1 MiB at a time): a download's hash then overlaps its
// receive/write instead of adding to it (sha256 runs at ~2 GB/s, as fast as loopback transfers).
// The writer owns the fd and calls advance() after each write; restart() before it truncates the
// file; finish() for the digest. The destructor stops and joins the thread, so an exception or
// cancellation anywhere in the writer never leaves it running. Declare it after the fd it reads,
// so it is joined before the fd closes.
class TrailingFileHasher {
public:
    // `name` names the file in error messages; `make_hasher` gives a fresh hasher (also on restart).
    TrailingFileHasher(int fd, std::string name, std::function<Hasher()> make_hasher);
    ~TrailingFileHasher();
    TrailingFileHasher(const TrailingFileHasher&) = delete;
    TrailingFileHasher& operator=(const TrailingFileHasher&) = delete;

    void advance(std::uint64_t end);  // bytes [0, end) are in the file
    // Forgets what was hashed (waiting out a chunk in progress) and starts over at byte 0 with a
    // fresh hasher. Call before truncating the file, so no read races the truncation.
    void restart();
    // Waits until [0, end) is hashed, stops the thread and returns the hex digest; rethrows a read
    // error the thread hit (Error(io) naming the file).
    std::string finish();

private:
    void run();

    const int fd_;
    const std::string name_;
    const std::function<Hasher()> make_hasher_;
    Hasher hasher_;  // used by the thread only while busy_, by the others only while !busy_
    std::mutex mutex_;
    std::condition_variable cv_;
    std::uint64_t end_ = 0;     // written by the writer
    std::uint64_t hashed_ = 0;  // prefix already fed to hasher_
    bool busy_ = false;         // the thread is reading/hashing a chunk outside the lock
    bool flush_ = false;        // finish(): hash the last partial chunk too
    bool stop_ = false;
    std::exception_ptr error_;
    std::thread thread_;  // last: started once the members above exist
};

// Hashes a file in one read pass; throws Error(not_found / io) naming the path.
FileDigests hash_file(const std::filesystem::path& path, bool want_sha256, bool want_git_sha1);

}  // namespace hubbench::hub
