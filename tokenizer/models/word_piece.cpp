// WordPiece: greedy longest-match-first with a continuing-subword prefix; a word that cannot be
// covered (or is too long) becomes one unknown token (tokenizers/src/models/wordpiece/mod.rs).
#include "core/error.hpp"
#include "tokenizer/json_util.hpp"
#include "tokenizer/models/model.hpp"
#include "tokenizer/models/word_cache.hpp"
#include "tokenizer/unicode.hpp"
#include "tokenizer/vocab.hpp"

namespace hubbench::tokenizer {

namespace {

class WordPiece final : public Model {
public:
    WordPiece(Vocab vocab, std::string unk, std::string prefix, std::size_t max_chars)
        : vocab_(std::move(vocab)), unk_(std::move(unk)), prefix_(std::move(prefix)), max_chars_(max_chars),
          model_id_(WordCache::new_model_id()) {}

    void tokenize(std::string_view word, std::vector<Token>& out) const override {
        if (word.empty()) return;
        WordCache& cache = WordCache::for_model(model_id_);
        if (cache.emit(word, 0, out)) return;
        std::size_t first = out.size();
        tokenize_uncached(word, out);
        thread_local std::vector<CachedPiece> pieces;
        pieces.clear();
        for (std::size_t i = first; i < out.size(); ++i) pieces.push_back({out[i].id, out[i].end - out[i].start});
        cache.insert(word, pieces);
    }

    // WordPiece::tokenize: longest vocabulary prefix first, "##" on continuations.
    void tokenize_uncached(std::string_view word, std::vector<Token>& out) const {
        auto unknown = [&] { out.push_back({unk_id(), 0, static_cast<std::uint32_t>(word.size()), {}}); };
        if (unicode::count_chars(word) > max_chars_) {
            unknown();
            return;
        }
        std::size_t first = out.size();
        std::string candidate;
        std::size_t start = 0;
        while (start < word.size()) {
            std::size_t end = word.size();
            bool found = false;
            while (start < end) {
                std::string_view sub = word.substr(start, end - start);
                std::optional<std::int32_t> id;
                if (start > 0) {
                    candidate.assign(prefix_);
                    candidate.append(sub);
                    id = vocab_.find(candidate);
                } else {
                    id = vocab_.find(sub);
                }
                if (id) {
                    out.push_back({*id, static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(end), {}});
                    found = true;
                    break;
                }
                // Drop the last character of the candidate.
                std::size_t last = end - 1;
                while (last > start && (static_cast<unsigned char>(word[last]) & 0xC0) == 0x80) --last;
                end = last;
            }
            if (!found) {
                out.resize(first);
                unknown();
                return;
            }
            start = end;
        }
    }

    std::optional<std::int32_t> token_to_id(std::string_view token) const override { return vocab_.find(token); }
    std::optional<std::string_view> id_to_token(std::int32_t id) const override { return vocab_.token(id); }
    std::size_t vocab_size() const override { return vocab_.size(); }
    std::optional<std::string> unk_token() const override { return unk_; }

private:
    std::int32_t unk_id() const {
        auto id = vocab_.find(unk_);
        if (!id) throw Error(ErrorKind::invalid_input, "WordPiece model: unk_token '" + unk_ + "' is not in the vocabulary");
        return *id;
    }

    Vocab vocab_;
    std::string unk_;
    std::string prefix_;
    std::size_t max_chars_;
    std::uint64_t model_id_;
};

}  // namespace

ModelPtr make_word_piece_model(const nlohmann::json& config, const std::string& where) {
    return std::make_unique<WordPiece>(Vocab::from_json_object(json_util::require(config, "vocab", where), where),
                                       json_util::get_string_or(config, "unk_token", "[UNK]", where),
                                       json_util::get_string_or(config, "continuing_subword_prefix", "##", where),
                                       json_util::get_uint(config, "max_input_chars_per_word", 100, where));
}

}  // namespace hubbench::tokenizer
