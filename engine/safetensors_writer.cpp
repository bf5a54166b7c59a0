#include "engine/safetensors_writer.hpp"

#include <fmt/format.h>

#include <bit>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace hubbench::engine {

void write_safetensors(const std::filesystem::path& path, std::span<const TensorToWrite> tensors,
                       const std::map<std::string, std::string>& metadata) {
    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    if (!metadata.empty()) header["__metadata__"] = metadata;
    std::uint64_t offset = 0;
    for (const auto& t : tensors) {
        std::uint64_t bytes = dtype_size(t.dtype);
        for (auto d : t.shape) bytes *= d;
        if (bytes != t.bytes.size())
            throw Error(ErrorKind::invalid_input, fmt::format("{}: tensor '{}' has {} bytes for a shape needing {}",
                                                              path.string(), t.name, t.bytes.size(), bytes));
        header[t.name] = {{"dtype", dtype_name(t.dtype)}, {"shape", t.shape}, {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
    }
    std::string json = header.dump();
    json.append((8 - json.size() % 8) % 8, ' ');
    std::string prefix(8, '\0');
    for (int i = 0; i < 8; ++i) prefix[static_cast<std::size_t>(i)] = static_cast<char>((json.size() >> (8 * i)) & 0xFF);

    auto tmp = path;
    tmp += ".tmp";
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f) throw Error(ErrorKind::io, fmt::format("{}: cannot create", tmp.string()));
    bool ok = std::fwrite(prefix.data(), 1, 8, f) == 8 && std::fwrite(json.data(), 1, json.size(), f) == json.size();
    for (const auto& t : tensors)
        ok = ok && (t.bytes.empty() || std::fwrite(t.bytes.data(), 1, t.bytes.size(), f) == t.bytes.size());
    ok = (std::fclose(f) == 0) && ok;
    std::error_code ec;
    if (ok) std::filesystem::rename(tmp, path, ec);
    if (!ok || ec) {
        std::filesystem::remove(tmp, ec);
        throw Error(ErrorKind::io, fmt::format("{}: cannot write", path.string()));
    }
}

std::uint16_t float_to_bfloat16(float f) noexcept {
    std::uint32_t bits = std::bit_cast<std::uint32_t>(f);
    if ((bits & 0x7F800000u) == 0x7F800000u && (bits & 0x7FFFFFu))  // NaN stays NaN
        return static_cast<std::uint16_t>((bits >> 16) | 0x40u);
    bits += 0x7FFFu + ((bits >> 16) & 1u);
    return static_cast<std::uint16_t>(bits >> 16);
}

}  // namespace hubbench::engine
