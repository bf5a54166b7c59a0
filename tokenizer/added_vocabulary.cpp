#include "tokenizer/added_vocabulary.hpp"

#include <algorithm>

namespace hubbench::tokenizer {

namespace {

char32_t last_char(std::string_view s) {
    std::size_t i = s.size() - 1;
    while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
    int len = 0;
    return unicode::decode(s, i, len);
}

bool ends_with_word(std::string_view s) { return !s.empty() && unicode::is_word_char(last_char(s)); }
bool starts_with_word(std::string_view s) {
    if (s.empty()) return false;
    int len = 0;
    return unicode::is_word_char(unicode::decode(s, 0, len));
}

// Start of the whitespace run that ends `s` (regex \s*$, leftmost match).
std::size_t space_leftmost_at_end(std::string_view s) {
    std::size_t i = s.size();
    while (i > 0) {
        std::size_t start = i - 1;
        while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
        int len = 0;
        if (!unicode::is_whitespace(unicode::decode(s, start, len))) break;
        i = start;
    }
    return i;
}

// Length of the whitespace run that starts `s` (regex ^\s*).
std::size_t space_rightmost_at_start(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        int len = 0;
        if (!unicode::is_whitespace(unicode::decode(s, i, len))) break;
        i += static_cast<std::size_t>(len);
    }
    return i;
}

}  // namespace

void TokenTrie::insert(std::string_view pattern, std::int32_t id) {
    if (pattern.empty()) return;
    first_bytes_[static_cast<unsigned char>(pattern[0])] = true;
    std::uint32_t node = 0;
    for (char ch : pattern) {
        auto b = static_cast<unsigned char>(ch);
        auto& children = nodes_[node].children;
        auto it = std::lower_bound(children.begin(), children.end(), b,
                                   [](const auto& e, unsigned char v) { return e.first < v; });
        if (it != children.end() && it->first == b) {
            node = it->second;
        } else {
            auto child = static_cast<std::uint32_t>(nodes_.size());
            children.insert(it, {b, child});
            nodes_.emplace_back();
            node = child;
        }
    }
    nodes_[node].id = id;
}

std::optional<std::pair<std::size_t, std::int32_t>> TokenTrie::longest_at(std::string_view text, std::size_t pos) const {
    if (pos >= text.size() || !first_bytes_[static_cast<unsigned char>(text[pos])]) return std::nullopt;
    std::optional<std::pair<std::size_t, std::int32_t>> best;
    std::uint32_t node = 0;
    for (std::size_t i = pos; i < text.size(); ++i) {
        auto b = static_cast<unsigned char>(text[i]);
        const auto& children = nodes_[node].children;
        auto it = std::lower_bound(children.begin(), children.end(), b,
                                   [](const auto& e, unsigned char v) { return e.first < v; });
        if (it == children.end() || it->first != b) break;
        node = it->second;
        if (nodes_[node].id >= 0) best = std::make_pair(i + 1 - pos, nodes_[node].id);
    }
    return best;
}

void AddedVocabulary::add_tokens(const std::vector<AddedToken>& tokens, const Model& model, const Normalizer* normalizer) {
    auto model_size = static_cast<std::int32_t>(model.vocab_size());
    std::int32_t next_id = model_size;
    if (!by_id_.empty()) {
        std::int32_t max = std::max_element(by_id_.begin(), by_id_.end(), [](const auto& a, const auto& b) {
                               return a.first < b.first;
                           })->first;
        next_id = (max >= model_size || model_size == 0) ? max + 1 : model_size;
    }
    for (const auto& token : tokens) {
        if (token.content.empty()) continue;
        if (auto it = content_to_id_.find(token.content); it != content_to_id_.end()) {
            const auto& existing = by_id_.at(it->second);
            if (existing.single_word == token.single_word && existing.lstrip == token.lstrip &&
                existing.rstrip == token.rstrip && existing.normalized == token.normalized &&
                existing.special == token.special) {
                continue;
            }
        }
        std::int32_t id;
        if (auto existing = token_to_id(token.content, model)) {
            id = *existing;
        } else {
            id = next_id++;
        }
        if (token.normalized && normalizer != nullptr) {
            NormalizedString s(token.content);
            normalizer->normalize(s);
            if (s.get() != token.content) normalized_cache_[id] = s.get();
        }
        content_to_id_.insert_or_assign(token.content, id);
        if (token.special) special_.insert(token.content);
        by_id_.insert_or_assign(id, token);
    }
    // Rebuild both tries in id order (the order is irrelevant for leftmost-longest matching).
    split_trie_ = TokenTrie();
    split_normalized_trie_ = TokenTrie();
    std::vector<std::int32_t> ids;
    for (const auto& [id, token] : by_id_) ids.push_back(id);
    std::sort(ids.begin(), ids.end());
    for (std::int32_t id : ids) {
        const AddedToken& token = by_id_.at(id);
        if (token.normalized) {
            auto it = normalized_cache_.find(id);
            split_normalized_trie_.insert(it != normalized_cache_.end() ? it->second : token.content, id);
        } else {
            split_trie_.insert(token.content, id);
        }
    }
}

