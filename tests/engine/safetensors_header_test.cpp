#include <doctest/doctest.h>

#include <fmt/format.h>

#include <cstring>
#include <string>

#include "core/error.hpp"
#include "core/fs.hpp"
#include "core/safetensors_header.hpp"
#include "tests/support/support.hpp"

using namespace hubbench;

namespace {

// Builds a file image: 8-byte little-endian length, the JSON, then `data_bytes` zero bytes.
std::string image(const std::string& json, std::size_t data_bytes = 0) {
    std::string out(8, '\0');
    std::uint64_t n = json.size();
    for (int i = 0; i < 8; ++i) out[static_cast<std::size_t>(i)] = static_cast<char>((n >> (8 * i)) & 0xFF);
    out += json;
    out.append(data_bytes, '\0');
    return out;
}

std::string error_of(const std::string& bytes, std::optional<std::uint64_t> size = std::nullopt) {
    try {
        parse_safetensors_header(bytes, "x.safetensors", size ? size : std::optional<std::uint64_t>(bytes.size()));
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_SUITE("unit") {
TEST_CASE("safetensors header parses tensors metadata and parameter counts") {
    std::string json = R"({"b":{"dtype":"BF16","shape":[2,3],"data_offsets":[16,28]},)"
                       R"("__metadata__":{"format":"pt"},)"
                       R"("a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},)"
                       R"("s":{"dtype":"I64","shape":[],"data_offsets":[28,36]}}   )";
    auto bytes = image(json, 36);
    auto h = parse_safetensors_header(bytes, "x.safetensors", bytes.size());
    CHECK(h.header_length == json.size());
    CHECK(h.data_offset() == 8 + json.size());
    REQUIRE(h.tensors.size() == 3);
    CHECK(h.tensors[0].name == "a");  // sorted by offset
    CHECK(h.tensors[1].name == "b");
    CHECK(h.tensors[1].dtype == Dtype::bf16);
    CHECK(h.tensors[1].shape == std::vector<std::uint64_t>{2, 3});
    CHECK(h.tensors[2].element_count() == 1);
    CHECK(h.metadata.at("format") == "pt");
    CHECK(h.data_length() == 36);
    REQUIRE(h.find("b") != nullptr);
    CHECK(h.find("missing") == nullptr);
    auto counts = parameter_count_by_dtype(h);
    CHECK(counts.at("F32") == 4);
    CHECK(counts.at("BF16") == 6);
    CHECK(counts.at("I64") == 1);
    CHECK(parameter_count(h) == 11);
    // Header alone (as fetched by a Range request): ranges are not checked against a file size.
    auto alone = parse_safetensors_header(bytes.substr(0, 8 + json.size()), "x", std::nullopt);
    CHECK(alone.tensors.size() == 3);
}

TEST_CASE("safetensors header of every fixture model parses and counts the documented parameters") {
    auto read = [](const std::string& rel) {
        auto path = test::fixture(rel);
        auto bytes = read_file(path);
        return parse_safetensors_header(bytes, path.string(), bytes.size());
    };
    auto gpt2 = read("tiny-gpt2/model.safetensors");
    CHECK(parameter_count(gpt2) == 1'350'400);  // tiny-gpt2 README: 1.35M parameters
    auto qwen = read("tiny-qwen2/model.safetensors");
    CHECK(parameter_count_by_dtype(qwen).count("BF16") == 1);
    CHECK(parameter_count_by_dtype(qwen).size() == 1);
    std::uint64_t llama = 0;
    for (int i = 1; i <= 6; ++i) llama += parameter_count(read(fmt::format("tiny-llama/model-0000{}-of-00006.safetensors", i)));
    CHECK(llama == 1'774'720);  // model.safetensors.index.json metadata.total_parameters
}

TEST_CASE("safetensors header errors name the file and the tensor") {
    CHECK(error_of("abc").find("x.safetensors") != std::string::npos);
    CHECK(error_of("abc").find("shorter than the 8-byte") != std::string::npos);
    // length beyond the huggingface_hub limit
    std::string huge(8, '\0');
    huge[3] = 0x7F;
    CHECK(error_of(huge).find("exceeds the limit") != std::string::npos);
    // length past the end of the file
    auto truncated = image(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", 4);
    CHECK(error_of(truncated.substr(0, 20)).find("truncated") != std::string::npos);
    // data past the end of the file
    CHECK(error_of(truncated.substr(0, truncated.size() - 1)).find("'a'") != std::string::npos);
    CHECK(error_of(image("[1,2]")).find("start with '{'") != std::string::npos);
    CHECK(error_of(image("{\"a\":")).find("JSON") != std::string::npos);
    CHECK(error_of(image("{\"a\":[[[[1]]]]}")).find("deeper") != std::string::npos);
    CHECK(error_of(image("[]")).find("start with") != std::string::npos);
    CHECK(error_of(image(R"({"w":{"dtype":"F33","shape":[1],"data_offsets":[0,4]}})", 4)).find("unsupported dtype 'F33'") !=
          std::string::npos);
    CHECK(error_of(image(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}})", 4)).find("tensor 'w' shape [2] x F32 needs 8 bytes") !=
          std::string::npos);
    CHECK(error_of(image(R"({"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", 4)).find("'w' shape entries") !=
          std::string::npos);
    CHECK(error_of(image(R"({"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}})", 4)).find("non-negative integer") !=
          std::string::npos);
    CHECK(error_of(image(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}})", 4)).find("end before begin") !=
          std::string::npos);
    CHECK(error_of(image(R"({"w":{"dtype":"F32","shape":[1]}})", 4)).find("data_offsets") != std::string::npos);
    CHECK(error_of(image(R"({"w":{"shape":[1],"data_offsets":[0,4]}})", 4)).find("dtype") != std::string::npos);
    CHECK(error_of(image(R"({"w":3})")).find("'w' is not an object") != std::string::npos);
    CHECK(error_of(image(R"({"w":{"dtype":"U8","shape":[4294967296,4294967296,2],"data_offsets":[0,4]}})", 4))
              .find("too large") != std::string::npos);
    CHECK(error_of(image(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
                         8))
              .find("overlaps") != std::string::npos);
    CHECK(error_of(image(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
                         8))
              .find("'a' appears twice") != std::string::npos);
    CHECK(error_of(image(R"({"__metadata__":{"k":1}})")).find("not a string") != std::string::npos);
    // Empty tensors may share an offset with others; gaps are allowed.
    CHECK(error_of(image(R"({"e":{"dtype":"F32","shape":[0,3],"data_offsets":[4,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"g":{"dtype":"U8","shape":[1],"data_offsets":[6,7]}})",
                         8)) == "");
}

TEST_CASE("safetensors dtype names round trip with their sizes") {
    for (auto name : {"F64", "F32", "F16", "BF16", "I64", "I32", "I16", "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2", "U16", "U32",
                      "U64"}) {
        auto d = parse_dtype(name);
        REQUIRE(d.has_value());
        CHECK(dtype_name(*d) == name);
    }
    CHECK(dtype_size(Dtype::bf16) == 2);
    CHECK(dtype_size(Dtype::u64) == 8);
    CHECK(dtype_size(Dtype::f8_e5m2) == 1);
    CHECK_FALSE(parse_dtype("f32").has_value());
}
}
