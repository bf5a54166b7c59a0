// Bad input fails at load with a message naming the file and the tensor: truncated and corrupt
// files, missing tensors, shapes that disagree with config.json, unknown model types, broken
// shard indexes; and bad input to the forward pass.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/fs.hpp"
#include "engine/architectures.hpp"
#include "engine/model.hpp"
#include "engine/safetensors.hpp"
#include "engine/safetensors_writer.hpp"
#include "tests/support/support.hpp"

using namespace hubbench;
namespace fs = std::filesystem;

namespace {

// A writable copy of a fixture model folder.
fs::path copy_fixture(const TempDir& tmp, const std::string& name) {
    fs::path dir = tmp.path() / name;
    fs::copy(test::fixture(name), dir, fs::copy_options::recursive);
    return dir;
}

struct LoadFailure {
    ErrorKind kind = ErrorKind::internal;
    std::string message;
};

LoadFailure load_failure(const fs::path& dir) {
    try {
        engine::Model::load(dir);
    } catch (const Error& e) {
        return {e.kind(), e.what()};
    }
    FAIL("loading " << dir << " succeeded");
    return {};
}

void edit_config(const fs::path& dir, const std::function<void(nlohmann::json&)>& edit) {
    auto config = test::read_json(dir / "config.json");
    edit(config);
    write_file_atomic(dir / "config.json", config.dump(2));
}

// Rewrites a safetensors file without the tensor `dropped`.
void rewrite_without(const fs::path& file, const std::string& dropped) {
    std::vector<engine::TensorToWrite> tensors;
    engine::SafetensorsFile source(file);
    std::vector<std::string> storage;
    for (const auto& t : source.header().tensors) {
        if (t.name == dropped) continue;
        auto view = source.find(t.name);
        tensors.push_back({t.name, t.dtype, t.shape,
                           std::string_view(reinterpret_cast<const char*>(view.data), t.byte_size())});
    }
    auto tmp = file.parent_path() / "rewritten.safetensors";
    engine::write_safetensors(tmp, tensors);
    fs::rename(tmp, file);
}

}  // namespace

