// WordLevel: the whole word is one token, or the unknown token (tokenizers/src/models/wordlevel/mod.rs).
#include "core/error.hpp"
#include "tokenizer/json_util.hpp"
#include "tokenizer/models/model.hpp"
#include "tokenizer/vocab.hpp"

namespace hubbench::tokenizer {

namespace {

class WordLevel final : public Model {
public:
    WordLevel(Vocab vocab, std::string unk) : vocab_(std::move(vocab)), unk_(std::move(unk)) {}

    void tokenize(std::string_view word, std::vector<Token>& out) const override {
        auto end = static_cast<std::uint32_t>(word.size());
        if (auto id = vocab_.find(word)) {
            out.push_back({*id, 0, end, {}});
        } else if (auto unk = vocab_.find(unk_)) {
            out.push_back({*unk, 0, end, {}});
        } else {
            throw Error(ErrorKind::invalid_input, "WordLevel model: unk_token '" + unk_ + "' is not in the vocabulary");
        }
    }

    std::optional<std::int32_t> token_to_id(std::string_view token) const override { return vocab_.find(token); }
    std::optional<std::string_view> id_to_token(std::int32_t id) const override { return vocab_.token(id); }
    std::size_t vocab_size() const override { return vocab_.size(); }
    std::optional<std::string> unk_token() const override { return unk_; }

private:
    Vocab vocab_;
    std::string unk_;
};

}  // namespace

ModelPtr make_word_level_model(const nlohmann::json& config, const std::string& where) {
    return std::make_unique<WordLevel>(Vocab::from_json_object(json_util::require(config, "vocab", where), where),
                                       json_util::get_string_or(config, "unk_token", "<unk>", where));
}

}  // namespace hubbench::tokenizer
