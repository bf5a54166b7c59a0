// Memory-mapped safetensors files: one file (SafetensorsFile) or a model folder with either
// model.safetensors or shards listed in model.safetensors.index.json (TensorSource). Headers are
// validated by core/safetensors_header before any byte of tensor data is touched, so every range
// handed out lies inside its mapping.
#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/safetensors_header.hpp"

namespace hubbench::engine {

// A read-only private mapping of a whole file; unmapped on destruction.
class MappedFile {
public:
    explicit MappedFile(const std::filesystem::path& path);
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    std::string_view bytes() const { return {static_cast<const char*>(data_), size_}; }
    const std::filesystem::path& path() const { return path_; }
    // Reads every page of [p, p + n) now (weights used in place: load time pays for the I/O, not
    // the first forward pass).
    void prefault(const std::byte* p, std::size_t n) const noexcept;
    // Drops the whole pages inside [p, p + n) from memory (weights already converted to float32:
    // keeps peak RSS near the float32 weights). Reading them again re-reads the file.
    void release(const std::byte* p, std::size_t n) const noexcept;

private:
    std::filesystem::path path_;
    void* data_ = nullptr;
    std::size_t size_ = 0;
};

// A tensor's header entry and its bytes inside the mapping.
struct TensorView {
    const SafetensorsTensorInfo* info = nullptr;
    const std::byte* data = nullptr;   // info->byte_size() bytes
    const MappedFile* file = nullptr;
};

class SafetensorsFile {
public:
    explicit SafetensorsFile(const std::filesystem::path& path);

    const SafetensorsHeader& header() const { return header_; }
    const std::filesystem::path& path() const { return file_.path(); }
    // nullptr data when absent.
    TensorView find(std::string_view name) const;

private:
    MappedFile file_;
    SafetensorsHeader header_;
    std::map<std::string, const SafetensorsTensorInfo*, std::less<>> by_name_;
};

// All tensors of a model folder: model.safetensors, or the shards named by
// model.safetensors.index.json (each shard opened once; every name of weight_map must be in the
// shard it points to).
class TensorSource {
public:
    explicit TensorSource(const std::filesystem::path& dir);

    bool contains(std::string_view name) const;
    // Throws Error(not_found) naming the folder's weight file(s) and the tensor.
    TensorView get(std::string_view name) const;
    // Every tensor name, sorted.
    std::vector<std::string> names() const;
    // Weight files relative to the folder, in load order.
    std::vector<std::string> files() const;
    // Elements per dtype name over all files ("F32" -> n).
    std::map<std::string, std::uint64_t> parameter_count_by_dtype() const;
    // Where errors should point for tensors that are absent: "model.safetensors" or the index.
    const std::filesystem::path& description_path() const { return description_path_; }

private:
    std::filesystem::path dir_;
    std::filesystem::path description_path_;
    std::vector<std::unique_ptr<SafetensorsFile>> files_;
    std::map<std::string, const SafetensorsFile*, std::less<>> by_name_;
};

// Widening conversions used at load (IEEE binary16 and bfloat16 to binary32).
float half_to_float(std::uint16_t h) noexcept;
inline float bfloat16_to_float(std::uint16_t b) noexcept {
    std::uint32_t bits = static_cast<std::uint32_t>(b) << 16;
    float f;
    __builtin_memcpy(&f, &bits, sizeof f);
    return f;
}
// Converts `count` elements of `dtype` (F32, F16, BF16, F64) at `src` to float32 into `dst`;
// throws Error(unsupported) naming `what` for other dtypes.
void convert_to_float(Dtype dtype, const std::byte* src, std::size_t count, float* dst, std::string_view what);

}  // namespace hubbench::engine
