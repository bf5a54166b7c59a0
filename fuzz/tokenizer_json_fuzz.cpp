// libFuzzer target for the tokenizer.json loader (tokenizer/json_tokenizer.cpp and every component
// factory): any byte string must either load, or throw hubbench::Error. A tokenizer that loads must
// encode and decode a few texts without crashing (encoding may still throw Error, e.g. for an
// unk_token missing from the vocabulary).
// Run: scripts/fuzz 60   (seeds in fuzz/corpus/tokenizer_json)
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "tokenizer/tokenizer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    try {
        auto tok = hubbench::tokenizer::Tokenizer::from_json_string(bytes, "fuzz.json");
        (void)tok.vocab_size();
        (void)tok.special_tokens();
        for (std::string_view text : {"", "Hello world! It's 2026.", " \t\n caf\xC3\xA9 \xE6\x9D\xB1 <s>[CLS]\xF0\x9F\xA4\x97"}) {
            try {
                auto e = tok.encode(text, true);
                if (e.ids.size() != e.tokens.size() || e.ids.size() != e.offsets.size() ||
                    e.ids.size() != e.special_tokens_mask.size()) {
                    __builtin_trap();
                }
                (void)hubbench::tokenizer::char_offsets(text, e.offsets);
                (void)tok.decode(e.ids, true);
                (void)tok.decode(e.ids, false);
            } catch (const hubbench::Error&) {
            }
        }
        std::int32_t ids[] = {0, 1, 2, 3, 100, -1, 2147483647};
        (void)tok.decode(ids, false);
    } catch (const hubbench::Error&) {
    }
    return 0;
}
