// Metaspace: spaces become the replacement character (▁), which is prepended to the first or every
// split, and optionally split on (tokenizers/src/pre_tokenizers/metaspace.rs).
#include "tokenizer/json_util.hpp"
#include "tokenizer/pre_tokenizers/pre_tokenizer.hpp"

namespace hubbench::tokenizer {

namespace {

enum class PrependScheme { first, never, always };

class Metaspace final : public PreTokenizer {
public:
    Metaspace(char32_t replacement, PrependScheme scheme, bool split)
        : replacement_(replacement), replacement_utf8_(unicode::encode(replacement)), scheme_(scheme), split_(split) {}

    void pre_tokenize(PreTokenizedString& s) const override {
        s.split([this](NormalizedString&& n, std::vector<NormalizedString>& out) {
            n.replace(find_char_matches(n.get(), [](char32_t c) { return c == U' '; }), replacement_utf8_);
            bool starts_with_replacement = n.get().compare(0, replacement_utf8_.size(), replacement_utf8_) == 0;
            if (!starts_with_replacement) {
                if (scheme_ == PrependScheme::always || (scheme_ == PrependScheme::first && n.original_start() == 0)) {
                    n.prepend(replacement_utf8_);
                }
            }
            if (split_) {
                char32_t r = replacement_;
                std::move(n).split_into(find_char_matches(n.get(), [r](char32_t c) { return c == r; }), SplitBehavior::merged_with_next,
                        out);
            } else {
                out.push_back(std::move(n));
            }
        });
    }

private:
    char32_t replacement_;
    std::string replacement_utf8_;
    PrependScheme scheme_;
    bool split_;
};

}  // namespace

PreTokenizerPtr make_metaspace_pre_tokenizer(const nlohmann::json& config, const std::string& where) {
    char32_t replacement = json_util::get_char(config, "replacement", where);
    std::string scheme_name = json_util::get_string_or(config, "prepend_scheme", "always", where);
    PrependScheme scheme;
    if (scheme_name == "first") scheme = PrependScheme::first;
    else if (scheme_name == "never") scheme = PrependScheme::never;
    else if (scheme_name == "always") scheme = PrependScheme::always;
    else json_util::fail(where, "unknown prepend_scheme '" + scheme_name + "'");
    // Legacy files: add_prefix_space=false means prepend_scheme "never" and must not contradict it.
    if (config.contains("add_prefix_space") && config["add_prefix_space"].is_boolean() &&
        !config["add_prefix_space"].get<bool>()) {
        if (scheme != PrependScheme::never) json_util::fail(where, "add_prefix_space does not match declared prepend_scheme");
        scheme = PrependScheme::never;
    }
    return std::make_unique<Metaspace>(replacement, scheme, json_util::get_bool(config, "split", true, where));
}

}  // namespace hubbench::tokenizer
