// Sequence: the normalizers in order (tokenizers/src/normalizers/utils.rs).
#include <vector>

#include "tokenizer/json_util.hpp"
#include "tokenizer/normalizers/normalizer.hpp"

namespace hubbench::tokenizer {

namespace {

class SequenceNormalizer final : public Normalizer {
public:
    explicit SequenceNormalizer(std::vector<NormalizerPtr> parts) : parts_(std::move(parts)) {}
    void normalize(NormalizedString& s) const override {
        for (const auto& p : parts_) p->normalize(s);
    }

private:
    std::vector<NormalizerPtr> parts_;
};

}  // namespace

NormalizerPtr make_sequence_normalizer(const nlohmann::json& config, const std::string& where) {
    const auto& list = json_util::require(config, "normalizers", where);
    if (!list.is_array()) json_util::fail(where, "field 'normalizers' must be an array");
    std::vector<NormalizerPtr> parts;
    for (std::size_t i = 0; i < list.size(); ++i) {
        parts.push_back(make_normalizer(list[i], where + ".normalizers[" + std::to_string(i) + "]"));
    }
    return std::make_unique<SequenceNormalizer>(std::move(parts));
}

}  // namespace hubbench::tokenizer
