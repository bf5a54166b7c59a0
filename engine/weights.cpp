#include "engine/weights.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <exception>
#include <vector>

#include "core/error.hpp"
#include "engine/ops/quantize.hpp"
#include "engine/safetensors_writer.hpp"

namespace hubbench::engine {

Weights::Weights(const std::filesystem::path& dir, ComputeDtype dtype) : source_(dir), dtype_(dtype) {
    if (dtype_ == ComputeDtype::automatic) throw Error(ErrorKind::internal, "Weights: the automatic dtype must be resolved first");
}

TensorView Weights::checked(const std::string& name, const std::vector<std::size_t>& shape) const {
    TensorView view = source_.get(name);
    const auto& info = *view.info;
    std::vector<std::size_t> actual(info.shape.begin(), info.shape.end());
    if (actual != shape)
        throw Error(ErrorKind::invalid_input,
                    fmt::format("{}: tensor '{}' has shape [{}], expected [{}] from config.json", view.file->path().string(),
                                name, fmt::join(actual, ", "), fmt::join(shape, ", ")));
    return view;
}

ops::Matrix Weights::find_matrix(const std::string& name, std::vector<std::size_t> shape) {
    if (!source_.contains(name)) return {};
    return matrix(name, std::move(shape));
}

ops::Matrix Weights::matrix(const std::string& name, std::vector<std::size_t> shape) {
    if (dtype_ == ComputeDtype::float32) return get(name, std::move(shape));
    TensorView view = checked(name, shape);
    if (auto it = loaded_.find(name); it != loaded_.end()) return it->second;
    if (auto it = loaded_bf16_.find(name); it != loaded_bf16_.end()) return ops::Matrix::bf16(it->second);
    if (auto it = loaded_q8_.find(name); it != loaded_q8_.end()) return it->second;
    // int8 quantizes matrices whose rows are whole blocks (every real model's); one with a partial
    // block (tiny test fixtures) stays float32.
    if (dtype_ == ComputeDtype::int8) {
        if (!shape.empty() && shape.back() % ops::q8_block == 0) return quantized(view, name);
        return get(name, std::move(shape));
    }

    const auto& info = *view.info;
    const std::size_t count = info.element_count();
    const std::uint16_t* data = nullptr;
    if (info.dtype == Dtype::bf16 && reinterpret_cast<std::uintptr_t>(view.data) % alignof(std::uint16_t) == 0) {
        data = reinterpret_cast<const std::uint16_t*>(view.data);
        view.file->prefault(view.data, info.byte_size());
    } else {
        // Through float32 in slices, so the conversion needs no whole float32 copy.
        std::unique_ptr<std::uint16_t[]> rounded(new std::uint16_t[count]);
        const std::string what = fmt::format("{}: tensor '{}'", view.file->path().string(), name);
        constexpr std::size_t slice = 1 << 16;
        std::vector<float> buffer(std::min(count, slice));
        const std::size_t element = dtype_size(info.dtype);
        for (std::size_t i = 0; i < count; i += slice) {
            const std::size_t m = std::min(slice, count - i);
            convert_to_float(info.dtype, view.data + i * element, m, buffer.data(), what);
            for (std::size_t j = 0; j < m; ++j) rounded[i + j] = float_to_bfloat16(buffer[j]);
        }
        view.file->release(view.data, info.byte_size());
        owned_bf16_.push_back(std::move(rounded));
        data = owned_bf16_.back().get();
    }
    resident_bytes_ += count * sizeof(std::uint16_t);
    loaded_bf16_.emplace(name, data);
    return ops::Matrix::bf16(data);
}

ops::Matrix Weights::quantized(const TensorView& view, const std::string& name) {
    // Through float32 in slices (whole blocks), so the conversion needs no whole float32 copy; the
    // slices on OpenMP threads (BM_engine_7b_int8 loaded in 56 s on one, against 20 s for bfloat16).
    const auto& info = *view.info;
    const std::size_t count = info.element_count();
    std::unique_ptr<std::int8_t[]> values(new std::int8_t[count]);
    std::unique_ptr<float[]> scales(new float[count / ops::q8_block]);
    const std::string what = fmt::format("{}: tensor '{}'", view.file->path().string(), name);
    constexpr std::size_t slice = 1 << 16;
    const std::size_t element = dtype_size(info.dtype), slices = (count + slice - 1) / slice;
    std::exception_ptr failure;
#pragma omp parallel if (slices > 1)
    {
        std::vector<float> buffer(std::min(count, slice));
#pragma omp for schedule(static)
        for (std::size_t s = 0; s < slices; ++s) {
            const std::size_t i = s * slice, m = std::min(slice, count - i);
            try {
                convert_to_float(info.dtype, view.data + i * element, m, buffer.data(), what);
                ops::quantize_q8(buffer.data(), m, values.get() + i, scales.get() + i / ops::q8_block);
            } catch (...) {
#pragma omp critical
                failure = std::current_exception();
            }
        }
    }
    if (failure) std::rethrow_exception(failure);
    view.file->release(view.data, info.byte_size());
    const ops::Matrix matrix = ops::Matrix::q8(values.get(), scales.get());
    resident_bytes_ += count + count / ops::q8_block * sizeof(float);
    owned_q8_.push_back(std::move(values));
    owned_.push_back(std::move(scales));
    loaded_q8_.emplace(name, matrix);
    return matrix;
}

const float* Weights::find(const std::string& name, std::vector<std::size_t> shape) {
    if (!source_.contains(name)) return nullptr;
    return get(name, std::move(shape));
}

const float* Weights::get(const std::string& name, std::vector<std::size_t> shape) {
    TensorView view = checked(name, shape);
    const auto& info = *view.info;
    if (auto it = loaded_.find(name); it != loaded_.end()) return it->second;

    const std::size_t count = info.element_count();
    const float* data = nullptr;
    if (info.dtype == Dtype::f32 && reinterpret_cast<std::uintptr_t>(view.data) % alignof(float) == 0) {
        data = reinterpret_cast<const float*>(view.data);
        view.file->prefault(view.data, info.byte_size());
    } else {
        std::unique_ptr<float[]> converted(new float[count]);  // uninitialised: written once below
        convert_to_float(info.dtype, view.data, count, converted.get(),
                         fmt::format("{}: tensor '{}'", view.file->path().string(), name));
        view.file->release(view.data, info.byte_size());
        owned_.push_back(std::move(converted));
        data = owned_.back().get();
    }
    resident_bytes_ += count * sizeof(float);
    loaded_.emplace(name, data);
    return data;
}

std::string Weights::resolve_prefix(std::initializer_list<std::string_view> prefixes, std::string_view probe) const {
    for (auto p : prefixes)
        if (source_.contains(std::string(p) + std::string(probe))) return std::string(p);
    return prefixes.size() ? std::string(*prefixes.begin()) : std::string();
}

std::uint64_t Weights::parameter_count() const {
    std::uint64_t n = 0;
    for (const auto& [_, count] : source_.parameter_count_by_dtype()) n += count;
    return n;
}

std::string Weights::dtype_summary() const {
    static const std::map<std::string, std::string> torch_names{
        {"F64", "float64"}, {"F32", "float32"}, {"F16", "float16"}, {"BF16", "bfloat16"}, {"I64", "int64"},
        {"I32", "int32"},   {"I16", "int16"},   {"I8", "int8"},     {"U8", "uint8"},      {"BOOL", "bool"},
        {"F8_E4M3", "float8_e4m3fn"}, {"F8_E5M2", "float8_e5m2"}, {"U16", "uint16"}, {"U32", "uint32"}, {"U64", "uint64"}};
    std::string out;
    for (const auto& [dtype, _] : source_.parameter_count_by_dtype()) {
        if (!out.empty()) out += "+";
        auto it = torch_names.find(dtype);
        out += it != torch_names.end() ? it->second : dtype;
    }
    return out;
}

}  // namespace hubbench::engine
