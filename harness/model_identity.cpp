#include "harness/model_identity.hpp"

#include <algorithm>
#include <fstream>
#include <vector>

#include "core/error.hpp"
#include "hub/hash.hpp"

namespace hubbench::harness {
namespace fs = std::filesystem;
namespace {

// The safetensors header (8-byte length + JSON) identifies the tensors' names, dtypes, shapes and
// layout; with the file size it changes whenever the weights file is rewritten by a trainer.
std::string safetensors_header_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    unsigned char length_bytes[8] = {};
    if (!in.read(reinterpret_cast<char*>(length_bytes), 8)) return {};
    std::uint64_t length = 0;
    for (int i = 7; i >= 0; --i) length = (length << 8) | length_bytes[i];
    if (length > 100'000'000) return {};
    std::string header(static_cast<std::size_t>(length), '\0');
    in.read(header.data(), static_cast<std::streamsize>(length));
    return header;
}

}  // namespace

std::string local_model_revision(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw Error(ErrorKind::not_found, dir.string() + ": not a model folder");
    std::vector<fs::path> files;
    for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::follow_directory_symlink, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) break;
        if (it->is_regular_file(ec)) files.push_back(fs::relative(it->path(), dir, ec));
    }
    std::sort(files.begin(), files.end());
    hub::Hasher hasher(hub::HashAlgorithm::sha1);
    for (const auto& rel : files) {
        const auto extension = rel.extension();
        // What the engine and tokenizer read; a model card or a .gitattributes edit is not a new model.
        if (extension != ".safetensors" && extension != ".json" && extension != ".model" && extension != ".txt") continue;
        const std::string name = rel.generic_string();
        const fs::path full = dir / rel;
        const auto size = fs::file_size(full, ec);
        hasher.update(name);
        hasher.update(std::string_view("\0", 1));
        hasher.update(std::to_string(size));
        if (extension == ".safetensors") {
            hasher.update(safetensors_header_bytes(full));
        } else {
            hasher.update(hub::hash_file(full, true, false).sha256);
        }
    }
    return "local-" + hasher.hex_digest();
}

}  // namespace hubbench::harness
