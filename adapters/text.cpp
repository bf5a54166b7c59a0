// Adapter::encode/decode/special_ids: the tokenizer as the suites see it, so that suites do not
// depend on the tokenizer library's types.
#include "adapters/adapter.hpp"
#include "tokenizer/tokenizer.hpp"

namespace hubbench::adapters {

Encoded Adapter::encode(std::string_view text, bool add_special) const {
    auto enc = tokenizer().encode(text, add_special);
    return {std::move(enc.ids), std::move(enc.special_tokens_mask), std::move(enc.offsets)};
}

std::string Adapter::decode(std::span<const std::int32_t> ids, bool skip_special) const {
    return tokenizer().decode(ids, skip_special);
}

SpecialIds Adapter::special_ids() const {
    const auto& s = tokenizer().special_tokens();
    return {s.bos, s.eos, s.unk, s.pad, s.mask, s.cls, s.sep};
}

std::string Adapter::token_text(std::int32_t id) const { return tokenizer().id_to_token(id); }

}  // namespace hubbench::adapters
