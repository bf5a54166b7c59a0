// libFuzzer target for encode/decode: the first byte picks one of the repo's tokenizers (GPT-2,
// LLaMA, Qwen2, BERT, RoBERTa fixtures, Mistral tokenizer.json, llama-2 SentencePiece), the rest is
// the text. Invalid UTF-8 must be Error(invalid_input); valid text must encode with offsets inside
// the text, and decode without crashing.
// Run: scripts/fuzz 60   (seeds in fuzz/corpus/tokenizer_encode)
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/fs.hpp"
#include "tokenizer/tokenizer.hpp"

namespace {

const std::vector<hubbench::tokenizer::Tokenizer>& tokenizers() {
    static const std::vector<hubbench::tokenizer::Tokenizer> all = [] {
        using hubbench::tokenizer::Tokenizer;
        auto assets = hubbench::assets_dir();
        std::vector<Tokenizer> t;
        for (const char* name : {"tiny-gpt2", "tiny-llama", "tiny-qwen2", "tiny-bert", "tiny-roberta"}) {
            t.push_back(Tokenizer::load(assets / "models" / "fixtures" / name));
        }
        t.push_back(Tokenizer::load(assets / "tokenizers" / "mistral-7b-v0.3" / "tokenizer.json"));
        t.push_back(Tokenizer::load(assets / "tokenizers" / "llama-2" / "tokenizer.model"));
        return t;
    }();
    return all;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const auto& all = tokenizers();
    const auto& tok = all[data[0] % all.size()];
    std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    for (bool special : {true, false}) {
        try {
            auto e = tok.encode(text, special);
            if (e.ids.size() != e.tokens.size() || e.ids.size() != e.offsets.size()) __builtin_trap();
            for (const auto& [s, t] : e.offsets) {
                if (s > t || t > text.size()) __builtin_trap();
            }
            (void)hubbench::tokenizer::char_offsets(text, e.offsets);
            (void)tok.decode(e.ids, true);
            (void)tok.decode(e.ids, false);
        } catch (const hubbench::Error& error) {
            if (error.kind() != hubbench::ErrorKind::invalid_input) __builtin_trap();
        }
    }
    return 0;
}
