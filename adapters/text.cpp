// Adapter::encode/decode/special_ids: the tokenizer as the suites see it, so that suites do not
// depend on the tokenizer library's types.
#include "adapters/adapter.hpp"
#include "core/error.hpp"

#if __has_include("tokenizer/tokenizer.hpp")
#include "tokenizer/tokenizer.hpp"
#define HUBBENCH_HAVE_TOKENIZER 1
#endif

namespace hubbench::adapters {

#ifdef HUBBENCH_HAVE_TOKENIZER
Encoded Adapter::encode(std::string_view text, bool add_special) const {
    auto enc = tokenizer().encode(text, add_special);
    Encoded out;
    out.ids.assign(enc.ids.begin(), enc.ids.end());
    out.special_mask.assign(enc.special_tokens_mask.begin(), enc.special_tokens_mask.end());
    for (const auto& o : enc.offsets) out.offsets.emplace_back(o.first, o.second);
    return out;
}

std::string Adapter::decode(std::span<const std::int32_t> ids, bool skip_special) const {
    return tokenizer().decode(ids, skip_special);
}

SpecialIds Adapter::special_ids() const {
    const auto& s = tokenizer().special_tokens();
    SpecialIds out;
    out.bos = s.bos;
    out.eos = s.eos;
    out.unk = s.unk;
    out.pad = s.pad;
    out.mask = s.mask;
    out.cls = s.cls;
    out.sep = s.sep;
    return out;
}
#else
Encoded Adapter::encode(std::string_view, bool) const { throw Error(ErrorKind::not_built, "tokenizer not built yet"); }
std::string Adapter::decode(std::span<const std::int32_t>, bool) const { throw Error(ErrorKind::not_built, "tokenizer not built yet"); }
SpecialIds Adapter::special_ids() const { throw Error(ErrorKind::not_built, "tokenizer not built yet"); }
#endif

}  // namespace hubbench::adapters
