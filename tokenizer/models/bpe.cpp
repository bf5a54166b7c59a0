// BPE: characters of the word, then the lowest-ranked merges first, with unknown-token fusing, byte
// fallback, continuing_subword_prefix / end_of_word_suffix and ignore_merges. Mirrors
// tokenizers/src/models/bpe/{model.rs,word.rs}; words are cached per thread like BPE_LOCAL_CACHE.
#include <array>
#include <queue>

#include "core/error.hpp"
#include "core/log.hpp"
#include "tokenizer/json_util.hpp"
#include "tokenizer/models/model.hpp"
#include "tokenizer/models/word_cache.hpp"
#include "tokenizer/unicode.hpp"
#include "tokenizer/vocab.hpp"

namespace hubbench::tokenizer {

namespace {

// (left id, right id) -> (rank, merged id), open addressing: the merge loop's only lookup.
class MergeTable {
public:
    struct Entry {
        std::uint64_t key = kEmpty;
        std::uint32_t rank = 0;
        std::int32_t new_id = 0;
    };
    static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};

    void reserve(std::size_t n) {
        std::size_t capacity = 16;
        while (capacity < n * 2) capacity <<= 1;
        entries_.assign(capacity, Entry{});
        mask_ = capacity - 1;
    }
    // A pair listed twice keeps its last rank, as collecting into a HashMap does.
    void insert(std::int32_t a, std::int32_t b, std::uint32_t rank, std::int32_t new_id) {
        std::uint64_t key = pack(a, b);
        for (std::size_t i = slot(key);; i = (i + 1) & mask_) {
            if (entries_[i].key == kEmpty || entries_[i].key == key) {
                entries_[i] = {key, rank, new_id};
                return;
            }
        }
    }
    const Entry* find(std::int32_t a, std::int32_t b) const {
        std::uint64_t key = pack(a, b);
        for (std::size_t i = slot(key);; i = (i + 1) & mask_) {
            if (entries_[i].key == key) return &entries_[i];
            if (entries_[i].key == kEmpty) return nullptr;
        }
    }
    std::size_t capacity() const { return entries_.size(); }

private:
    static std::uint64_t pack(std::int32_t a, std::int32_t b) {
        return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(a)) << 32) | static_cast<std::uint32_t>(b);
    }
    std::size_t slot(std::uint64_t key) const { return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> 20) & mask_; }

    std::vector<Entry> entries_;
    std::size_t mask_ = 0;
};

struct Symbol {
    std::int32_t c;
    std::int32_t prev;
    std::int32_t next;
    std::uint32_t len;
};

// The symbols of the word being merged (one vector per thread, reused).
thread_local std::vector<Symbol> t_symbols;

// SentencePiece-style vocabularies mark word starts with ▁; long words (a whole text when the
// pre-tokenizer does not split) are merged chunk by chunk when that cannot change the result.
constexpr std::string_view kMetaspace = "\xE2\x96\x81";
constexpr std::size_t kChunkThreshold = 64;

// True when ▁ appears in tokens only at their start, or in tokens made of ▁ alone: then no merge
// can join a character to a following ▁ that is not itself preceded by ▁.
bool metaspace_only_starts_tokens(const Vocab& vocab) {
    bool ok = true;
    vocab.for_each([&](std::string_view token) {
        if (!ok) return;
        std::size_t pos = token.find(kMetaspace, 1);
        if (pos == std::string_view::npos) return;
        for (std::size_t i = 0; i < token.size(); i += kMetaspace.size()) {
            if (token.compare(i, kMetaspace.size(), kMetaspace) != 0) {
                ok = false;
                return;
            }
        }
    });
    return ok;
}

class Bpe final : public Model {
public:
    Bpe(Vocab vocab, const std::vector<std::pair<std::string, std::string>>& merges, std::optional<std::string> unk,
        std::optional<std::string> prefix, std::optional<std::string> suffix, bool fuse_unk, bool byte_fallback,
        bool ignore_merges, const std::string& where)
        : vocab_(std::move(vocab)), unk_token_(std::move(unk)), prefix_(std::move(prefix)), suffix_(std::move(suffix)),
          fuse_unk_(fuse_unk), byte_fallback_(byte_fallback), ignore_merges_(ignore_merges),
          model_id_(WordCache::new_model_id()) {
        merges_.reserve(merges.size());
        std::size_t prefix_len = prefix_ ? prefix_->size() : 0;
        std::string merged;
        for (std::size_t rank = 0; rank < merges.size(); ++rank) {
            const auto& [a, b] = merges[rank];
            auto a_id = vocab_.find(a);
            if (!a_id) json_util::fail(where, "merge token '" + a + "' is not in the vocabulary");
            auto b_id = vocab_.find(b);
            if (!b_id) json_util::fail(where, "merge token '" + b + "' is not in the vocabulary");
            if (b.size() < prefix_len) json_util::fail(where, "merge token '" + b + "' is shorter than the subword prefix");
            merged.assign(a);
            merged.append(b, prefix_len, std::string::npos);
            auto new_id = vocab_.find(merged);
            if (!new_id) json_util::fail(where, "merged token '" + merged + "' is not in the vocabulary");
            merges_.insert(*a_id, *b_id, static_cast<std::uint32_t>(rank), *new_id);
        }
        byte_ids_.fill(-1);
        if (byte_fallback_) {
            static const char* hex = "0123456789ABCDEF";
            for (int b = 0; b < 256; ++b) {
                std::string name = std::string("<0x") + hex[b >> 4] + hex[b & 15] + ">";
                if (auto id = vocab_.find(name)) byte_ids_[static_cast<std::size_t>(b)] = *id;
            }
        }
        if (unk_token_) unk_id_ = vocab_.find(*unk_token_);
        chunk_at_metaspace_ = !prefix_ && !suffix_ && vocab_.find(kMetaspace) && metaspace_only_starts_tokens(vocab_);
    }

