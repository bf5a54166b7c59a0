// A best-effort inter-process lock, like huggingface_hub's `.locks/<repo folder>/<etag>.lock`
// (filelock): two processes pulling the same blob do not both append to one temp file.
#pragma once
#include <filesystem>

namespace hubbench::hub {

class FileLock {
public:
    // Blocks until the lock is held, polling throw_if_interrupted(). If the lock file cannot be
    // created (read-only cache, exotic filesystem) it logs at debug level and holds nothing: the
    // lock is an optimisation, correctness comes from temp files and renames.
    explicit FileLock(const std::filesystem::path& path);
    ~FileLock();
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;
    bool held() const { return fd_ >= 0; }

private:
    int fd_ = -1;
};

}  // namespace hubbench::hub
