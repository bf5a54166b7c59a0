// tokenizer.model files through the SentencePiece library, for repos that ship no tokenizer.json.
// Special tokens: <s> in front when add_bos_token (default true, as LlamaTokenizer), </s> at the end
// when add_eos_token (default false), from tokenizer_config.json.
#include <sentencepiece_processor.h>

#include "core/error.hpp"
#include "tokenizer/tokenizer_impl.hpp"

namespace hubbench::tokenizer {

namespace {

class SentencePieceTokenizer final : public Tokenizer::Impl {
public:
    SentencePieceTokenizer(const std::filesystem::path& path, bool add_bos, bool add_eos)
        : add_bos_(add_bos), add_eos_(add_eos) {
        auto status = sp_.Load(path.string());
        if (!status.ok()) {
            ErrorKind kind = std::filesystem::exists(path) ? ErrorKind::invalid_input : ErrorKind::not_found;
            throw Error(kind, path.string() + ": cannot load SentencePiece model: " + status.ToString());
        }
        if (add_bos_ && sp_.bos_id() < 0) add_bos_ = false;
        if (add_eos_ && sp_.eos_id() < 0) add_eos_ = false;
    }

    Encoding encode(std::string_view text, bool add_special_tokens) const override {
        require_utf8(text);
        Encoding enc;
        auto push_special = [&](int id) {
            enc.ids.push_back(id);
            enc.tokens.push_back(sp_.IdToPiece(id));
            enc.offsets.emplace_back(0, 0);
            enc.special_tokens_mask.push_back(1);
        };
        if (add_special_tokens && add_bos_) push_special(sp_.bos_id());
        auto spt = sp_.EncodeAsImmutableProto(absl::string_view(text.data(), text.size()));
        for (const auto& piece : spt.pieces()) {
            enc.ids.push_back(static_cast<std::int32_t>(piece.id()));
            enc.tokens.push_back(piece.piece());
            enc.offsets.emplace_back(piece.begin(), piece.end());
            enc.special_tokens_mask.push_back(is_special(static_cast<std::int32_t>(piece.id())) ? 1 : 0);
        }
        if (add_special_tokens && add_eos_) push_special(sp_.eos_id());
        enc.attention_mask.assign(enc.ids.size(), 1);
        return enc;
    }

    // Runs of ordinary ids are decoded by SentencePiece; with skip_special_tokens=false a control or
    // unknown token is written as its piece, followed by a space when the next run starts a word.
    std::string decode(std::span<const std::int32_t> ids, bool skip_special_tokens) const override {
        std::string out;
        std::vector<int> run;
        auto flush = [&] {
            if (run.empty()) return;
            std::string text = sp_.DecodeIds(run);
            if (!out.empty() && sp_.IdToPiece(run.front()).rfind("\xE2\x96\x81", 0) == 0) out.push_back(' ');
            out.append(text);
            run.clear();
        };
        for (std::int32_t id : ids) {
            if (id < 0 || id >= sp_.GetPieceSize()) continue;
            if (is_special(id)) {
                if (skip_special_tokens) continue;
                flush();
                out.append(sp_.IdToPiece(id));
                continue;
            }
            run.push_back(id);
        }
        flush();
        return out;
    }

    std::optional<std::int32_t> token_to_id(std::string_view token) const override {
        int id = sp_.PieceToId(absl::string_view(token.data(), token.size()));
        if (id < 0 || sp_.IdToPiece(id) != token) return std::nullopt;  // PieceToId answers unk for unknown pieces
        return id;
    }
    std::optional<std::string> id_to_token(std::int32_t id) const override {
        if (id < 0 || id >= sp_.GetPieceSize()) return std::nullopt;
        return sp_.IdToPiece(id);
    }
    std::size_t vocab_size() const override { return static_cast<std::size_t>(sp_.GetPieceSize()); }
    bool is_special(std::int32_t id) const override {
        if (id < 0 || id >= sp_.GetPieceSize()) return false;
        return sp_.IsControl(id) || sp_.IsUnknown(id);
    }
    std::size_t num_special_tokens_to_add() const override { return (add_bos_ ? 1 : 0) + (add_eos_ ? 1 : 0); }

    SpecialTokens default_special_tokens() const override {
        SpecialTokens t;
        auto set = [](std::optional<std::int32_t>& slot, int id) {
            if (id >= 0) slot = id;
        };
        set(t.bos, sp_.bos_id());
        set(t.eos, sp_.eos_id());
        set(t.unk, sp_.unk_id());
        set(t.pad, sp_.pad_id());
        return t;
    }

private:
    sentencepiece::SentencePieceProcessor sp_;
    bool add_bos_, add_eos_;
};

}  // namespace

std::unique_ptr<Tokenizer::Impl> make_sentencepiece_tokenizer(const std::filesystem::path& model, const TokenizerConfig& config) {
    auto tok = std::make_unique<SentencePieceTokenizer>(model, config.add_bos_token.value_or(true),
                                                        config.add_eos_token.value_or(false));
    tok->kind = "sentencepiece";
    return tok;
}

}  // namespace hubbench::tokenizer