    void tokenize(std::string_view word, std::vector<Token>& out) const override {
        if (word.empty()) return;
        if (ignore_merges_) {
            if (auto id = vocab_.find(word)) {
                out.push_back({*id, 0, static_cast<std::uint32_t>(word.size()), {}});
                return;
            }
        }
        if (chunk_at_metaspace_ && word.size() > kChunkThreshold) {
            // No symbol ever spans a non-▁ character followed by ▁ (checked on the vocabulary), so
            // the word is the concatenation of its chunks starting at each run of ▁, merged apart.
            const std::size_t m = kMetaspace.size();
            std::size_t start = 0;
            for (std::size_t i = word.find(kMetaspace, 1); i != std::string_view::npos; i = word.find(kMetaspace, i + m)) {
                bool after_metaspace = i >= m && word.compare(i - m, m, kMetaspace) == 0;
                if (after_metaspace) continue;
                tokenize_cached(word.substr(start, i - start), static_cast<std::uint32_t>(start), out);
                start = i;
            }
            tokenize_cached(word.substr(start), static_cast<std::uint32_t>(start), out);
            return;
        }
        tokenize_cached(word, 0, out);
    }

    void tokenize_cached(std::string_view word, std::uint32_t base, std::vector<Token>& out) const {
        WordCache& cache = WordCache::for_model(model_id_);
        if (cache.emit(word, base, out)) return;
        thread_local std::vector<CachedPiece> pieces;
        pieces.clear();
        merge_word(word, pieces);
        WordCache::emit_pieces(pieces.data(), pieces.size(), base, out);
        cache.insert(word, pieces);
    }

    std::optional<std::int32_t> token_to_id(std::string_view token) const override { return vocab_.find(token); }
    std::optional<std::string_view> id_to_token(std::int32_t id) const override { return vocab_.token(id); }
    std::size_t vocab_size() const override { return vocab_.size(); }
    std::optional<std::string> unk_token() const override { return unk_token_; }

private:
    std::int32_t require_unk(const std::string& unk) const {
        if (!unk_id_) throw Error(ErrorKind::invalid_input, "BPE model: unk_token '" + unk + "' is not in the vocabulary");
        return *unk_id_;
    }

    // BPE::merge_word: one symbol per character (with prefix/suffix, unknowns and byte fallback),
    // then Word::merge_all.
    void merge_word(std::string_view w, std::vector<CachedPiece>& result) const {
        auto& symbols = t_symbols;
        symbols.clear();
        auto add = [&symbols](std::int32_t c, std::uint32_t len) {
            auto n = static_cast<std::int32_t>(symbols.size());
            if (n > 0) symbols.back().next = n;
            symbols.push_back({c, n - 1, -1, len});
        };
        // A pending unknown token (id, byte length), fused with the next one when fuse_unk.
        bool has_unk = false;
        std::int32_t unk_id = 0;
        std::uint32_t unk_len = 0;
        std::string buffer;
        for (std::size_t i = 0; i < w.size();) {
            auto len = static_cast<std::size_t>(unicode::sequence_length(static_cast<unsigned char>(w[i])));
            len = std::min(len, w.size() - i);
            bool is_first = i == 0;
            bool is_last = i + len >= w.size();
            std::string_view s = w.substr(i, len);
            if ((!is_first && prefix_) || (is_last && suffix_)) {
                buffer.clear();
                if (!is_first && prefix_) buffer.append(*prefix_);
                buffer.append(s);
                if (is_last && suffix_) buffer.append(*suffix_);
                s = buffer;
            }
            auto byte_len = static_cast<std::uint32_t>(len);
            i += len;
            if (auto id = vocab_.find(s)) {
                if (has_unk) {
                    add(unk_id, unk_len);
                    has_unk = false;
                }
                add(*id, byte_len);
                continue;
            }
            if (byte_fallback_) {
                bool all = true;
                for (char b : s) all = all && byte_ids_[static_cast<unsigned char>(b)] >= 0;
                if (all) {
                    for (char b : s) add(byte_ids_[static_cast<unsigned char>(b)], 1);
                    continue;
                }
            }
            if (unk_token_) {
                if (has_unk && fuse_unk_) {
                    unk_len += byte_len;
                } else {
                    if (has_unk) add(unk_id, unk_len);
                    has_unk = true;
                    unk_id = require_unk(*unk_token_);
                    unk_len = byte_len;
                }
            }
        }
        if (has_unk) add(unk_id, unk_len);
        merge_all();
        for (const auto& s : symbols) {
            if (s.len != 0) result.push_back({s.c, s.len});
        }
    }