std::optional<std::int32_t> AddedVocabulary::token_to_id(std::string_view token, const Model& model) const {
    if (auto it = content_to_id_.find(token); it != content_to_id_.end()) return it->second;
    return model.token_to_id(token);
}

std::optional<std::string> AddedVocabulary::id_to_token(std::int32_t id) const {
    auto it = by_id_.find(id);
    if (it == by_id_.end()) return std::nullopt;
    if (auto n = normalized_cache_.find(id); n != normalized_cache_.end()) return n->second;
    return it->second.content;
}

bool AddedVocabulary::is_special_id(std::int32_t id) const {
    auto it = by_id_.find(id);
    return it != by_id_.end() && special_.count(it->second.content) > 0;
}

const AddedToken* AddedVocabulary::find(std::int32_t id) const {
    auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : &it->second;
}

std::size_t AddedVocabulary::count_not_in(const Model& model) const {
    std::size_t n = 0;
    for (const auto& [content, id] : content_to_id_) n += model.token_to_id(content) ? 0 : 1;
    return n;
}

void AddedVocabulary::find_matches(std::string_view sentence, const TokenTrie& trie, NormalizedString&& piece,
                                   std::vector<Split>& out) const {
    // AddedVocabulary::find_matches + split_with_indices. Every split is a slice of the piece, which
    // re-bases its original offsets on its first byte's alignment (it matters after normalization).
    auto whole = [&]() -> NormalizedString { return std::move(piece).take_whole(); };
    if (sentence.empty() || trie.empty()) {
        out.push_back({whole(), std::nullopt});
        return;
    }
    std::size_t start_offset = 0;
    std::size_t pos = 0;
    bool found_any = false;
    while (pos < sentence.size()) {
        auto m = trie.longest_at(sentence, pos);
        if (!m) {
            ++pos;
            continue;
        }
        std::size_t start = pos;
        std::size_t stop = pos + m->first;
        std::int32_t id = m->second;
        pos = stop;  // the automaton resumes after the match, even a discarded one
        const AddedToken& token = by_id_.at(id);
        if (token.single_word) {
            bool start_space = start == 0 || !ends_with_word(sentence.substr(0, start));
            bool stop_space = stop == sentence.size() || !starts_with_word(sentence.substr(stop));
            if (!stop_space || !start_space) continue;
        }
        if (token.lstrip) {
            start = std::max(space_leftmost_at_end(sentence.substr(0, start)), start_offset);
        }
        if (token.rstrip) stop += space_rightmost_at_start(sentence.substr(stop));
        if (start_offset < start) out.push_back({piece.slice(start_offset, start), std::nullopt});
        out.push_back({piece.slice(start, stop), id});
        start_offset = stop;
        found_any = true;
    }
    if (!found_any) {
        out.push_back({whole(), std::nullopt});
        return;
    }
    if (start_offset != sentence.size()) out.push_back({piece.slice(start_offset, sentence.size()), std::nullopt});
}

PreTokenizedString AddedVocabulary::extract_and_normalize(const Normalizer* normalizer, std::string_view text) const {
    PreTokenizedString pre(NormalizedString{text});
    pre.split_splits([this](NormalizedString&& s, std::vector<Split>& out) {
        std::string_view sentence = s.get();
        find_matches(sentence, split_trie_, std::move(s), out);
    });
    pre.split_splits([this, normalizer](NormalizedString&& s, std::vector<Split>& out) {
        if (normalizer != nullptr) normalizer->normalize(s);
        std::string_view sentence = s.get();
        find_matches(sentence, split_normalized_trie_, std::move(s), out);
    });
    return pre;
}

}  // namespace hubbench::tokenizer
