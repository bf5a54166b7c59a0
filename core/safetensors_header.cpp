#include "core/safetensors_header.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <set>

#include "core/error.hpp"

namespace hubbench {

namespace {

struct DtypeEntry {
    Dtype dtype;
    std::string_view name;
    std::size_t size;
};

// safetensors/src/tensor.rs enum Dtype (the byte-sized ones).
constexpr std::array<DtypeEntry, 15> dtype_table{{
    {Dtype::f64, "F64", 8},     {Dtype::f32, "F32", 4},         {Dtype::f16, "F16", 2},
    {Dtype::bf16, "BF16", 2},   {Dtype::i64, "I64", 8},         {Dtype::i32, "I32", 4},
    {Dtype::i16, "I16", 2},     {Dtype::i8, "I8", 1},           {Dtype::u8, "U8", 1},
    {Dtype::boolean, "BOOL", 1},{Dtype::f8_e4m3, "F8_E4M3", 1}, {Dtype::f8_e5m2, "F8_E5M2", 1},
    {Dtype::u16, "U16", 2},     {Dtype::u32, "U32", 4},         {Dtype::u64, "U64", 8},
}};

const DtypeEntry& entry(Dtype dtype) noexcept {
    for (const auto& e : dtype_table)
        if (e.dtype == dtype) return e;
    return dtype_table[1];
}

// A header is at most three levels deep: {name: {"shape": [dims]}}. Anything deeper is refused
// while parsing, so hostile input cannot make us build a huge nested document.
constexpr int max_json_depth = 3;

struct TooDeep {};
struct DuplicateKey {
    std::string key;
};

bool checked_mul(std::uint64_t a, std::uint64_t b, std::uint64_t& out) noexcept {
    return !__builtin_mul_overflow(a, b, &out);
}

std::string quote_name(std::string_view s) { return one_line(fmt::format("'{}'", s), 200); }

[[noreturn]] void fail(std::string_view source, const std::string& what) {
    throw Error(ErrorKind::invalid_input, one_line(fmt::format("{}: invalid safetensors header: {}", source, what)));
}

std::uint64_t read_u64_le(std::string_view bytes) noexcept {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(bytes[static_cast<std::size_t>(i)]);
    return v;
}

std::uint64_t as_unsigned(const nlohmann::json& v, std::string_view source, const std::string& where) {
    if (!v.is_number_unsigned()) fail(source, fmt::format("{} must be a non-negative integer", where));
    return v.get<std::uint64_t>();
}

SafetensorsTensorInfo parse_tensor(const std::string& name, const nlohmann::json& value, std::string_view source) {
    const std::string where = "tensor " + quote_name(name);
    if (!value.is_object()) fail(source, where + " is not an object");
    SafetensorsTensorInfo t;
    t.name = name;

    auto dtype_it = value.find("dtype");
    if (dtype_it == value.end() || !dtype_it->is_string()) fail(source, where + " has no string 'dtype'");
    const auto& dtype_name_str = dtype_it->get_ref<const std::string&>();
    auto dtype = parse_dtype(dtype_name_str);
    if (!dtype)
        throw Error(ErrorKind::unsupported,
                    one_line(fmt::format("{}: tensor {} has unsupported dtype {} (supported: F64 F32 F16 BF16 I64 I32 "
                                         "I16 I8 U8 BOOL F8_E4M3 F8_E5M2 U16 U32 U64)",
                                         source, quote_name(name), quote_name(dtype_name_str))));
    t.dtype = *dtype;

    auto shape_it = value.find("shape");
    if (shape_it == value.end() || !shape_it->is_array()) fail(source, where + " has no array 'shape'");
    for (const auto& d : *shape_it) t.shape.push_back(as_unsigned(d, source, where + " shape entries"));

    auto offsets_it = value.find("data_offsets");
    if (offsets_it == value.end() || !offsets_it->is_array() || offsets_it->size() != 2)
        fail(source, where + " has no 'data_offsets' pair");
    t.begin = as_unsigned((*offsets_it)[0], source, where + " data_offsets");
    t.end = as_unsigned((*offsets_it)[1], source, where + " data_offsets");
    if (t.end < t.begin) fail(source, fmt::format("{} data_offsets [{}, {}] end before begin", where, t.begin, t.end));

    // shape x dtype size == byte range, without overflowing on hostile shapes.
    std::uint64_t bytes = dtype_size(t.dtype);
    for (std::uint64_t d : t.shape)
        if (!checked_mul(bytes, d, bytes)) fail(source, where + " shape is too large");
    if (bytes != t.end - t.begin)
        fail(source, fmt::format("{} shape [{}] x {} needs {} bytes but data_offsets [{}, {}] hold {}", where,
                                 fmt::join(t.shape, ", "), dtype_name(t.dtype), bytes, t.begin, t.end,
                                 t.end - t.begin));
    return t;
}

}  // namespace

std::string_view dtype_name(Dtype dtype) noexcept { return entry(dtype).name; }
std::size_t dtype_size(Dtype dtype) noexcept { return entry(dtype).size; }

std::optional<Dtype> parse_dtype(std::string_view name) noexcept {
    for (const auto& e : dtype_table)
        if (e.name == name) return e.dtype;
    return std::nullopt;
}

std::uint64_t SafetensorsTensorInfo::element_count() const noexcept {
    std::uint64_t n = 1;
    for (std::uint64_t d : shape) n *= d;  // validated not to overflow when parsed
    return n;
}

std::uint64_t SafetensorsHeader::data_length() const noexcept {
    std::uint64_t n = 0;
    for (const auto& t : tensors) n = std::max(n, t.end);
    return n;
}

const SafetensorsTensorInfo* SafetensorsHeader::find(std::string_view name) const noexcept {
    for (const auto& t : tensors)
        if (t.name == name) return &t;
    return nullptr;
}

std::uint64_t parse_safetensors_header_length(std::string_view bytes, std::string_view source_name) {
    if (bytes.size() < 8)
        fail(source_name, fmt::format("file is {} bytes, shorter than the 8-byte header length", bytes.size()));
    std::uint64_t n = read_u64_le(bytes);
    if (n > safetensors_max_header_length)
        fail(source_name, fmt::format("header length {} exceeds the limit of {} bytes", n, safetensors_max_header_length));
    if (n < 2) fail(source_name, fmt::format("header length {} is too short for a JSON object", n));
    return n;
}

SafetensorsHeader parse_safetensors_header(std::string_view bytes, std::string_view source_name,
                                           std::optional<std::uint64_t> file_size) {
    SafetensorsHeader header;
    header.header_length = parse_safetensors_header_length(bytes, source_name);
    const std::uint64_t n = header.header_length;
    if (file_size && *file_size < 8 + n)
        fail(source_name, fmt::format("header length {} runs past the end of the {}-byte file (truncated?)", n, *file_size));
    if (bytes.size() - 8 < n)
        fail(source_name, fmt::format("header length {} but only {} bytes follow the length (truncated?)", n, bytes.size() - 8));
    std::string_view text = bytes.substr(8, n);
    // safetensors/src/tensor.rs: the header must start with '{' (it may end with space padding).
    if (text.front() != '{') fail(source_name, "header does not start with '{'");

    nlohmann::json doc;
    std::set<std::string> root_keys;
    try {
        doc = nlohmann::json::parse(
            text.begin(), text.end(),
            [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
                using E = nlohmann::json::parse_event_t;
                if ((event == E::object_start || event == E::array_start) && depth >= max_json_depth) throw TooDeep{};
                if (event == E::key && depth == 1) {
                    auto key = parsed.get<std::string>();
                    if (!root_keys.insert(key).second) throw DuplicateKey{std::move(key)};
                }
                return true;
            });
    } catch (const TooDeep&) {
        fail(source_name, "JSON nested deeper than a safetensors header can be");
    } catch (const DuplicateKey& e) {
        fail(source_name, "tensor " + quote_name(e.key) + " appears twice");
    } catch (const nlohmann::json::exception& e) {
        fail(source_name, std::string("JSON: ") + e.what());
    }
    if (!doc.is_object()) fail(source_name, "header is not a JSON object");

    for (auto it = doc.begin(); it != doc.end(); ++it) {
        if (it.key() == "__metadata__") {
            if (it->is_null()) continue;
            if (!it->is_object()) fail(source_name, "'__metadata__' is not an object of strings");
            for (auto m = it->begin(); m != it->end(); ++m) {
                if (!m->is_string()) fail(source_name, "'__metadata__' entry " + quote_name(m.key()) + " is not a string");
                header.metadata.emplace(m.key(), m->get<std::string>());
            }
            continue;
        }
        header.tensors.push_back(parse_tensor(it.key(), it.value(), source_name));
    }

    // Ranges must not overlap (empty tensors occupy no bytes) and must lie inside the data section.
    std::sort(header.tensors.begin(), header.tensors.end(), [](const auto& a, const auto& b) {
        return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
    });
    const SafetensorsTensorInfo* previous = nullptr;
    for (const auto& t : header.tensors) {
        if (t.begin == t.end) continue;
        if (previous && t.begin < previous->end)
            fail(source_name, fmt::format("tensor {} [{}, {}] overlaps tensor {} [{}, {}]", quote_name(t.name), t.begin, t.end,
                                          quote_name(previous->name), previous->begin, previous->end));
        previous = &t;
    }
    if (file_size) {
        const std::uint64_t data_size = *file_size - 8 - n;
        for (const auto& t : header.tensors)
            if (t.end > data_size)
                fail(source_name, fmt::format("tensor {} data_offsets [{}, {}] run past the {}-byte data section "
                                              "(truncated file?)",
                                              quote_name(t.name), t.begin, t.end, data_size));
    }
    return header;
}

std::map<std::string, std::uint64_t> parameter_count_by_dtype(const SafetensorsHeader& header) {
    std::map<std::string, std::uint64_t> counts;
    for (const auto& t : header.tensors) counts[std::string(dtype_name(t.dtype))] += t.element_count();
    return counts;
}

std::uint64_t parameter_count(const SafetensorsHeader& header) {
    std::uint64_t total = 0;
    for (const auto& t : header.tensors) total += t.element_count();
    return total;
}

}  // namespace hubbench
