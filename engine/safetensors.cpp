#include "engine/safetensors.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bit>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <set>

#include "core/error.hpp"
#include "core/fs.hpp"

namespace hubbench::engine {

static_assert(std::endian::native == std::endian::little, "safetensors data is little-endian");

MappedFile::MappedFile(const std::filesystem::path& path) : path_(path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int err = errno;
        throw Error(err == ENOENT ? ErrorKind::not_found : ErrorKind::io,
                    fmt::format("{}: cannot open: {}", path.string(), std::strerror(err)));
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw Error(ErrorKind::io, fmt::format("{}: not a regular file", path.string()));
    }
    size_ = static_cast<std::size_t>(st.st_size);
    if (size_ > 0) {
        data_ = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
        if (data_ == MAP_FAILED) {
            int err = errno;
            data_ = nullptr;
            ::close(fd);
            throw Error(ErrorKind::io, fmt::format("{}: cannot map: {}", path.string(), std::strerror(err)));
        }
    }
    ::close(fd);
}

MappedFile::~MappedFile() {
    if (data_) ::munmap(data_, size_);
}

namespace {
std::size_t page_size() noexcept {
    static const std::size_t size = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    return size;
}
}  // namespace

void MappedFile::prefault(const std::byte* p, std::size_t n) const noexcept {
    if (n == 0) return;
    const std::size_t page = page_size();
    const std::size_t lead = reinterpret_cast<std::uintptr_t>(p) % page;
    ::madvise(const_cast<std::byte*>(p - lead), n + lead, MADV_WILLNEED);
    volatile unsigned char sink = 0;
    for (std::size_t i = 0; i < n; i += page) sink = sink + static_cast<unsigned char>(p[i]);
    sink = sink + static_cast<unsigned char>(p[n - 1]);
}

void MappedFile::release(const std::byte* p, std::size_t n) const noexcept {
    const std::size_t page = page_size();
    auto begin = (reinterpret_cast<std::uintptr_t>(p) + page - 1) / page * page;
    auto end = (reinterpret_cast<std::uintptr_t>(p) + n) / page * page;
    if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
}

SafetensorsFile::SafetensorsFile(const std::filesystem::path& path)
    : file_(path), header_(parse_safetensors_header(file_.bytes(), path.string(), file_.bytes().size())) {
    for (const auto& t : header_.tensors) by_name_.emplace(t.name, &t);
}

TensorView SafetensorsFile::find(std::string_view name) const {
    auto it = by_name_.find(name);
    if (it == by_name_.end()) return {};
    const auto* info = it->second;
    const auto* base = reinterpret_cast<const std::byte*>(file_.bytes().data());
    return {info, base + header_.data_offset() + info->begin, &file_};
}

namespace {

// A shard name from the index must be a plain file name inside the folder.
bool plain_file_name(const std::string& name) {
    return !name.empty() && name.find('/') == std::string::npos && name.find('\\') == std::string::npos &&
           name != "." && name != "..";
}

}  // namespace

TensorSource::TensorSource(const std::filesystem::path& dir) : dir_(dir) {
    auto single = dir / "model.safetensors";
    auto index = dir / "model.safetensors.index.json";
    if (std::filesystem::exists(single)) {
        description_path_ = single;
        files_.push_back(std::make_unique<SafetensorsFile>(single));
        for (const auto& t : files_.back()->header().tensors) by_name_.emplace(t.name, files_.back().get());
        return;
    }
    if (!std::filesystem::exists(index)) {
        throw Error(ErrorKind::not_found,
                    fmt::format("{}: no model.safetensors or model.safetensors.index.json (only safetensors weights "
                                "are supported)",
                                dir.string()));
    }
    description_path_ = index;
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(read_file(index));
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorKind::invalid_input, one_line(fmt::format("{}: invalid JSON: {}", index.string(), e.what())));
    }
    if (!doc.is_object() || !doc.contains("weight_map") || !doc["weight_map"].is_object())
        throw Error(ErrorKind::invalid_input, fmt::format("{}: no \"weight_map\" object", index.string()));

    std::map<std::string, const SafetensorsFile*> shards;
    for (auto it = doc["weight_map"].begin(); it != doc["weight_map"].end(); ++it) {
        if (!it->is_string() || !plain_file_name(it->get<std::string>()))
            throw Error(ErrorKind::invalid_input,
                        one_line(fmt::format("{}: tensor '{}' maps to an invalid shard name", index.string(), it.key())));
        const auto shard_name = it->get<std::string>();
        auto found = shards.find(shard_name);
        if (found == shards.end()) {
            files_.push_back(std::make_unique<SafetensorsFile>(dir / shard_name));
            found = shards.emplace(shard_name, files_.back().get()).first;
        }
        if (!found->second->find(it.key()).info)
            throw Error(ErrorKind::not_found, one_line(fmt::format("{}: tensor '{}' is listed in {} but missing from the shard",
                                                                   (dir / shard_name).string(), it.key(),
                                                                   index.filename().string())));
        by_name_.emplace(it.key(), found->second);
    }
}

