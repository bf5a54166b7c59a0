// WordPiece decoder: "##" continuations glued on, other tokens after a space, each token cleaned up
// (tokenizers/src/decoders/wordpiece.rs).
#include "tokenizer/decoders/decoder.hpp"
#include "tokenizer/json_util.hpp"

namespace hubbench::tokenizer {

namespace {

void replace_all(std::string& s, std::string_view from, std::string_view to) {
    for (std::size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
        s.replace(pos, from.size(), to);
    }
}

class WordPieceDecoder final : public Decoder {
public:
    WordPieceDecoder(std::string prefix, bool cleanup) : prefix_(std::move(prefix)), cleanup_(cleanup) {}
    void decode_chain(std::vector<std::string>& tokens) const override {
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            auto& t = tokens[i];
            if (i != 0) {
                if (t.compare(0, prefix_.size(), prefix_) == 0) t.erase(0, prefix_.size());
                else t.insert(0, " ");
            }
            if (cleanup_) t = cleanup_tokenization(std::move(t));
        }
    }

private:
    std::string prefix_;
    bool cleanup_;
};

}  // namespace

std::string cleanup_tokenization(std::string s) {
    // Applied in this order, each replacing every occurrence (str::replace).
    replace_all(s, " .", ".");
    replace_all(s, " ?", "?");
    replace_all(s, " !", "!");
    replace_all(s, " ,", ",");
    replace_all(s, " ' ", "'");
    replace_all(s, " n't", "n't");
    replace_all(s, " 'm", "'m");
    replace_all(s, " do not", " don't");
    replace_all(s, " 's", "'s");
    replace_all(s, " 've", "'ve");
    replace_all(s, " 're", "'re");
    return s;
}

DecoderPtr make_word_piece_decoder(const nlohmann::json& config, const std::string& where) {
    return std::make_unique<WordPieceDecoder>(json_util::get_string_or(config, "prefix", "##", where),
                                              json_util::get_bool(config, "cleanup", true, where));
}

}  // namespace hubbench::tokenizer
