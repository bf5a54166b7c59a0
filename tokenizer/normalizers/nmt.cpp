// Nmt: drops ASCII control characters and turns other spacing characters into a space
// (do_nmt in tokenizers/src/normalizers/unicode.rs).
#include "tokenizer/normalizers/normalizer.hpp"

namespace hubbench::tokenizer {

namespace {

class Nmt final : public Normalizer {
public:
    void normalize(NormalizedString& s) const override {
        s.filter([](char32_t c) {
            return !((c >= 0x01 && c <= 0x08) || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F || c == 0x8F ||
                     c == 0x9F);
        });
        s.map([](char32_t c) -> char32_t {
            switch (c) {
                case 0x09: case 0x0A: case 0x0C: case 0x0D: case 0x1680: case 0x2028: case 0x2029: case 0x2581:
                case 0xFEFF: case 0xFFFD:
                    return U' ';
                default:
                    return (c >= 0x200B && c <= 0x200F) ? U' ' : c;
            }
        });
    }
};

}  // namespace

NormalizerPtr make_nmt_normalizer(const nlohmann::json& /*config*/, const std::string& /*where*/) {
    return std::make_unique<Nmt>();
}

}  // namespace hubbench::tokenizer
