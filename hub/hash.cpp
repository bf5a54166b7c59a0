#include "hub/hash.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "core/error.hpp"

namespace hubbench::hub {

struct Hasher::State {
    EVP_MD_CTX* ctx = nullptr;
    bool finished = false;
};

Hasher::Hasher(HashAlgorithm algorithm) : state_(std::make_unique<State>()) {
    state_->ctx = EVP_MD_CTX_new();
    const EVP_MD* md = algorithm == HashAlgorithm::sha1 ? EVP_sha1() : EVP_sha256();
    if (state_->ctx == nullptr || EVP_DigestInit_ex(state_->ctx, md, nullptr) != 1) {
        throw Error(ErrorKind::internal, "OpenSSL: cannot initialise a digest");
    }
}

Hasher::~Hasher() {
    if (state_ && state_->ctx != nullptr) EVP_MD_CTX_free(state_->ctx);
}

Hasher::Hasher(Hasher&&) noexcept = default;
Hasher& Hasher::operator=(Hasher&& other) noexcept {
    if (this != &other) {
        if (state_ && state_->ctx != nullptr) EVP_MD_CTX_free(state_->ctx);
        state_ = std::move(other.state_);
    }
    return *this;
}

void Hasher::update(const void* data, std::size_t size) {
    if (state_->finished) throw Error(ErrorKind::internal, "Hasher::update after hex_digest");
    if (size > 0 && EVP_DigestUpdate(state_->ctx, data, size) != 1) {
        throw Error(ErrorKind::internal, "OpenSSL: digest update failed");
    }
}

std::string Hasher::hex_digest() {
    if (state_->finished) throw Error(ErrorKind::internal, "Hasher::hex_digest called twice");
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(state_->ctx, digest, &length) != 1) {
        throw Error(ErrorKind::internal, "OpenSSL: digest final failed");
    }
    state_->finished = true;
    static const char* hex = "0123456789abcdef";
    std::string out;
    out.reserve(length * 2);
    for (unsigned int i = 0; i < length; ++i) {
        out.push_back(hex[digest[i] >> 4]);
        out.push_back(hex[digest[i] & 15]);
    }
    return out;
}

std::string sha1_hex(std::string_view data) {
    Hasher h(HashAlgorithm::sha1);
    h.update(data);
    return h.hex_digest();
}

std::string sha256_hex(std::string_view data) {
    Hasher h(HashAlgorithm::sha256);
    h.update(data);
    return h.hex_digest();
}

Hasher git_blob_hasher(std::uint64_t size) {
    Hasher h(HashAlgorithm::sha1);
    std::string header = "blob " + std::to_string(size);
    h.update(header.data(), header.size() + 1);  // includes the NUL terminator, as git does
    return h;
}

std::string git_blob_sha1(std::string_view content) {
    Hasher h = git_blob_hasher(content.size());
    h.update(content);
    return h.hex_digest();
}

std::string lfs_pointer_text(const std::string& sha256, std::uint64_t size) {
    return "version https://git-lfs.github.com/spec/v1\noid sha256:" + sha256 + "\nsize " + std::to_string(size) + "\n";
}

namespace {
// Chunk the trailing hasher reads at once; it waits for a full one (unless flushing) so a writer
// delivering 16-64 KiB pieces does not wake it per piece.
constexpr std::uint64_t k_trail_chunk = 1 << 20;
}  // namespace

TrailingFileHasher::TrailingFileHasher(int fd, std::string name, std::function<Hasher()> make_hasher)
    : fd_(fd), name_(std::move(name)), make_hasher_(std::move(make_hasher)), hasher_(make_hasher_()),
      thread_([this] { run(); }) {}

TrailingFileHasher::~TrailingFileHasher() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void TrailingFileHasher::advance(std::uint64_t end) {
    bool wake = false;
    {
        std::lock_guard lock(mutex_);
        end_ = end;
        wake = end_ - hashed_ >= k_trail_chunk;
    }
    if (wake) cv_.notify_all();
}

void TrailingFileHasher::restart() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return !busy_; });
    hasher_ = make_hasher_();
    end_ = hashed_ = 0;
    error_ = nullptr;  // a read error of the old contents no longer matters
}

std::string TrailingFileHasher::finish() {
    {
        std::unique_lock lock(mutex_);
        flush_ = true;
        cv_.notify_all();
        cv_.wait(lock, [&] { return (hashed_ == end_ && !busy_) || error_; });
        stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
    if (error_) std::rethrow_exception(error_);
    return hasher_.hex_digest();
}

void TrailingFileHasher::run() {
    std::vector<char> buffer(k_trail_chunk);
    std::unique_lock lock(mutex_);
    for (;;) {
        cv_.wait(lock, [&] { return stop_ || (!error_ && end_ - hashed_ >= (flush_ ? 1 : k_trail_chunk)); });
        if (stop_) return;
        const std::uint64_t from = hashed_;
        const std::size_t n = static_cast<std::size_t>(std::min(k_trail_chunk, end_ - from));
        busy_ = true;
        lock.unlock();
        std::exception_ptr error;
        try {
            std::size_t got = 0;
            while (got < n) {
                ssize_t r = ::pread(fd_, buffer.data() + got, n - got, static_cast<off_t>(from + got));
                if (r < 0 && errno == EINTR) continue;
                if (r <= 0) throw Error(ErrorKind::io, name_ + ": read failed: " + (r < 0 ? std::strerror(errno) : "file shorter than written"));
                got += static_cast<std::size_t>(r);
            }
            hasher_.update(buffer.data(), n);
        } catch (...) {
            error = std::current_exception();
        }
        lock.lock();
        busy_ = false;
        if (error) {
            error_ = error;
        } else {
            hashed_ = from + n;
        }
        cv_.notify_all();
    }
}

FileDigests hash_file(const std::filesystem::path& path, bool want_sha256, bool want_git_sha1) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int err = errno;
        throw Error(err == ENOENT ? ErrorKind::not_found : ErrorKind::io,
                    path.string() + ": cannot open: " + std::strerror(err));
    }
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0) throw Error(ErrorKind::io, path.string() + ": cannot stat: " + std::strerror(errno));
    FileDigests out;
    out.size = static_cast<std::uint64_t>(st.st_size);
    Hasher sha256(HashAlgorithm::sha256);
    Hasher git = git_blob_hasher(out.size);
    std::vector<char> buffer(1 << 20);
    std::uint64_t total = 0;
    for (;;) {
        ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            throw Error(ErrorKind::io, path.string() + ": read failed: " + std::strerror(errno));
        }
        if (n == 0) break;
        if (want_sha256) sha256.update(buffer.data(), static_cast<std::size_t>(n));
        if (want_git_sha1) git.update(buffer.data(), static_cast<std::size_t>(n));
        total += static_cast<std::uint64_t>(n);
    }
    if (total != out.size) throw Error(ErrorKind::io, path.string() + ": changed while being hashed");
    if (want_sha256) out.sha256 = sha256.hex_digest();
    if (want_git_sha1) out.git_sha1 = git.hex_digest();
    return out;
}

}  // namespace hubbench::hub
