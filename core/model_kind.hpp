// What a model is, named once for every layer: the engine reads it from config.json, the adapters
// report it, the results store keeps it and the reports group by it.
#pragma once
#include <optional>
#include <string_view>

namespace hubbench {

enum class ModelKind { encoder, decoder, encoder_decoder };

// "encoder", "decoder", "encoder-decoder": the spellings the results schema's CHECK accepts.
const char* model_kind_name(ModelKind kind) noexcept;
// The inverse of model_kind_name; nullopt for any other text.
std::optional<ModelKind> parse_model_kind(std::string_view text) noexcept;

}  // namespace hubbench
