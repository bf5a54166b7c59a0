// Unigram: the best-scoring segmentation (Viterbi over the vocabulary's pieces), unknown pieces fused
// and optionally spelled as <0xXX> bytes. Mirrors encode_optimized in
// tokenizers/src/models/unigram/model.rs (itself sentencepiece's unigram_model.cc).
#include <algorithm>
#include <limits>
#include <map>

#include "core/error.hpp"
#include "tokenizer/json_util.hpp"
#include "tokenizer/models/model.hpp"
#include "tokenizer/unicode.hpp"
#include "tokenizer/vocab.hpp"

namespace hubbench::tokenizer {

namespace {

constexpr double kUnkPenalty = 10.0;

// A byte trie for common-prefix search: children of each node sorted by byte.
class PrefixTrie {
public:
    void build(const std::vector<std::pair<std::string, double>>& pieces) {
        struct Building {
            std::map<unsigned char, std::size_t> children;
            std::int32_t id = -1;
        };
        std::vector<Building> nodes(1);
        for (std::size_t id = 0; id < pieces.size(); ++id) {
            std::size_t node = 0;
            for (char ch : pieces[id].first) {
                auto b = static_cast<unsigned char>(ch);
                auto it = nodes[node].children.find(b);
                if (it == nodes[node].children.end()) {
                    nodes.emplace_back();
                    it = nodes[node].children.emplace(b, nodes.size() - 1).first;
                }
                node = it->second;
            }
            // token_to_ids keeps the last id of a repeated piece
            nodes[node].id = static_cast<std::int32_t>(id);
        }
        nodes_.resize(nodes.size());
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            nodes_[i].id = nodes[i].id;
            nodes_[i].first_edge = static_cast<std::uint32_t>(edges_.size());
            for (const auto& [b, child] : nodes[i].children) edges_.push_back({b, static_cast<std::uint32_t>(child)});
            nodes_[i].edge_count = static_cast<std::uint32_t>(nodes[i].children.size());
        }
    }

    // Calls f(length, id) for every piece that is a prefix of text, shortest first.
    template <typename F>
    void common_prefixes(std::string_view text, F&& f) const {
        std::size_t node = 0;
        for (std::size_t i = 0; i < text.size(); ++i) {
            auto b = static_cast<unsigned char>(text[i]);
            const Node& n = nodes_[node];
            auto first = edges_.begin() + n.first_edge;
            auto last = first + n.edge_count;
            auto it = std::lower_bound(first, last, b, [](const Edge& e, unsigned char v) { return e.byte < v; });
            if (it == last || it->byte != b) return;
            node = it->child;
            if (nodes_[node].id >= 0) f(i + 1, nodes_[node].id);
        }
    }

private:
    struct Node {
        std::int32_t id = -1;
        std::uint32_t first_edge = 0;
        std::uint32_t edge_count = 0;
    };
    struct Edge {
        unsigned char byte;
        std::uint32_t child;
    };
    std::vector<Node> nodes_;
    std::vector<Edge> edges_;
};

class Unigram final : public Model {
public:
    Unigram(std::vector<std::pair<std::string, double>> pieces, std::optional<std::size_t> unk_id, bool byte_fallback)
        : pieces_(std::move(pieces)), unk_id_(unk_id), byte_fallback_(byte_fallback) {
        for (std::size_t id = 0; id < pieces_.size(); ++id) {
            vocab_.add(pieces_[id].first, static_cast<std::int32_t>(id));
            min_score_ = std::min(min_score_, pieces_[id].second);
        }
        trie_.build(pieces_);
    }

    void tokenize(std::string_view sentence, std::vector<Token>& out) const override {
        if (sentence.empty()) return;
        std::vector<std::pair<std::size_t, std::size_t>> segments;  // (start, end) of each piece
        encode(sentence, segments);
        for (const auto& [start, end] : segments) {
            std::string_view piece = sentence.substr(start, end - start);
            auto s = static_cast<std::uint32_t>(start);
            auto e = static_cast<std::uint32_t>(end);
            if (auto id = vocab_.find(piece)) {
                out.push_back({*id, s, e, {}});
                continue;
            }
            if (byte_fallback_) {
                static const char* hex = "0123456789ABCDEF";
                std::vector<Token> bytes;
                for (char ch : piece) {
                    auto b = static_cast<unsigned char>(ch);
                    std::string name = std::string("<0x") + hex[b >> 4] + hex[b & 15] + ">";
                    auto id = vocab_.find(name);
                    if (!id) break;
                    bytes.push_back({*id, s, e, {}});
                }
                if (bytes.size() == piece.size()) {
                    out.insert(out.end(), bytes.begin(), bytes.end());
                    continue;
                }
            }
            out.push_back({static_cast<std::int32_t>(require_unk()), s, e, std::string(piece)});
        }
    }

