#include "hub/hash.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <openssl/evp.h>
#include <unistd.h>

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