bool TensorSource::contains(std::string_view name) const { return by_name_.find(name) != by_name_.end(); }

TensorView TensorSource::get(std::string_view name) const {
    auto it = by_name_.find(name);
    if (it == by_name_.end())
        throw Error(ErrorKind::not_found,
                    one_line(fmt::format("{}: missing tensor '{}'", description_path_.string(), name)));
    return it->second->find(name);
}

std::vector<std::string> TensorSource::names() const {
    std::vector<std::string> out;
    for (const auto& [name, _] : by_name_) out.push_back(name);
    return out;
}

std::vector<std::string> TensorSource::files() const {
    std::vector<std::string> out;
    for (const auto& f : files_) out.push_back(f->path().filename().string());
    return out;
}

std::map<std::string, std::uint64_t> TensorSource::parameter_count_by_dtype() const {
    std::map<std::string, std::uint64_t> out;
    for (const auto& f : files_)
        for (const auto& [dtype, n] : hubbench::parameter_count_by_dtype(f->header())) out[dtype] += n;
    return out;
}

float half_to_float(std::uint16_t h) noexcept {
    // IEEE 754 binary16 -> binary32, exact for every input (subnormals, inf, NaN).
    const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
    const std::uint32_t exponent = (h >> 10) & 0x1Fu;
    std::uint32_t mantissa = h & 0x3FFu;
    std::uint32_t bits;
    if (exponent == 0x1F) {
        bits = sign | 0x7F800000u | (mantissa << 13);
    } else if (exponent != 0) {
        bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
    } else if (mantissa == 0) {
        bits = sign;
    } else {
        int e = -1;  // normalise the subnormal
        do {
            ++e;
            mantissa <<= 1;
        } while ((mantissa & 0x400u) == 0);
        bits = sign | (static_cast<std::uint32_t>(112 - e) << 23) | ((mantissa & 0x3FFu) << 13);
    }
    return std::bit_cast<float>(bits);
}

void convert_to_float(Dtype dtype, const std::byte* src, std::size_t count, float* dst, std::string_view what) {
    switch (dtype) {
        case Dtype::f32:
            std::memcpy(dst, src, count * sizeof(float));
            return;
        case Dtype::f16:
            for (std::size_t i = 0; i < count; ++i) {
                std::uint16_t h;
                std::memcpy(&h, src + 2 * i, 2);
                dst[i] = half_to_float(h);
            }
            return;
        case Dtype::bf16:
            for (std::size_t i = 0; i < count; ++i) {
                std::uint16_t b;
                std::memcpy(&b, src + 2 * i, 2);
                dst[i] = bfloat16_to_float(b);
            }
            return;
        case Dtype::f64:
            for (std::size_t i = 0; i < count; ++i) {
                double d;
                std::memcpy(&d, src + 8 * i, 8);
                dst[i] = static_cast<float>(d);
            }
            return;
        default:
            throw Error(ErrorKind::unsupported,
                        fmt::format("{}: dtype {} cannot be used as a float weight (F32, F16, BF16, F64 are)", what,
                                    dtype_name(dtype)));
    }
}

}  // namespace hubbench::engine