    std::optional<std::int32_t> token_to_id(std::string_view token) const override { return vocab_.find(token); }
    std::optional<std::string_view> id_to_token(std::int32_t id) const override {
        if (id < 0 || static_cast<std::size_t>(id) >= pieces_.size()) return std::nullopt;
        return std::string_view(pieces_[static_cast<std::size_t>(id)].first);
    }
    std::size_t vocab_size() const override { return pieces_.size(); }
    std::optional<std::string> unk_token() const override {
        if (!unk_id_) return std::nullopt;
        return pieces_[*unk_id_].first;
    }

private:
    std::size_t require_unk() const {
        if (!unk_id_) throw Error(ErrorKind::invalid_input, "Unigram model: an unknown piece needs unk_id, which is missing");
        return *unk_id_;
    }

    // encode_optimized: best path ending at every byte, unknown characters fused.
    void encode(std::string_view sentence, std::vector<std::pair<std::size_t, std::size_t>>& segments) const {
        struct Node {
            std::size_t id = 0;
            double score = 0.0;
            std::size_t starts_at = std::numeric_limits<std::size_t>::max();
        };
        constexpr std::size_t none = std::numeric_limits<std::size_t>::max();
        const std::size_t size = sentence.size();
        const double unk_score = min_score_ - kUnkPenalty;
        std::vector<Node> best(size + 1);
        for (std::size_t start = 0; start < size;) {
            double till_here = best[start].score;
            auto mblen = std::min<std::size_t>(
                static_cast<std::size_t>(unicode::sequence_length(static_cast<unsigned char>(sentence[start]))), size - start);
            bool has_single_node = false;
            trie_.common_prefixes(sentence.substr(start), [&](std::size_t length, std::int32_t id) {
                Node& target = best[start + length];
                double candidate = pieces_[static_cast<std::size_t>(id)].second + till_here;
                if (target.starts_at == none || candidate > target.score) {
                    target = {static_cast<std::size_t>(id), candidate, start};
                }
                if (length == mblen) has_single_node = true;
            });
            if (!has_single_node) {
                Node& target = best[start + mblen];
                double candidate = unk_score + till_here;
                if (target.starts_at == none || candidate > target.score) {
                    target = {require_unk(), candidate, start};
                }
            }
            start += mblen;
        }
        // Backtrack; consecutive unknown pieces are fused into one.
        std::vector<std::pair<std::size_t, std::size_t>> reversed;
        std::size_t ends_at = size;
        std::optional<std::pair<std::size_t, std::size_t>> unk_run;
        while (ends_at > 0) {
            const Node& node = best[ends_at];
            std::size_t starts_at = node.starts_at;
            if (starts_at == none) break;  // unreachable: every char has a node
            if (unk_id_ && node.id == *unk_id_) {
                unk_run = unk_run ? std::make_pair(starts_at, unk_run->second) : std::make_pair(starts_at, ends_at);
            } else {
                if (unk_run) reversed.push_back(*unk_run);
                unk_run.reset();
                reversed.emplace_back(starts_at, ends_at);
            }
            ends_at = starts_at;
        }
        if (unk_run) reversed.push_back(*unk_run);
        segments.assign(reversed.rbegin(), reversed.rend());
    }

    std::vector<std::pair<std::string, double>> pieces_;
    Vocab vocab_;
    PrefixTrie trie_;
    std::optional<std::size_t> unk_id_;
    bool byte_fallback_;
    double min_score_ = std::numeric_limits<double>::infinity();
};

}  // namespace

ModelPtr make_unigram_model(const nlohmann::json& config, const std::string& where) {
    const auto& vocab = json_util::require(config, "vocab", where);
    if (!vocab.is_array()) json_util::fail(where, "field 'vocab' must be an array of [piece, score]");
    std::vector<std::pair<std::string, double>> pieces;
    pieces.reserve(vocab.size());
    for (const auto& entry : vocab) {
        if (!entry.is_array() || entry.size() != 2 || !entry[0].is_string() || !entry[1].is_number()) {
            json_util::fail(where, "every vocab entry must be [piece, score]");
        }
        pieces.emplace_back(entry[0].get<std::string>(), entry[1].get<double>());
    }
    std::optional<std::size_t> unk_id;
    if (auto it = config.find("unk_id"); it != config.end() && !it->is_null()) {
        if (!it->is_number_unsigned()) json_util::fail(where, "field 'unk_id' must be a non-negative integer");
        unk_id = it->get<std::size_t>();
        if (pieces.empty()) json_util::fail(where, "the vocabulary is empty but at least <unk> is needed");
        if (*unk_id >= pieces.size()) json_util::fail(where, "unk_id is larger than the vocabulary");
    }
    return std::make_unique<Unigram>(std::move(pieces), unk_id, json_util::get_bool(config, "byte_fallback", false, where));
}

}  // namespace hubbench::tokenizer
