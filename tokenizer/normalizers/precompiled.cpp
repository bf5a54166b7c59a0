// Precompiled: SentencePiece's precompiled character map (tokenizers/src/normalizers/precompiled.rs).
#include "core/error.hpp"
#include "tokenizer/normalizers/normalizer.hpp"

namespace hubbench::tokenizer {

NormalizerPtr make_precompiled_normalizer(const nlohmann::json& /*config*/, const std::string& where) {
    throw Error(ErrorKind::unsupported, where + ": the Precompiled normalizer is not supported yet");
}

}  // namespace hubbench::tokenizer
