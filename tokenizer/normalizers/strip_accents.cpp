// StripAccents: removes combining marks (tokenizers/src/normalizers/strip.rs).
#include "tokenizer/normalizers/normalizer.hpp"

namespace hubbench::tokenizer {

namespace {

class StripAccents final : public Normalizer {
public:
    void normalize(NormalizedString& s) const override {
        s.filter([](char32_t c) { return !unicode::is_combining_mark(c); });
    }
};

}  // namespace

NormalizerPtr make_strip_accents_normalizer(const nlohmann::json& /*config*/, const std::string& /*where*/) {
    return std::make_unique<StripAccents>();
}

}  // namespace hubbench::tokenizer
