#include "hub/file_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "core/interrupt.hpp"
#include "core/log.hpp"

namespace hubbench::hub {

FileLock::FileLock(const std::filesystem::path& path) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    // 0664 like filelock's default mode in huggingface_hub (WeakFileLock mode=0o664).
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0664);
    if (fd_ < 0) {
        log::debug("cannot create lock file {}: {}", path.string(), std::strerror(errno));
        return;
    }
    for (;;) {
        if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) return;
        if (errno != EWOULDBLOCK && errno != EINTR) {
            log::debug("cannot lock {}: {}", path.string(), std::strerror(errno));
            ::close(fd_);
            fd_ = -1;
            return;
        }
        try {
            throw_if_interrupted();
        } catch (...) {
            ::close(fd_);
            fd_ = -1;
            throw;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

FileLock::~FileLock() {
    if (fd_ >= 0) {
        ::flock(fd_, LOCK_UN);
        ::close(fd_);
    }
}

}  // namespace hubbench::hub
