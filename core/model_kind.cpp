#include "core/model_kind.hpp"

namespace hubbench {

const char* model_kind_name(ModelKind kind) noexcept {
    switch (kind) {
        case ModelKind::encoder: return "encoder";
        case ModelKind::decoder: return "decoder";
        case ModelKind::encoder_decoder: return "encoder-decoder";
    }
    return "?";
}

std::optional<ModelKind> parse_model_kind(std::string_view text) noexcept {
    for (ModelKind kind : {ModelKind::encoder, ModelKind::decoder, ModelKind::encoder_decoder})
        if (text == model_kind_name(kind)) return kind;
    return std::nullopt;
}

}  // namespace hubbench
