// The tokenizer.json pipeline: added tokens -> normalizer -> pre-tokenizer -> model ->
// post-processor, and the decoder. Mirrors TokenizerImpl in tokenizers/src/tokenizer/mod.rs
// (encode_single_sequence, post_process, decode) and its deserializer (serialization.rs).
#include <limits>

#include "core/error.hpp"
#include "tokenizer/added_vocabulary.hpp"
#include "tokenizer/decoders/decoder.hpp"
#include "tokenizer/json_util.hpp"
#include "tokenizer/models/model.hpp"
#include "tokenizer/normalizers/normalizer.hpp"
#include "tokenizer/pre_tokenizers/pre_tokenizer.hpp"
#include "tokenizer/processors/processor.hpp"
#include "tokenizer/tokenizer_impl.hpp"

namespace hubbench::tokenizer {

namespace {

using json = nlohmann::json;

class JsonTokenizer final : public Tokenizer::Impl {
public:
    NormalizerPtr normalizer;
    PreTokenizerPtr pre_tokenizer;
    ModelPtr model;
    PostProcessorPtr post_processor;
    DecoderPtr decoder;
    AddedVocabulary added;

    Encoding encode(std::string_view text, bool add_special_tokens) const override {
        require_utf8(text);
        if (text.size() >= std::numeric_limits<std::uint32_t>::max() / 2) {
            throw Error(ErrorKind::invalid_input, "tokenizer: input of " + std::to_string(text.size()) + " bytes is too long");
        }
        PreTokenizedString pre = added.extract_and_normalize(normalizer.get(), text);
        if (pre_tokenizer) pre_tokenizer->pre_tokenize(pre);

        Encoding enc;
        std::size_t estimate = text.size() / 3 + 8;
        enc.ids.reserve(estimate);
        enc.tokens.reserve(estimate);
        enc.offsets.reserve(estimate);
        enc.special_tokens_mask.reserve(estimate);
        std::vector<Token> tokens;
        for (const auto& split : pre.splits()) {
            const NormalizedString& n = split.normalized;
            if (split.added_id) {
                enc.ids.push_back(*split.added_id);
                enc.tokens.push_back(n.get());
                enc.offsets.push_back(n.original_offsets(0, n.len()));
                enc.special_tokens_mask.push_back(added.is_special_id(*split.added_id) ? 1 : 0);
                continue;
            }
            tokens.clear();
            model->tokenize(n.get(), tokens);
            for (auto& t : tokens) {
                enc.ids.push_back(t.id);
                if (t.value.empty()) {
                    auto s = model->id_to_token(t.id);
                    enc.tokens.emplace_back(s ? *s : std::string_view{});
                } else {
                    enc.tokens.push_back(std::move(t.value));
                }
                enc.offsets.push_back(n.original_offsets(t.start, t.end));
                enc.special_tokens_mask.push_back(0);
            }
        }
        enc.attention_mask.assign(enc.ids.size(), 1);
        if (post_processor) post_processor->process(enc, add_special_tokens, text);
        return enc;
    }

    std::string decode(std::span<const std::int32_t> ids, bool skip_special_tokens) const override {
        std::vector<std::string> tokens;
        tokens.reserve(ids.size());
        for (std::int32_t id : ids) {
            std::optional<std::string> token = added.id_to_token(id);
            if (!token) {
                auto s = model->id_to_token(id);
                if (!s) continue;
                token = std::string(*s);
            }
            if (skip_special_tokens && added.is_special_token(*token)) continue;
            tokens.push_back(std::move(*token));
        }
        if (decoder) {
            decoder->decode_chain(tokens);
            std::string out;
            for (const auto& t : tokens) out.append(t);
            return out;
        }
        std::string out;
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            if (i > 0) out.push_back(' ');
            out.append(tokens[i]);
        }
        return out;
    }

    std::optional<std::int32_t> token_to_id(std::string_view token) const override { return added.token_to_id(token, *model); }
    std::optional<std::string> id_to_token(std::int32_t id) const override {
        if (auto t = added.id_to_token(id)) return t;
        if (auto s = model->id_to_token(id)) return std::string(*s);
        return std::nullopt;
    }
    std::size_t vocab_size() const override { return model->vocab_size() + added.count_not_in(*model); }
    bool is_special(std::int32_t id) const override { return added.is_special_id(id); }
    std::size_t num_special_tokens_to_add() const override {
        return post_processor ? post_processor->added_tokens(false) : 0;
    }

