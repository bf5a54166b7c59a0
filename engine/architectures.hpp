// The architectures the engine runs, one row each, as llama.cpp names each architecture once with
// its tensor map: the config.json model_type values it answers to, its kind, the reader of its
// config fields and the factory of its network. Adding an architecture is one file under
// engine/models/ and one row in engine/architectures.cpp; config parsing, the model factory,
// `search`'s runnable column and the supported list in messages all read this table.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/model_kind.hpp"
#include "engine/config.hpp"

namespace hubbench::engine {

class ConfigReader;
class Network;
class Weights;

struct Architecture {
    std::vector<std::string> model_types;  // config.json "model_type" values
    ModelKind kind = ModelKind::decoder;
    // Fills the fields config.json spells its own way (the common ones, vocab_size, token ids,
    // dtype, are read before it).
    void (*read_config)(const ConfigReader& reader, ModelConfig& config) = nullptr;
    std::unique_ptr<Network> (*make)(const ModelConfig& config, Weights& weights) = nullptr;
};

const std::vector<Architecture>& architectures();
// The row for a model_type, or nullptr.
const Architecture* find_architecture(std::string_view model_type);

}  // namespace hubbench::engine
