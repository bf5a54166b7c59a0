// File helpers that keep the "nothing half-written" promise: writes go to a temporary file in the
// target's directory, are flushed to disk, then renamed over the target (atomic on POSIX).
#pragma once
#include <filesystem>
#include <string>
#include <string_view>

namespace hubbench {

namespace fs = std::filesystem;

// Whole file as bytes; throws Error(not_found / io) naming the path.
std::string read_file(const fs::path& path);

// Writes `data` to `path` atomically (temp file + fsync + rename). On any failure, including a
// full disk, the temp file is removed, `path` is untouched, and Error(io) names the path.
void write_file_atomic(const fs::path& path, std::string_view data);

// A unique empty directory under the system temp dir, removed with its contents on destruction.
class TempDir {
public:
    explicit TempDir(std::string_view prefix = "hubbench");
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

// Where the embedded models and datasets live: $HUBBENCH_ASSETS, else the source tree's assets/.
fs::path assets_dir();

}  // namespace hubbench
