// Strip: leading and/or trailing whitespace (tokenizers/src/normalizers/strip.rs).
#include "tokenizer/json_util.hpp"
#include "tokenizer/normalizers/normalizer.hpp"

namespace hubbench::tokenizer {

namespace {

class Strip final : public Normalizer {
public:
    Strip(bool left, bool right) : left_(left), right_(right) {}
    void normalize(NormalizedString& s) const override { s.strip(left_, right_); }

private:
    bool left_, right_;
};

}  // namespace

NormalizerPtr make_strip_normalizer(const nlohmann::json& config, const std::string& where) {
    return std::make_unique<Strip>(json_util::get_bool(config, "strip_left", true, where),
                                   json_util::get_bool(config, "strip_right", true, where));
}

}  // namespace hubbench::tokenizer
