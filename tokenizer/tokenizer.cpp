#include "tokenizer/tokenizer.hpp"

#include "core/error.hpp"
#include "core/fs.hpp"
#include "core/log.hpp"
#include "tokenizer/tokenizer_impl.hpp"
#include "tokenizer/unicode.hpp"

namespace hubbench::tokenizer {

namespace fs = std::filesystem;

void require_utf8(std::string_view text) {
    std::size_t bad = unicode::find_invalid(text);
    if (bad != std::string_view::npos) {
        throw Error(ErrorKind::invalid_input, "tokenizer: input is not valid UTF-8 (byte " + std::to_string(bad) + ")");
    }
}

namespace {

// Resolves the configured special tokens; what the config does not name comes from the backend.
void resolve_special_tokens(Tokenizer::Impl& impl, const TokenizerConfig& config) {
    SpecialTokens t = impl.default_special_tokens();
    auto set = [&](std::optional<std::int32_t>& slot, const ConfigToken& token, const char* what) {
        if (!token.set) return;
        slot.reset();
        if (!token.name) return;
        if (auto id = impl.token_to_id(*token.name)) {
            slot = id;
        } else {
            log::debug("{}: {} '{}' is not in the vocabulary", impl.source.string(), what, *token.name);
        }
    };
    set(t.bos, config.bos, "bos_token");
    set(t.eos, config.eos, "eos_token");
    set(t.unk, config.unk, "unk_token");
    set(t.pad, config.pad, "pad_token");
    set(t.mask, config.mask, "mask_token");
    set(t.cls, config.cls, "cls_token");
    set(t.sep, config.sep, "sep_token");
    impl.special_tokens = t;
}

std::shared_ptr<const Tokenizer::Impl> finish(std::unique_ptr<Tokenizer::Impl> impl, const fs::path& source,
                                              const TokenizerConfig& config) {
    impl->source = source;
    resolve_special_tokens(*impl, config);
    return std::shared_ptr<const Tokenizer::Impl>(std::move(impl));
}

}  // namespace

Tokenizer::Tokenizer(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

Tokenizer Tokenizer::load(const fs::path& dir_or_file) {
    std::error_code ec;
    fs::path dir, file;
    if (fs::is_directory(dir_or_file, ec)) {
        dir = dir_or_file;
        if (fs::exists(dir / "tokenizer.json", ec)) file = dir / "tokenizer.json";
        else if (fs::exists(dir / "tokenizer.model", ec)) file = dir / "tokenizer.model";
        else throw Error(ErrorKind::not_found, dir_or_file.string() + ": no tokenizer.json or tokenizer.model in this directory");
    } else if (fs::exists(dir_or_file, ec)) {
        file = dir_or_file;
        dir = dir_or_file.parent_path();
        if (dir.empty()) dir = ".";
    } else {
        throw Error(ErrorKind::not_found, dir_or_file.string() + ": no such tokenizer file or directory");
    }
    TokenizerConfig config = read_tokenizer_config(dir);
    if (file.extension() == ".model") {
        return Tokenizer(finish(make_sentencepiece_tokenizer(file, config), file, config));
    }
    std::string text = read_file(file);
    return Tokenizer(finish(make_json_tokenizer(text, file.string()), file, config));
}

Tokenizer Tokenizer::from_json_string(std::string_view json, const std::string& name) {
    return Tokenizer(finish(make_json_tokenizer(json, name), name, TokenizerConfig{}));
}

Encoding Tokenizer::encode(std::string_view text, bool add_special_tokens) const {
    return impl_->encode(text, add_special_tokens);
}

std::string Tokenizer::decode(std::span<const std::int32_t> ids, bool skip_special_tokens) const {
    return impl_->decode(ids, skip_special_tokens);
}

std::optional<std::int32_t> Tokenizer::token_to_id(std::string_view token) const { return impl_->token_to_id(token); }

std::string Tokenizer::id_to_token(std::int32_t id) const { return impl_->id_to_token(id).value_or(std::string()); }

std::size_t Tokenizer::vocab_size() const { return impl_->vocab_size(); }

bool Tokenizer::is_special(std::int32_t id) const { return impl_->is_special(id); }

const SpecialTokens& Tokenizer::special_tokens() const { return impl_->special_tokens; }

const std::optional<TruncationParams>& Tokenizer::truncation() const { return impl_->truncation; }

const std::optional<PaddingParams>& Tokenizer::padding() const { return impl_->padding; }

std::size_t Tokenizer::num_special_tokens_to_add() const { return impl_->num_special_tokens_to_add(); }

const std::string& Tokenizer::kind() const { return impl_->kind; }

const fs::path& Tokenizer::source() const { return impl_->source; }

}  // namespace hubbench::tokenizer
