// Lowercase: Rust's full lowercase mapping (tokenizers/src/normalizers/utils.rs).
#include "tokenizer/normalizers/normalizer.hpp"

namespace hubbench::tokenizer {

namespace {

class Lowercase final : public Normalizer {
public:
    void normalize(NormalizedString& s) const override { s.lowercase(); }
};

}  // namespace

NormalizerPtr make_lowercase_normalizer(const nlohmann::json& /*config*/, const std::string& /*where*/) {
    return std::make_unique<Lowercase>();
}

}  // namespace hubbench::tokenizer
