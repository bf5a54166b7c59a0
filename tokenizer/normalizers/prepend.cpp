// Prepend: puts `prepend` in front of a non-empty string (tokenizers/src/normalizers/prepend.rs).
#include "tokenizer/json_util.hpp"
#include "tokenizer/normalizers/normalizer.hpp"

namespace hubbench::tokenizer {

namespace {

class Prepend final : public Normalizer {
public:
    explicit Prepend(std::string prefix) : prefix_(std::move(prefix)) {}
    void normalize(NormalizedString& s) const override {
        if (!s.empty()) s.prepend(prefix_);
    }

private:
    std::string prefix_;
};

}  // namespace

NormalizerPtr make_prepend_normalizer(const nlohmann::json& config, const std::string& where) {
    return std::make_unique<Prepend>(json_util::get_string(config, "prepend", where));
}

}  // namespace hubbench::tokenizer