    // Word::merge_all: a min-heap on (rank, position); stale entries are skipped.
    void merge_all() const {
        struct Candidate {
            std::uint32_t rank;
            std::int32_t pos;
            std::int32_t new_id;
            bool operator>(const Candidate& o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
        };
        thread_local std::vector<Candidate> storage;
        storage.clear();
        std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> queue(std::greater<>{}, std::move(storage));
        auto& s = t_symbols;
        for (std::size_t i = 0; i + 1 < s.size(); ++i) {
            if (const auto* m = merges_.find(s[i].c, s[i + 1].c)) {
                queue.push({m->rank, static_cast<std::int32_t>(i), m->new_id});
            }
        }
        while (!queue.empty()) {
            Candidate top = queue.top();
            queue.pop();
            auto pos = static_cast<std::size_t>(top.pos);
            if (s[pos].len == 0 || s[pos].next == -1) continue;
            auto next_pos = static_cast<std::size_t>(s[pos].next);
            Symbol right = s[next_pos];
            const auto* m = merges_.find(s[pos].c, right.c);
            if (m == nullptr || m->new_id != top.new_id) continue;
            s[pos].c = top.new_id;
            s[pos].len += right.len;
            s[pos].next = right.next;
            s[next_pos].len = 0;
            if (right.next > -1 && static_cast<std::size_t>(right.next) < s.size()) s[static_cast<std::size_t>(right.next)].prev = top.pos;
            const Symbol& current = s[pos];
            if (current.prev >= 0) {
                if (const auto* pm = merges_.find(s[static_cast<std::size_t>(current.prev)].c, current.c)) {
                    queue.push({pm->rank, current.prev, pm->new_id});
                }
            }
            if (current.next >= 0 && static_cast<std::size_t>(current.next) < s.size()) {
                if (const auto* nm = merges_.find(current.c, s[static_cast<std::size_t>(current.next)].c)) {
                    queue.push({nm->rank, top.pos, nm->new_id});
                }
            }
        }
    }

    Vocab vocab_;
    MergeTable merges_;
    std::optional<std::string> unk_token_;
    std::optional<std::int32_t> unk_id_;
    std::optional<std::string> prefix_;
    std::optional<std::string> suffix_;
    bool fuse_unk_, byte_fallback_, ignore_merges_;
    bool chunk_at_metaspace_ = false;
    std::array<std::int32_t, 256> byte_ids_{};
    std::uint64_t model_id_;
};

std::vector<std::pair<std::string, std::string>> parse_merges(const nlohmann::json& merges, const std::string& where) {
    if (!merges.is_array()) json_util::fail(where, "field 'merges' must be an array");
    std::vector<std::pair<std::string, std::string>> out;
    out.reserve(merges.size());
    bool pairs = !merges.empty() && merges[0].is_array();
    for (const auto& m : merges) {
        if (pairs) {
            // [["a", "b"], ...]
            if (!m.is_array() || m.size() != 2 || !m[0].is_string() || !m[1].is_string()) {
                json_util::fail(where, "every merge must be a pair of strings");
            }
            out.emplace_back(m[0].get<std::string>(), m[1].get<std::string>());
        } else {
            // ["a b", ...], "#version" lines skipped (convert_merges_to_hashmap)
            if (!m.is_string()) json_util::fail(where, "every merge must be a string \"a b\"");
            const auto& line = m.get_ref<const std::string&>();
            if (line.rfind("#version", 0) == 0) continue;
            auto space = line.find(' ');
            if (space == std::string::npos || line.find(' ', space + 1) != std::string::npos) {
                json_util::fail(where, "merge " + std::to_string(out.size() + 1) + " is not two tokens separated by a space");
            }
            out.emplace_back(line.substr(0, space), line.substr(space + 1));
        }
    }
    return out;
}

}  // namespace

ModelPtr make_bpe_model(const nlohmann::json& config, const std::string& where) {
    if (!config.contains("vocab") || !config.contains("merges")) json_util::fail(where, "missing vocab/merges");
    Vocab vocab = Vocab::from_json_object(json_util::require(config, "vocab", where), where);
    auto merges = parse_merges(json_util::require(config, "merges", where), where);
    if (auto it = config.find("dropout"); it != config.end() && it->is_number() && it->get<double>() > 0.0) {
        log::warn("{}: BPE dropout {} is ignored; encoding is deterministic", where, it->get<double>());
    }
    return std::make_unique<Bpe>(std::move(vocab), merges, json_util::get_optional_string(config, "unk_token", where),
                                 json_util::get_optional_string(config, "continuing_subword_prefix", where),
                                 json_util::get_optional_string(config, "end_of_word_suffix", where),
                                 json_util::get_bool(config, "fuse_unk", false, where),
                                 json_util::get_bool(config, "byte_fallback", false, where),
                                 json_util::get_bool(config, "ignore_merges", false, where), where);
}

}  // namespace hubbench::tokenizer
