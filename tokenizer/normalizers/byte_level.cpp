// ByteLevel normalizer: the byte-to-character mapping without splitting
// (tokenizers/src/normalizers/byte_level.rs).
#include "tokenizer/byte_level_alphabet.hpp"
#include "tokenizer/normalizers/normalizer.hpp"

namespace hubbench::tokenizer {

namespace {

class ByteLevelNormalizer final : public Normalizer {
public:
    void normalize(NormalizedString& s) const override {
        if (!s.empty()) byte_level::map_bytes(s);
    }
};

}  // namespace

NormalizerPtr make_byte_level_normalizer(const nlohmann::json& /*config*/, const std::string& /*where*/) {
    return std::make_unique<ByteLevelNormalizer>();
}

}  // namespace hubbench::tokenizer