    SpecialTokens default_special_tokens() const override {
        SpecialTokens t;
        if (auto unk = model->unk_token()) t.unk = token_to_id(*unk);
        // Conventional names of special added tokens.
        for (const auto& [id, token] : added.tokens_by_id()) {
            if (!token.special) continue;
            const std::string& c = token.content;
            if (c == "<s>" || c == "<|begin_of_text|>") t.bos = id;
            else if (c == "</s>" || c == "<|end_of_text|>") t.eos = id;
            else if (c == "<|endoftext|>") {
                if (!t.bos) t.bos = id;
                if (!t.eos) t.eos = id;
            } else if (c == "<unk>" || c == "[UNK]") t.unk = id;
            else if (c == "<pad>" || c == "[PAD]") t.pad = id;
            else if (c == "<mask>" || c == "[MASK]") t.mask = id;
            else if (c == "[CLS]") t.cls = id;
            else if (c == "[SEP]") t.sep = id;
        }
        if (post_processor) post_processor->describe(t);
        return t;
    }
};

std::optional<TruncationParams> parse_truncation(const json& j, const std::string& where) {
    if (j.is_null()) return std::nullopt;
    TruncationParams t;
    t.max_length = json_util::get_uint(j, "max_length", 512, where);
    t.stride = json_util::get_uint(j, "stride", 0, where);
    t.strategy = json_util::get_string_or(j, "strategy", "LongestFirst", where);
    std::string direction = json_util::get_string_or(j, "direction", "Right", where);
    if (direction != "Left" && direction != "Right") json_util::fail(where, "direction must be Left or Right");
    t.direction = direction == "Left" ? Direction::left : Direction::right;
    return t;
}

std::optional<PaddingParams> parse_padding(const json& j, const std::string& where) {
    if (j.is_null()) return std::nullopt;
    PaddingParams p;
    if (auto it = j.find("strategy"); it != j.end()) {
        if (it->is_object() && it->contains("Fixed")) {
            if (!(*it)["Fixed"].is_number_unsigned()) json_util::fail(where, "Fixed padding length must be an integer");
            p.fixed_length = (*it)["Fixed"].get<std::size_t>();
        } else if (!(it->is_string() && it->get<std::string>() == "BatchLongest")) {
            json_util::fail(where, "strategy must be \"BatchLongest\" or {\"Fixed\": n}");
        }
    }
    std::string direction = json_util::get_string_or(j, "direction", "Right", where);
    if (direction != "Left" && direction != "Right") json_util::fail(where, "direction must be Left or Right");
    p.direction = direction == "Left" ? Direction::left : Direction::right;
    if (auto it = j.find("pad_to_multiple_of"); it != j.end() && !it->is_null()) {
        if (!it->is_number_unsigned()) json_util::fail(where, "pad_to_multiple_of must be an integer");
        p.pad_to_multiple_of = it->get<std::size_t>();
    }
    p.pad_id = static_cast<std::int32_t>(json_util::get_uint(j, "pad_id", 0, where));
    p.pad_type_id = static_cast<std::int32_t>(json_util::get_uint(j, "pad_type_id", 0, where));
    p.pad_token = json_util::get_string_or(j, "pad_token", "[PAD]", where);
    return p;
}

std::vector<AddedToken> parse_added_tokens(const json& list, const std::string& where) {
    std::vector<AddedToken> tokens;
    if (list.is_null()) return tokens;
    if (!list.is_array()) json_util::fail(where, "must be an array");
    for (std::size_t i = 0; i < list.size(); ++i) {
        std::string at = where + "[" + std::to_string(i) + "]";
        const json& t = list[i];
        AddedToken a;
        a.content = json_util::get_string(t, "content", at);
        if (unicode::find_invalid(a.content) != std::string::npos) json_util::fail(at, "content is not valid UTF-8");
        a.special = json_util::get_bool(t, "special", false, at);
        a.single_word = json_util::get_bool(t, "single_word", false, at);
        a.lstrip = json_util::get_bool(t, "lstrip", false, at);
        a.rstrip = json_util::get_bool(t, "rstrip", false, at);
        a.normalized = json_util::get_bool(t, "normalized", !a.special, at);
        tokens.push_back(std::move(a));
    }
    return tokens;
}

}  // namespace

std::unique_ptr<Tokenizer::Impl> make_json_tokenizer(std::string_view json_text, const std::string& name) {
    json doc;
    try {
        doc = json::parse(json_text);
    } catch (const json::exception& e) {
        throw Error(ErrorKind::invalid_input, name + ": not valid JSON: " + e.what());
    }
    if (!doc.is_object()) json_util::fail(name, "a tokenizer.json must be a JSON object");
    if (auto v = doc.find("version"); v != doc.end() && !(v->is_string() && v->get<std::string>() == "1.0")) {
        json_util::fail(name, "unknown tokenizer version " + v->dump());
    }
    auto tok = std::make_unique<JsonTokenizer>();
    tok->kind = "tokenizer.json";
    auto component = [&](const char* key) -> const json* {
        auto it = doc.find(key);
        return (it == doc.end() || it->is_null()) ? nullptr : &*it;
    };
    try {
        if (const json* j = component("normalizer")) tok->normalizer = make_normalizer(*j, name + ": normalizer");
        if (const json* j = component("pre_tokenizer")) tok->pre_tokenizer = make_pre_tokenizer(*j, name + ": pre_tokenizer");
        const json* model = component("model");
        if (model == nullptr) json_util::fail(name, "missing field 'model'");
        tok->model = make_model(*model, name + ": model");
        if (const json* j = component("post_processor")) tok->post_processor = make_post_processor(*j, name + ": post_processor");
        if (const json* j = component("decoder")) tok->decoder = make_decoder(*j, name + ": decoder");
        if (const json* j = component("truncation")) tok->truncation = parse_truncation(*j, name + ": truncation");
        if (const json* j = component("padding")) tok->padding = parse_padding(*j, name + ": padding");
        std::vector<AddedToken> added;
        if (const json* j = component("added_tokens")) added = parse_added_tokens(*j, name + ": added_tokens");
        tok->added.add_tokens(added, *tok->model, tok->normalizer.get());
    } catch (const json::exception& e) {
        // nlohmann type errors on unexpected shapes
        throw Error(ErrorKind::invalid_input, name + ": malformed tokenizer.json: " + e.what());
    }
    return tok;
}

}  // namespace hubbench::tokenizer
