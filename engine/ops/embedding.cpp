// nn.Embedding lookups with the ids checked, since they come from callers (a tokenizer, a file).
#include <fmt/format.h>

#include <cstring>

#include "core/error.hpp"
#include "engine/ops/linear_bf16.hpp"
#include "engine/ops/ops.hpp"
#include "engine/ops/quantize.hpp"

namespace hubbench::engine::ops {

namespace {
void check(std::int32_t id, std::size_t rows, const char* what) {
    if (id < 0 || static_cast<std::size_t>(id) >= rows)
        throw Error(ErrorKind::invalid_input, fmt::format("{} {} is outside the model's range [0, {})", what, id, rows));
}
}  // namespace

void embedding(const float* table, std::size_t rows, std::size_t c, std::span<const std::int32_t> ids, float* out) {
    for (std::size_t i = 0; i < ids.size(); ++i) {
        check(ids[i], rows, "token id");
        std::memcpy(out + i * c, table + static_cast<std::size_t>(ids[i]) * c, c * sizeof(float));
    }
}

void embedding(const Matrix& table, std::size_t rows, std::size_t c, std::span<const std::int32_t> ids, float* out) {
    if (table.type() == WeightType::f32) return embedding(table.f32(), rows, c, ids, out);
    for (std::size_t i = 0; i < ids.size(); ++i) {
        check(ids[i], rows, "token id");
        const std::size_t first = static_cast<std::size_t>(ids[i]) * c;
        if (table.type() == WeightType::q8)
            dequantize_q8(static_cast<const std::int8_t*>(table.data()), table.scales(), first, c, out + i * c);
        else widen_bf16(table.bf16_data() + first, c, out + i * c);
    }
}

void add_embedding(const float* table, std::size_t rows, std::size_t c, std::span<const std::int32_t> index, float* out,
                   const char* what) {
    for (std::size_t i = 0; i < index.size(); ++i) {
        check(index[i], rows, what);
        const float* row = table + static_cast<std::size_t>(index[i]) * c;
        float* o = out + i * c;
        for (std::size_t j = 0; j < c; ++j) o[j] += row[j];
    }
}

}  // namespace hubbench::engine::ops