TEST_SUITE("integration") {
TEST_CASE("a truncated safetensors file fails at load naming the file and the tensor") {
    TempDir tmp;
    auto dir = copy_fixture(tmp, "tiny-gpt2");
    auto file = dir / "model.safetensors";
    fs::resize_file(file, fs::file_size(file) - 100);
    auto f = load_failure(dir);
    CHECK(f.kind == ErrorKind::invalid_input);
    CHECK(f.message.find(file.string()) != std::string::npos);
    CHECK(f.message.find("transformer.wte.weight") != std::string::npos);  // the last tensor in the file
    CHECK(f.message.find("truncated") != std::string::npos);

    fs::resize_file(file, 5);
    f = load_failure(dir);
    CHECK(f.message.find(file.string()) != std::string::npos);
}

TEST_CASE("a corrupt safetensors header fails at load naming the file") {
    TempDir tmp;
    auto dir = copy_fixture(tmp, "tiny-gpt2");
    auto file = dir / "model.safetensors";
    {
        std::fstream out(file, std::ios::in | std::ios::out | std::ios::binary);
        out.seekp(40);
        out.write("\x01\x02garbage]]", 11);
    }
    auto f = load_failure(dir);
    CHECK(f.kind == ErrorKind::invalid_input);
    CHECK(f.message.find(file.string()) != std::string::npos);
    CHECK(f.message.find("JSON") != std::string::npos);
}

TEST_CASE("a missing tensor fails at load naming the file and the tensor") {
    TempDir tmp;
    auto dir = copy_fixture(tmp, "tiny-bert");
    rewrite_without(dir / "model.safetensors", "bert.encoder.layer.2.attention.self.key.bias");
    auto f = load_failure(dir);
    CHECK(f.kind == ErrorKind::not_found);
    CHECK(f.message.find((dir / "model.safetensors").string()) != std::string::npos);
    CHECK(f.message.find("bert.encoder.layer.2.attention.self.key.bias") != std::string::npos);
}

TEST_CASE("an untied LLaMA without lm_head fails at load naming the tensor") {
    TempDir tmp;
    auto dir = copy_fixture(tmp, "tiny-llama");
    // lm_head.weight lives in shard 5; drop it from the shard and the index.
    rewrite_without(dir / "model-00005-of-00006.safetensors", "lm_head.weight");
    auto index = test::read_json(dir / "model.safetensors.index.json");
    index["weight_map"].erase("lm_head.weight");
    write_file_atomic(dir / "model.safetensors.index.json", index.dump());
    auto f = load_failure(dir);
    CHECK(f.kind == ErrorKind::not_found);
    CHECK(f.message.find("lm_head.weight") != std::string::npos);
    CHECK(f.message.find("model.safetensors.index.json") != std::string::npos);
}

TEST_CASE("a shape that disagrees with config.json fails at load naming the file and the tensor") {
    TempDir tmp;
    auto dir = copy_fixture(tmp, "tiny-gpt2");
    edit_config(dir, [](auto& c) { c["n_inner"] = 256; });
    auto f = load_failure(dir);
    CHECK(f.kind == ErrorKind::invalid_input);
    CHECK(f.message.find((dir / "model.safetensors").string()) != std::string::npos);
    CHECK(f.message.find("'transformer.h.0.mlp.c_fc.weight' has shape [128, 512], expected [128, 256]") != std::string::npos);

    auto llama = copy_fixture(tmp, "tiny-llama");
    edit_config(llama, [](auto& c) { c["num_key_value_heads"] = 4; });
    f = load_failure(llama);
    CHECK(f.message.find("model.layers.0.self_attn.k_proj.weight") != std::string::npos);
    CHECK(f.message.find("model-00002-of-00006.safetensors") != std::string::npos);
}

TEST_CASE("an unknown model_type fails at load listing the supported ones") {
    TempDir tmp;
    auto dir = copy_fixture(tmp, "tiny-gpt2");
    edit_config(dir, [](auto& c) { c["model_type"] = "t5"; });
    auto f = load_failure(dir);
    CHECK(f.kind == ErrorKind::unsupported);
    CHECK(f.message.find("config.json") != std::string::npos);
    CHECK(f.message.find("'t5'") != std::string::npos);
    // The list names every model_type of the registry, sorted (a new row needs no edit here).
    const auto open = f.message.find("(supported: ");
    REQUIRE(open != std::string::npos);
    const auto close = f.message.find(')', open);
    REQUIRE(close != std::string::npos);
    std::vector<std::string> listed;
    std::stringstream list(f.message.substr(open + 12, close - open - 12));
    for (std::string type; std::getline(list, type, ',');) listed.push_back(type.substr(type.front() == ' ' ? 1 : 0));
    std::vector<std::string> registered;
    for (const auto& row : engine::architectures()) registered.insert(registered.end(), row.model_types.begin(), row.model_types.end());
    std::sort(registered.begin(), registered.end());
    CHECK(listed == registered);
    CHECK(std::find(listed.begin(), listed.end(), "bert") != listed.end());
    CHECK(std::find(listed.begin(), listed.end(), "llama") != listed.end());
}

TEST_CASE("broken shard indexes fail at load naming the index or the shard") {
    TempDir tmp;
    auto dir = copy_fixture(tmp, "tiny-llama");
    auto index_path = dir / "model.safetensors.index.json";
    auto index = test::read_json(index_path);

    auto bad = index;
    bad["weight_map"]["model.norm.weight"] = "../outside.safetensors";
    write_file_atomic(index_path, bad.dump());
    auto f = load_failure(dir);
    CHECK(f.kind == ErrorKind::invalid_input);
    CHECK(f.message.find("model.norm.weight") != std::string::npos);

    bad = index;
    bad["weight_map"]["model.norm.weight"] = "model-00001-of-00006.safetensors";  // wrong shard
    write_file_atomic(index_path, bad.dump());
    f = load_failure(dir);
    CHECK(f.kind == ErrorKind::not_found);
    CHECK(f.message.find("model-00001-of-00006.safetensors") != std::string::npos);
    CHECK(f.message.find("model.norm.weight") != std::string::npos);

    write_file_atomic(index_path, index.dump());
    fs::remove(dir / "model-00003-of-00006.safetensors");
    f = load_failure(dir);
    CHECK(f.kind == ErrorKind::not_found);
    CHECK(f.message.find("model-00003-of-00006.safetensors") != std::string::npos);

    write_file_atomic(index_path, "{\"weight_map\": [");
    f = load_failure(dir);
    CHECK(f.message.find("model.safetensors.index.json") != std::string::npos);
}

TEST_CASE("a folder without safetensors weights or config fails at load") {
    TempDir tmp;
    auto dir = copy_fixture(tmp, "tiny-gpt2");
    fs::remove(dir / "model.safetensors");
    auto f = load_failure(dir);
    CHECK(f.kind == ErrorKind::not_found);
    CHECK(f.message.find("model.safetensors") != std::string::npos);
    f = load_failure(tmp.path() / "nothing-here");
    CHECK(f.kind == ErrorKind::not_found);
    CHECK(f.message.find("config.json") != std::string::npos);
}

TEST_CASE("bad token ids and overlong sequences are refused with a message") {
    auto model = engine::Model::load(test::fixture("tiny-gpt2"));
    auto ignore = [](std::size_t, const float*, std::size_t) {};
    std::vector<std::vector<std::int32_t>> batch{{1, 2, 4096}};
    CHECK_THROWS_WITH_AS(model->forward_logits(batch, ignore), doctest::Contains("token id 4096"), Error);
    batch = {{1, -1}};
    CHECK_THROWS_AS(model->forward_hidden(batch, ignore), Error);
    batch = {std::vector<std::int32_t>(257, 5)};  // n_positions is 256
    CHECK_THROWS_WITH_AS(model->forward_logits(batch, ignore), doctest::Contains("max_position_embeddings 256"), Error);
    batch = {{}};
    CHECK_THROWS_AS(model->forward_logits(batch, ignore), Error);

    auto bert = engine::Model::load(test::fixture("tiny-bert"));
    CHECK_THROWS_AS(bert->start_session(), Error);
    auto sentence = engine::Model::load(test::fixture("tiny-bert-sentence"));
    batch = {{2, 3}};
    CHECK_THROWS_WITH_AS(sentence->forward_logits(batch, ignore), doctest::Contains("no LM head"), Error);
}
}
