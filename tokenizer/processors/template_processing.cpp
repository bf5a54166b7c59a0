// TemplateProcessing: the sequence placed among special tokens as the "single" template says
// (tokenizers/src/processors/template.rs).
#include <map>
#include <vector>

#include "tokenizer/json_util.hpp"
#include "tokenizer/processors/processor.hpp"

namespace hubbench::tokenizer {

namespace {

struct Piece {
    bool is_sequence = false;
    std::string id;  // "A"/"B" for sequences, the special token's name otherwise
};

struct SpecialToken {
    std::vector<std::int32_t> ids;
    std::vector<std::string> tokens;
};

class TemplateProcessing final : public PostProcessor {
public:
    TemplateProcessing(std::vector<Piece> single, std::vector<Piece> pair, std::map<std::string, SpecialToken> tokens)
        : single_(std::move(single)), pair_(std::move(pair)), tokens_(std::move(tokens)) {}

    std::size_t added_tokens(bool is_pair) const override {
        std::size_t n = 0;
        for (const auto& p : is_pair ? pair_ : single_) {
            if (!p.is_sequence) n += tokens_.at(p.id).ids.size();
        }
        return n;
    }

    void process(Encoding& encoding, bool add_special_tokens, std::string_view /*text*/) const override {
        Encoding out;
        for (const auto& p : single_) {
            if (p.is_sequence) {
                // Only sequence A exists for a single input; a "$B" in the single template is empty.
                if (p.id != "A") continue;
                out.ids.insert(out.ids.end(), encoding.ids.begin(), encoding.ids.end());
                out.tokens.insert(out.tokens.end(), encoding.tokens.begin(), encoding.tokens.end());
                out.offsets.insert(out.offsets.end(), encoding.offsets.begin(), encoding.offsets.end());
                out.special_tokens_mask.insert(out.special_tokens_mask.end(), encoding.special_tokens_mask.begin(),
                                               encoding.special_tokens_mask.end());
                out.attention_mask.insert(out.attention_mask.end(), encoding.attention_mask.begin(),
                                          encoding.attention_mask.end());
            } else if (add_special_tokens) {
                const auto& t = tokens_.at(p.id);
                for (std::size_t k = 0; k < t.ids.size(); ++k) {
                    out.ids.push_back(t.ids[k]);
                    out.tokens.push_back(t.tokens[k]);
                    out.offsets.emplace_back(0, 0);
                    out.special_tokens_mask.push_back(1);
                    out.attention_mask.push_back(1);
                }
            }
        }
        encoding = std::move(out);
    }

private:
    std::vector<Piece> single_, pair_;
    std::map<std::string, SpecialToken> tokens_;
};

// "$A", "$B:1", "$0", "[CLS]", "[CLS]:0" (the string form of a piece).
Piece parse_piece_string(const std::string& s, const std::string& where) {
    std::string id = s.substr(0, s.find(':'));
    if (!id.empty() && id[0] == '$') {
        std::string rest = id.substr(1);
        if (rest == "B" || rest == "b") return {true, "B"};
        if (rest.empty() || rest == "A" || rest == "a" || rest.find_first_not_of("0123456789") == std::string::npos) {
            return {true, "A"};
        }
        json_util::fail(where, "cannot build a template piece from \"" + s + "\"");
    }
    return {false, id};
}

std::vector<Piece> parse_template(const nlohmann::json& list, const std::string& where) {
    std::vector<Piece> pieces;
    if (list.is_string()) {
        std::string s = list.get<std::string>();
        for (std::size_t start = 0; start <= s.size();) {
            auto space = s.find(' ', start);
            if (space == std::string::npos) space = s.size();
            pieces.push_back(parse_piece_string(s.substr(start, space - start), where));
            start = space + 1;
        }
        return pieces;
    }
    if (!list.is_array()) json_util::fail(where, "a template must be an array of pieces");
    for (const auto& p : list) {
        if (p.is_string()) {
            pieces.push_back(parse_piece_string(p.get<std::string>(), where));
        } else if (p.is_object() && p.contains("Sequence")) {
            std::string id = json_util::get_string(p["Sequence"], "id", where);
            if (id != "A" && id != "B") json_util::fail(where, "a template sequence must be A or B");
            pieces.push_back({true, id});
        } else if (p.is_object() && p.contains("SpecialToken")) {
            pieces.push_back({false, json_util::get_string(p["SpecialToken"], "id", where)});
        } else {
            json_util::fail(where, "a template piece must be {\"Sequence\": ...} or {\"SpecialToken\": ...}");
        }
    }
    return pieces;
}

}  // namespace

PostProcessorPtr make_template_processing(const nlohmann::json& config, const std::string& where) {
    std::vector<Piece> single = parse_template(json_util::require(config, "single", where), where + ".single");
    std::vector<Piece> pair;
    if (config.contains("pair") && !config["pair"].is_null()) {
        pair = parse_template(config["pair"], where + ".pair");
        bool has_a = false, has_b = false;
        for (const auto& p : pair) {
            has_a = has_a || (p.is_sequence && p.id == "A");
            has_b = has_b || (p.is_sequence && p.id == "B");
        }
        if (!has_a || !has_b) json_util::fail(where, "template for `pair` must use both sequences");
    }
    std::map<std::string, SpecialToken> tokens;
    if (config.contains("special_tokens") && !config["special_tokens"].is_null()) {
        const auto& st = config["special_tokens"];
        if (!st.is_object()) json_util::fail(where, "field 'special_tokens' must be an object");
        for (const auto& [name, value] : st.items()) {
            SpecialToken t;
            const auto& ids = json_util::require(value, "ids", where);
            const auto& toks = json_util::require(value, "tokens", where);
            if (!ids.is_array() || !toks.is_array() || ids.size() != toks.size()) {
                json_util::fail(where, "special token '" + name + "': ids and tokens must be arrays of the same length");
            }
            for (std::size_t k = 0; k < ids.size(); ++k) {
                if (!ids[k].is_number_integer() || !toks[k].is_string()) {
                    json_util::fail(where, "special token '" + name + "': ids must be integers and tokens strings");
                }
                t.ids.push_back(ids[k].get<std::int32_t>());
                t.tokens.push_back(toks[k].get<std::string>());
            }
            tokens.emplace(name, std::move(t));
        }
    }
    for (const auto* list : {&single, &pair}) {
        for (const auto& p : *list) {
            if (!p.is_sequence && !tokens.count(p.id)) json_util::fail(where, "missing SpecialToken(s) with id(s) `" + p.id + "`");
        }
    }
    return std::make_unique<TemplateProcessing>(std::move(single), std::move(pair), std::move(tokens));
}

}  // namespace hubbench::tokenizer
