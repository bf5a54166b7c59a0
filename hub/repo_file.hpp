// One file of a repo at a commit, as the tree API and the cache's trees/<commit>.json describe it.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace hubbench::hub {

struct LfsInfo {
    std::string sha256;              // content SHA-256: the file's ETag and its cache blob name
    std::uint64_t size = 0;
    std::uint64_t pointer_size = 0;  // length of the git-lfs pointer file
};

struct RepoFile {
    std::string path;                // relative to the repo root, '/'-separated
    std::uint64_t size = 0;
    std::string blob_id;             // git blob SHA-1 (of the pointer file for LFS files)
    std::optional<LfsInfo> lfs;

    // The name of the file's blob in the cache and its ETag on /resolve (file_download.py).
    const std::string& etag() const { return lfs ? lfs->sha256 : blob_id; }
};

}  // namespace hubbench::hub
