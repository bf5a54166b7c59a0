// NFC, NFD, NFKC, NFKD (tokenizers/src/normalizers/unicode.rs).
#include "tokenizer/json_util.hpp"
#include "tokenizer/normalizers/normalizer.hpp"

namespace hubbench::tokenizer {

namespace {

enum class Form { nfc, nfd, nfkc, nfkd };

class UnicodeNormalizer final : public Normalizer {
public:
    explicit UnicodeNormalizer(Form form) : form_(form) {}
    void normalize(NormalizedString& s) const override {
        switch (form_) {
            case Form::nfc: s.nfc(); break;
            case Form::nfd: s.nfd(); break;
            case Form::nfkc: s.nfkc(); break;
            case Form::nfkd: s.nfkd(); break;
        }
    }

private:
    Form form_;
};

}  // namespace

NormalizerPtr make_unicode_normalizer(const nlohmann::json& config, const std::string& /*where*/) {
    std::string type = json_util::type_of(config);
    Form form = type == "NFC" ? Form::nfc : type == "NFD" ? Form::nfd : type == "NFKC" ? Form::nfkc : Form::nfkd;
    return std::make_unique<UnicodeNormalizer>(form);
}

}  // namespace hubbench::tokenizer
