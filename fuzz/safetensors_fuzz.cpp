// libFuzzer target for the safetensors header parser (core/safetensors_header.cpp): any byte string
// must either parse into a header whose tensors lie inside the input, or throw hubbench::Error.
// Run: scripts/fuzz 60   (seeds in fuzz/corpus/safetensors)
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "core/safetensors_header.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    try {
        auto header = hubbench::parse_safetensors_header(bytes, "fuzz.safetensors", size);
        // Invariants the engine relies on after a successful parse.
        for (const auto& t : header.tensors) {
            if (t.end < t.begin || header.data_offset() + t.end > size) __builtin_trap();
            if (t.element_count() * hubbench::dtype_size(t.dtype) != t.byte_size()) __builtin_trap();
        }
        (void)hubbench::parameter_count_by_dtype(header);
        // The same bytes as a header fetched alone (unknown file size) must not crash either.
        (void)hubbench::parse_safetensors_header(bytes, "fuzz.safetensors", std::nullopt);
    } catch (const hubbench::Error&) {
    }
    return 0;
}
