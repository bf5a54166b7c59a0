// The safetensors header: an 8-byte little-endian length N, then N bytes of JSON mapping tensor
// names to {dtype, shape, data_offsets} (offsets relative to the data section that follows the
// header), plus an optional "__metadata__" map of strings. Format: huggingface/safetensors
// README "Format" and safetensors/src/tensor.rs (Metadata::validate).
//
// This parser validates everything before anything is trusted: the length prefix (and the 25 MB
// limit huggingface_hub's get_safetensors_metadata applies, SAFETENSORS_MAX_HEADER_LENGTH), the
// JSON, each dtype, shape x dtype size == byte range, ranges inside the data section, no two
// ranges overlapping. Gaps between tensors are allowed (upstream rejects them; nothing here relies
// on contiguity). Used by hub/ (parameter counts from a header fetched with a Range request) and
// engine/ (mmap'd model files).
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hubbench {

// safetensors dtypes, named as in the file ("F32", "BF16", ...).
enum class Dtype { f64, f32, f16, bf16, i64, i32, i16, i8, u8, boolean, f8_e4m3, f8_e5m2, u16, u32, u64 };

std::string_view dtype_name(Dtype dtype) noexcept;          // "F32", "BOOL", "F8_E4M3", ...
std::size_t dtype_size(Dtype dtype) noexcept;               // bytes per element
std::optional<Dtype> parse_dtype(std::string_view name) noexcept;

// huggingface_hub constants.py SAFETENSORS_MAX_HEADER_LENGTH.
inline constexpr std::uint64_t safetensors_max_header_length = 25'000'000;

struct SafetensorsTensorInfo {
    std::string name;
    Dtype dtype = Dtype::f32;
    std::vector<std::uint64_t> shape;
    std::uint64_t begin = 0;  // byte offsets relative to the data section: [begin, end)
    std::uint64_t end = 0;

    std::uint64_t element_count() const noexcept;  // product of shape (1 for a scalar)
    std::uint64_t byte_size() const noexcept { return end - begin; }
};

struct SafetensorsHeader {
    std::uint64_t header_length = 0;               // N, the JSON's length
    std::vector<SafetensorsTensorInfo> tensors;    // in data_offsets order
    std::map<std::string, std::string> metadata;   // "__metadata__", empty when absent

    // Where the data section starts in the file: 8 + N.
    std::uint64_t data_offset() const noexcept { return 8 + header_length; }
    // The largest tensor end: how many bytes of data section the tensors need.
    std::uint64_t data_length() const noexcept;
    // nullptr when there is no tensor of that name.
    const SafetensorsTensorInfo* find(std::string_view name) const noexcept;
};

// Reads only the 8-byte length prefix (bytes must hold at least 8 bytes) and checks it against
// safetensors_max_header_length; lets a network client know how much more to fetch.
std::uint64_t parse_safetensors_header_length(std::string_view bytes, std::string_view source_name);

// Parses and validates a header. `bytes` starts at the beginning of the file and holds at least
// 8 + N bytes (more is fine, e.g. the whole file). `file_size` is the size of the whole file when
// known: then every tensor must lie inside [8 + N, file_size). When nullopt (a header fetched
// alone), ranges are only checked against their shapes and each other. Throws Error(invalid_input) naming `source_name` and the tensor at fault, or
// Error(unsupported) for a dtype this list does not know.
SafetensorsHeader parse_safetensors_header(std::string_view bytes, std::string_view source_name,
                                           std::optional<std::uint64_t> file_size = std::nullopt);

// Parameters (elements) per dtype name, like huggingface_hub's
// SafetensorsFileMetadata.parameter_count: {"F32": 1234, "BF16": 99}.
std::map<std::string, std::uint64_t> parameter_count_by_dtype(const SafetensorsHeader& header);
// Sum over all tensors.
std::uint64_t parameter_count(const SafetensorsHeader& header);

}  // namespace hubbench
