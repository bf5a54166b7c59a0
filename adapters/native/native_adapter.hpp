// The native adapter: a Hugging Face model folder (config.json + safetensors + tokenizer.json)
// run by hubbench's own engine on the CPU in float32, with its tokenizer and, for embeddings,
// its sentence-transformers configuration.
#pragma once
#include <filesystem>
#include <memory>
#include <string>

#include "adapters/adapter.hpp"
#include "engine/config.hpp"

namespace hubbench::adapters {

struct NativeOptions {
    std::string id;        // shown in results; empty = derived from the folder
    std::string revision;  // empty = derived from the HF cache layout when the folder is a snapshot
    int threads = 0;       // 0 = all cores
    engine::ComputeDtype dtype = engine::ComputeDtype::automatic;  // resolved at load (engine::Model::load)
};

// Loads weights and tokenizer from `dir` (timed into info().load_seconds). Errors from the engine
// and the tokenizer name the file at fault.
std::unique_ptr<Adapter> open_native(const std::filesystem::path& dir, const NativeOptions& options = {});

}  // namespace hubbench::adapters
