// Metaspace decoder: ▁ back to spaces, the first token's leading one dropped unless the prepend
// scheme is "never" (tokenizers/src/pre_tokenizers/metaspace.rs, Decoder impl).
#include "tokenizer/decoders/decoder.hpp"
#include "tokenizer/json_util.hpp"
#include "tokenizer/unicode.hpp"

namespace hubbench::tokenizer {

namespace {

class MetaspaceDecoder final : public Decoder {
public:
    MetaspaceDecoder(char32_t replacement, bool prepend) : replacement_(replacement), prepend_(prepend) {}
    void decode_chain(std::vector<std::string>& tokens) const override {
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            std::string out;
            const std::string& t = tokens[i];
            for (std::size_t k = 0; k < t.size();) {
                int len = 0;
                char32_t c = unicode::decode(t, k, len);
                if (c == replacement_) {
                    if (!(i == 0 && prepend_)) out.push_back(' ');
                } else {
                    out.append(t, k, static_cast<std::size_t>(len));
                }
                k += static_cast<std::size_t>(len);
            }
            tokens[i] = std::move(out);
        }
    }

private:
    char32_t replacement_;
    bool prepend_;
};

}  // namespace

DecoderPtr make_metaspace_decoder(const nlohmann::json& config, const std::string& where) {
    std::string scheme = json_util::get_string_or(config, "prepend_scheme", "always", where);
    if (scheme != "first" && scheme != "never" && scheme != "always") json_util::fail(where, "unknown prepend_scheme '" + scheme + "'");
    if (config.contains("add_prefix_space") && config["add_prefix_space"].is_boolean() &&
        !config["add_prefix_space"].get<bool>()) {
        if (scheme != "never") json_util::fail(where, "add_prefix_space does not match declared prepend_scheme");
    }
    return std::make_unique<MetaspaceDecoder>(json_util::get_char(config, "replacement", where), scheme != "never");
}

}  // namespace hubbench::tokenizer
