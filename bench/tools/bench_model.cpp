#include "bench/tools/bench_model.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/fs.hpp"
#include "engine/safetensors_writer.hpp"

#ifndef HUBBENCH_BENCH_MODELS_DIR
#define HUBBENCH_BENCH_MODELS_DIR "bench-models"
#endif

namespace hubbench::bench {

namespace {

nlohmann::json config_json(const BenchModelShape& s, Dtype dtype) {
    return {{"architectures", {"LlamaForCausalLM"}},
            {"model_type", "llama"},
            {"hidden_size", s.hidden},
            {"num_hidden_layers", s.layers},
            {"num_attention_heads", s.heads},
            {"num_key_value_heads", s.kv_heads},
            {"intermediate_size", s.intermediate},
            {"vocab_size", s.vocab},
            {"max_position_embeddings", s.max_positions},
            {"hidden_act", "silu"},
            {"rms_norm_eps", 1e-5},
            {"rope_parameters", {{"rope_theta", 10000.0}, {"rope_type", "default"}}},
            {"tie_word_embeddings", true},
            {"bos_token_id", 1},
            {"eos_token_id", 2},
            {"dtype", dtype == Dtype::bf16 ? "bfloat16" : "float32"},
            {"hubbench_bench_model", 1}};
}

}  // namespace

std::uint64_t NormalStream::next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

double NormalStream::uniform() { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }

void NormalStream::normal_pair(float& a, float& b) {
    const double r = std::sqrt(-2.0 * std::log(uniform())), t = 2.0 * 3.141592653589793 * uniform();
    a = static_cast<float>(r * std::cos(t));
    b = static_cast<float>(r * std::sin(t));
}

std::uint64_t BenchModelShape::parameters() const {
    const std::uint64_t q = heads * (hidden / heads), kv = kv_heads * (hidden / heads);
    const std::uint64_t per_layer = hidden * q + 2 * hidden * kv + q * hidden + 3 * hidden * intermediate + 2 * hidden;
    return vocab * hidden + layers * per_layer + hidden;
}

void write_bench_model(const std::filesystem::path& dir, Dtype dtype, const BenchModelShape& s) {
    const auto config = config_json(s, dtype);
    const auto config_path = dir / "config.json";
    if (std::filesystem::exists(config_path) &&
        (std::filesystem::exists(dir / "model.safetensors") || std::filesystem::exists(dir / "model.safetensors.index.json"))) {
        try {
            if (nlohmann::json::parse(read_file(config_path)) == config) return;
        } catch (const std::exception&) {
        }
    }
    std::filesystem::create_directories(dir);
    if (dtype != Dtype::f32 && dtype != Dtype::bf16)
        throw Error(ErrorKind::unsupported, "bench model: dtype must be F32 or BF16");

    struct Spec {
        std::string name;
        std::vector<std::uint64_t> shape;
        bool ones;
    };
    const std::size_t d = s.hidden / s.heads;
    std::vector<Spec> specs{{"model.embed_tokens.weight", {s.vocab, s.hidden}, false}};
    for (std::size_t i = 0; i < s.layers; ++i) {
        const std::string p = "model.layers." + std::to_string(i) + ".";
        specs.push_back({p + "input_layernorm.weight", {s.hidden}, true});
        specs.push_back({p + "self_attn.q_proj.weight", {s.heads * d, s.hidden}, false});
        specs.push_back({p + "self_attn.k_proj.weight", {s.kv_heads * d, s.hidden}, false});
        specs.push_back({p + "self_attn.v_proj.weight", {s.kv_heads * d, s.hidden}, false});
        specs.push_back({p + "self_attn.o_proj.weight", {s.hidden, s.heads * d}, false});
        specs.push_back({p + "post_attention_layernorm.weight", {s.hidden}, true});
        specs.push_back({p + "mlp.gate_proj.weight", {s.intermediate, s.hidden}, false});
        specs.push_back({p + "mlp.up_proj.weight", {s.intermediate, s.hidden}, false});
        specs.push_back({p + "mlp.down_proj.weight", {s.hidden, s.intermediate}, false});
    }
    specs.push_back({"model.norm.weight", {s.hidden}, true});

    NormalStream rng{0x6875626265ull};  // fixed seed: every run benchmarks the same weights
    auto materialise = [&](const Spec& spec) {
        std::size_t n = 1;
        for (auto x : spec.shape) n *= x;
        std::vector<float> values(n + 1);
        for (std::size_t i = 0; i < n; i += 2) {
            if (spec.ones) {
                values[i] = values[i + 1] = 1.0f;
            } else {
                rng.normal_pair(values[i], values[i + 1]);
                values[i] *= 0.02f;
                values[i + 1] *= 0.02f;
            }
        }
        std::string bytes;
        if (dtype == Dtype::f32) {
            bytes.assign(reinterpret_cast<const char*>(values.data()), n * sizeof(float));
        } else {
            bytes.resize(n * 2);
            for (std::size_t i = 0; i < n; ++i) {
                const std::uint16_t b = engine::float_to_bfloat16(values[i]);
                std::memcpy(bytes.data() + 2 * i, &b, 2);
            }
        }
        return bytes;
    };
    // Up to 2 GiB per file, each written before the next is generated (a 7B-shaped model is
    // written in bounded memory); one file is model.safetensors, several are shards with the
    // index transformers writes (model.safetensors.index.json).
    constexpr std::uint64_t shard_limit = std::uint64_t{2} << 30;
    std::vector<std::vector<Spec>> shards(1);
    std::uint64_t in_shard = 0, total = 0;
    for (const auto& spec : specs) {
        std::uint64_t bytes = dtype_size(dtype);
        for (auto x : spec.shape) bytes *= x;
        if (in_shard > 0 && in_shard + bytes > shard_limit) {
            shards.emplace_back();
            in_shard = 0;
        }
        shards.back().push_back(spec);
        in_shard += bytes;
        total += bytes;
    }
    nlohmann::json weight_map = nlohmann::json::object();
    for (std::size_t k = 0; k < shards.size(); ++k) {
        const std::string file = shards.size() == 1 ? "model.safetensors"
                                                    : fmt::format("model-{:05d}-of-{:05d}.safetensors", k + 1, shards.size());
        std::vector<std::string> storage;
        storage.reserve(shards[k].size());
        std::vector<engine::TensorToWrite> tensors;
        for (const auto& spec : shards[k]) {
            storage.push_back(materialise(spec));
            tensors.push_back({spec.name, dtype, spec.shape, storage.back()});
            weight_map[spec.name] = file;
        }
        engine::write_safetensors(dir / file, tensors);
    }
    if (shards.size() > 1)
        write_file_atomic(dir / "model.safetensors.index.json",
                          nlohmann::json{{"metadata", {{"total_size", total}}}, {"weight_map", weight_map}}.dump(2));
    std::filesystem::copy_file(assets_dir() / "tokenizers/mistral-7b-v0.3/tokenizer.json", dir / "tokenizer.json",
                               std::filesystem::copy_options::overwrite_existing);
    write_file_atomic(config_path, config.dump(2));  // last: marks the folder complete
}

std::filesystem::path bench_model_dir(Dtype dtype) {
    const char* env = std::getenv("HUBBENCH_BENCH_MODELS");
    std::filesystem::path root = env && *env ? env : HUBBENCH_BENCH_MODELS_DIR;
    return root / (dtype == Dtype::bf16 ? "llama-110m-bf16" : "llama-110m-f32");
}

}  // namespace hubbench::bench
