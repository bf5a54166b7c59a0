#include "core/fs.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>

#include "core/error.hpp"

namespace hubbench {

std::string read_file(const fs::path& path) {
    std::error_code ec;
    if (!fs::exists(path, ec)) throw Error(ErrorKind::not_found, path.string() + ": no such file");
    if (fs::is_directory(path, ec)) throw Error(ErrorKind::invalid_input, path.string() + ": is a directory, expected a file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(ErrorKind::io, path.string() + ": cannot open: " + std::strerror(errno));
    std::string data;
    in.seekg(0, std::ios::end);
    auto size = in.tellg();
    if (size < 0) throw Error(ErrorKind::io, path.string() + ": cannot read");
    data.resize(static_cast<std::size_t>(size));
    in.seekg(0);
    in.read(data.data(), size);
    if (!in) throw Error(ErrorKind::io, path.string() + ": read failed");
    return data;
}

namespace {
std::string random_suffix() {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    static const char* hex = "0123456789abcdef";
    std::string s(8, '0');
    for (char& c : s) c = hex[rng() & 15];
    return s;
}
}  // namespace

void write_file_atomic(const fs::path& path, std::string_view data) {
    fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
    fs::path tmp = dir / ("." + path.filename().string() + "." + random_suffix() + ".tmp");
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) throw Error(ErrorKind::io, path.string() + ": cannot create a temporary file: " + std::strerror(errno));
    auto fail = [&](const char* what) {
        int err = errno;
        ::close(fd);
        ::unlink(tmp.c_str());
        throw Error(ErrorKind::io, path.string() + ": " + what + ": " + std::strerror(err));
    };
    std::size_t written = 0;
    while (written < data.size()) {
        ssize_t n = ::write(fd, data.data() + written, data.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("write failed");
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) fail("fsync failed");
    if (::close(fd) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        throw Error(ErrorKind::io, path.string() + ": close failed: " + std::strerror(err));
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        throw Error(ErrorKind::io, path.string() + ": rename failed: " + std::strerror(err));
    }
}

TempDir::TempDir(std::string_view prefix) {
    fs::path base = fs::temp_directory_path();
    for (int attempt = 0; attempt < 100; ++attempt) {
        fs::path candidate = base / (std::string(prefix) + "-" + random_suffix());
        std::error_code ec;
        if (fs::create_directory(candidate, ec)) {
            path_ = candidate;
            return;
        }
    }
    throw Error(ErrorKind::io, "cannot create a temporary directory in " + base.string());
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

fs::path assets_dir() {
    if (const char* env = std::getenv("HUBBENCH_ASSETS"); env != nullptr && *env != '\0') return env;
    return HUBBENCH_ASSETS_DIR;
}

}  // namespace hubbench
