// Replace decoder: every match of the pattern in each token by `content`
// (tokenizers/src/normalizers/replace.rs, Decoder impl).
#include "tokenizer/decoders/decoder.hpp"
#include "tokenizer/json_util.hpp"
#include "tokenizer/regex.hpp"

namespace hubbench::tokenizer {

namespace {

class ReplaceDecoder final : public Decoder {
public:
    ReplaceDecoder(const std::string& source, std::string content, const std::string& where)
        : regex_(source, where), content_(std::move(content)) {}
    void decode_chain(std::vector<std::string>& tokens) const override {
        for (auto& t : tokens) {
            std::string out;
            for (const auto& m : regex_.find_matches(t)) {
                if (m.is_match) out.append(content_);
                else out.append(t, m.start, m.end - m.start);
            }
            t = std::move(out);
        }
    }

private:
    Regex regex_;
    std::string content_;
};

}  // namespace

DecoderPtr make_replace_decoder(const nlohmann::json& config, const std::string& where) {
    std::string source = json_util::pattern_source(json_util::require(config, "pattern", where), where);
    return std::make_unique<ReplaceDecoder>(source, json_util::get_string(config, "content", where), where);
}

}  // namespace hubbench::tokenizer
