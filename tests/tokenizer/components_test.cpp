// Components on their own, with expected values taken from the documentation and unit tests of
// Hugging Face tokenizers (the cited test names), not from our own output.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "tokenizer/normalized_string.hpp"
#include "tokenizer/normalizers/normalizer.hpp"
#include "tokenizer/pre_tokenizers/pre_tokenizer.hpp"
#include "tokenizer/regex.hpp"
#include "tokenizer/tokenizer.hpp"

using namespace hubbench;
using namespace hubbench::tokenizer;
using json = nlohmann::json;

namespace {

std::vector<std::pair<std::size_t, std::size_t>> aligns(const NormalizedString& n) {
    std::vector<std::pair<std::size_t, std::size_t>> out;
    for (const auto& a : n.alignments()) out.emplace_back(a.start, a.end);
    return out;
}

// (normalized text, original byte offsets) of every split after a pre-tokenizer.
std::vector<std::pair<std::string, std::pair<std::size_t, std::size_t>>> pre_tokenize(const json& config,
                                                                                      const std::string& text) {
    auto pre = make_pre_tokenizer(config, "test");
    PreTokenizedString s{NormalizedString(text)};
    pre->pre_tokenize(s);
    std::vector<std::pair<std::string, std::pair<std::size_t, std::size_t>>> out;
    for (const auto& split : s.splits()) {
        out.push_back({split.normalized.get(), {split.normalized.original_start(), split.normalized.original_end()}});
    }
    return out;
}

std::vector<std::string> split_pieces(SplitBehavior behavior) {
    NormalizedString n("the-final--countdown");
    std::vector<NormalizedString> out;
    n.split(find_char_matches(n.get(), [](char32_t c) { return c == U'-'; }), behavior, out);
    std::vector<std::string> pieces;
    for (const auto& p : out) pieces.push_back(p.get());
    return pieces;
}

// A tokenizer.json with only a model (and optional extra fields).
Tokenizer with_model(const json& model, json extra = json::object()) {
    json doc = {{"version", "1.0"}, {"model", model}};
    for (auto& [k, v] : extra.items()) doc[k] = v;
    return Tokenizer::from_json_string(doc.dump(), "test.json");
}

json bpe_json(const json& vocab, const json& merges, const json& options = json::object()) {
    json m = {{"type", "BPE"}, {"vocab", vocab}, {"merges", merges}};
    for (auto& [k, v] : options.items()) m[k] = v;
    return m;
}

}  // namespace

TEST_SUITE("unit") {
TEST_CASE("NFD adds characters that share the alignment of the character they come from") {
    // normalizer.rs test nfd_adds_new_chars
    NormalizedString n("élégant");
    n.nfd();
    std::vector<std::pair<std::size_t, std::size_t>> expected = {{0, 2}, {0, 2}, {0, 2}, {2, 3}, {3, 5}, {3, 5},
                                                                 {3, 5}, {5, 6}, {6, 7}, {7, 8}, {8, 9}};
    CHECK(aligns(n) == expected);
}

TEST_CASE("removing the marks NFD added keeps one alignment per remaining character") {
    // normalizer.rs test remove_chars_added_by_nfd
    NormalizedString n("élégant");
    n.nfd();
    n.filter([](char32_t c) { return !unicode::is_mark_nonspacing(c); });
    CHECK(n.get() == "elegant");
    std::vector<std::pair<std::size_t, std::size_t>> expected = {{0, 2}, {2, 3}, {3, 5}, {5, 6}, {6, 7}, {7, 8}, {8, 9}};
    CHECK(aligns(n) == expected);
}

TEST_CASE("NFKC turns the fi ligature into two characters aligned to it") {
    // normalizers/unicode.rs test_nfkc
    NormalizedString n("\xEF\xAC\x81");
    n.nfkc();
    CHECK(n.get() == "fi");
    std::vector<std::pair<std::size_t, std::size_t>> expected = {{0, 3}, {0, 3}};
    CHECK(aligns(n) == expected);
}

TEST_CASE("NFC composes a base letter and a combining accent aligned to the base letter") {
    // The composed character replaces the base letter and removes the accent (change -1), so it
    // keeps the base letter's alignment, as unicode-normalization-alignments reports it.
    NormalizedString n("e\xCC\x81t\xC3\xA9");  // e + U+0301, t, é
    n.nfc();
    CHECK(n.get() == "\xC3\xA9t\xC3\xA9");
    CHECK(n.original_offsets(0, 2) == std::pair<std::size_t, std::size_t>{0, 1});
    CHECK(n.original_offsets(2, 3) == std::pair<std::size_t, std::size_t>{3, 4});
}

TEST_CASE("split behaviors on the-final--countdown follow the tokenizers documentation") {
    CHECK(split_pieces(SplitBehavior::removed) == std::vector<std::string>{"the", "final", "countdown"});
    CHECK(split_pieces(SplitBehavior::isolated) == std::vector<std::string>{"the", "-", "final", "-", "-", "countdown"});
    CHECK(split_pieces(SplitBehavior::merged_with_previous) == std::vector<std::string>{"the-", "final-", "-", "countdown"});
    CHECK(split_pieces(SplitBehavior::merged_with_next) == std::vector<std::string>{"the", "-final", "-", "-countdown"});
    CHECK(split_pieces(SplitBehavior::contiguous) == std::vector<std::string>{"the", "-", "final", "--", "countdown"});
}

TEST_CASE("ByteLevel pre-tokenizer splits words with the GPT-2 regex and keeps original offsets") {
    // pre_tokenizers/byte_level.rs test pre_tokenization
    auto splits = pre_tokenize({{"type", "ByteLevel"}, {"add_prefix_space", false}}, "Hello my friend, how is your day going?");
    std::vector<std::pair<std::string, std::pair<std::size_t, std::size_t>>> expected = {
        {"Hello", {0, 5}},   {"\xC4\xA0my", {5, 8}},   {"\xC4\xA0" "friend", {8, 15}}, {",", {15, 16}},
        {"\xC4\xA0how", {16, 20}}, {"\xC4\xA0is", {20, 23}}, {"\xC4\xA0your", {23, 28}}, {"\xC4\xA0" "day", {28, 32}},
        {"\xC4\xA0going", {32, 38}}, {"?", {38, 39}}};
    CHECK(splits == expected);
}

TEST_CASE("ByteLevel pre-tokenizer without its regex adds the prefix space and keeps one piece") {
    // pre_tokenizers/byte_level.rs test pre_tokenization_no_regex
    auto splits = pre_tokenize({{"type", "ByteLevel"}, {"use_regex", false}}, "Hello my friend, how is your day going?");
    REQUIRE(splits.size() == 1);
    CHECK(splits[0].first == "\xC4\xA0Hello\xC4\xA0my\xC4\xA0" "friend,\xC4\xA0how\xC4\xA0is\xC4\xA0your\xC4\xA0" "day\xC4\xA0going?");
    CHECK(splits[0].second == std::pair<std::size_t, std::size_t>{0, 39});
}

TEST_CASE("Metaspace pre-tokenizer replaces spaces and splits before each of them") {
    // pre_tokenizers/metaspace.rs tests basic and multiple_spaces
    json config = {{"type", "Metaspace"}, {"replacement", "\xE2\x96\x81"}, {"prepend_scheme", "always"}, {"split", true}};
    auto basic = pre_tokenize(config, "Hey friend!");
    std::vector<std::pair<std::string, std::pair<std::size_t, std::size_t>>> expected = {
        {"\xE2\x96\x81Hey", {0, 3}}, {"\xE2\x96\x81" "friend!", {3, 11}}};
    CHECK(basic == expected);
    auto spaces = pre_tokenize(config, "Hey   friend!");
    REQUIRE(spaces.size() == 4);
    CHECK(spaces[1].first == "\xE2\x96\x81");
    CHECK(spaces[2].first == "\xE2\x96\x81");
    CHECK(spaces[3].first == "\xE2\x96\x81" "friend!");
}

TEST_CASE("BertPreTokenizer drops whitespace and isolates punctuation") {
    auto splits = pre_tokenize({{"type", "BertPreTokenizer"}}, "Hey friend!     How are you?!?");
    std::vector<std::string> pieces;
    for (const auto& s : splits) pieces.push_back(s.first);
    CHECK(pieces == std::vector<std::string>{"Hey", "friend", "!", "How", "are", "you", "?", "!", "?"});
    CHECK(splits[2].second == std::pair<std::size_t, std::size_t>{10, 11});
}

TEST_CASE("Digits pre-tokenizer isolates digits or keeps runs together") {
    auto single = pre_tokenize({{"type", "Digits"}, {"individual_digits", true}}, "Hey 123 friend!");
    auto runs = pre_tokenize({{"type", "Digits"}, {"individual_digits", false}}, "Hey 123 friend!");
    std::vector<std::string> a, b;
    for (const auto& s : single) a.push_back(s.first);
    for (const auto& s : runs) b.push_back(s.first);
    CHECK(a == std::vector<std::string>{"Hey ", "1", "2", "3", " friend!"});
    CHECK(b == std::vector<std::string>{"Hey ", "123", " friend!"});
}

TEST_CASE("Split pre-tokenizer with an inverted regex keeps the matches") {
    json config = {{"type", "Split"}, {"pattern", {{"Regex", "\\w+|[^\\w\\s]+"}}}, {"behavior", "Removed"}, {"invert", true}};
    auto splits = pre_tokenize(config, "How are you doing?");
    std::vector<std::string> pieces;
    for (const auto& s : splits) pieces.push_back(s.first);
    CHECK(pieces == std::vector<std::string>{"How", "are", "you", "doing", "?"});
}

TEST_CASE("Whitespace and WhitespaceSplit pre-tokenizers") {
    auto ws = pre_tokenize({{"type", "Whitespace"}}, "Hey man!\nHow are you?");
    auto wss = pre_tokenize({{"type", "WhitespaceSplit"}}, "Hey man!\nHow are you?");
    std::vector<std::string> a, b;
    for (const auto& s : ws) a.push_back(s.first);
    for (const auto& s : wss) b.push_back(s.first);
    CHECK(a == std::vector<std::string>{"Hey", "man", "!", "How", "are", "you", "?"});
    CHECK(b == std::vector<std::string>{"Hey", "man!", "How", "are", "you?"});
}

TEST_CASE("Oniguruma regexes support Unicode classes look-ahead and case-insensitive groups") {
    Regex re(R"((?i:'s|'t)|\p{L}+|\s+(?!\S))", "test");
    std::vector<std::string> found;
    std::string text = "IT'S Ça  va";
    re.for_each_match(text, [&](std::size_t s, std::size_t e) { found.push_back(text.substr(s, e - s)); });
    CHECK(found == std::vector<std::string>{"IT", "'S", "\xC3\x87" "a", " ", "va"});
    CHECK_THROWS_AS(Regex("(unclosed", "test"), Error);
}

TEST_CASE("BPE fuses unknown characters only when fuse_unk is set") {
    // models/bpe/model.rs tests test_unk_not_fused and test_unk_get_fused
    json vocab = {{"<unk>", 0}, {"a", 1}, {"b", 2}};
    Tokenizer plain = with_model(bpe_json(vocab, json::array(), {{"unk_token", "<unk>"}}));
    auto e = plain.encode("accb");
    CHECK(e.ids == std::vector<std::int32_t>{1, 0, 0, 2});
    CHECK(e.offsets == std::vector<std::pair<std::size_t, std::size_t>>{{0, 1}, {1, 2}, {2, 3}, {3, 4}});
    Tokenizer fused = with_model(bpe_json(vocab, json::array(), {{"unk_token", "<unk>"}, {"fuse_unk", true}}));
    auto f = fused.encode("accb");
    CHECK(f.ids == std::vector<std::int32_t>{1, 0, 2});
    CHECK(f.offsets == std::vector<std::pair<std::size_t, std::size_t>>{{0, 1}, {1, 3}, {3, 4}});
    CHECK(f.tokens == std::vector<std::string>{"a", "<unk>", "b"});
}

TEST_CASE("BPE applies merges by rank in both merge formats") {
    // models/bpe/model.rs test test_tokenize_with_and_without_dropout (no dropout)
    json vocab = {{"u", 0}, {"n", 1}, {"r", 2}, {"e", 3}, {"l", 4}, {"a", 5}, {"t", 6}, {"d", 7},
                  {"re", 8}, {"at", 9}, {"ed", 10}, {"un", 11}, {"ated", 12}, {"rel", 13}, {"related", 14}, {"unrelated", 15}};
    json strings = {"r e", "a t", "e d", "u n", "at ed", "re l", "rel ated", "un related"};
    json pairs = json::array();
    for (const auto& m : strings) {
        auto s = m.get<std::string>();
        pairs.push_back({s.substr(0, s.find(' ')), s.substr(s.find(' ') + 1)});
    }
    CHECK(with_model(bpe_json(vocab, strings)).encode("unrelated").ids == std::vector<std::int32_t>{15});
    CHECK(with_model(bpe_json(vocab, pairs)).encode("unrelated").ids == std::vector<std::int32_t>{15});
    CHECK(with_model(bpe_json(vocab, pairs)).encode("unrelat").tokens == std::vector<std::string>{"un", "rel", "at"});
}

TEST_CASE("BPE byte_fallback spells unknown characters as byte tokens") {
    // models/bpe/model.rs test test_bpe_byte_fallback
    Tokenizer tok = with_model(bpe_json({{"<unk>", 0}, {"<0x61>", 1}}, json::array(),
                                        {{"unk_token", "<unk>"}, {"byte_fallback", true}}));
    CHECK(tok.encode("c").ids == std::vector<std::int32_t>{0});
    CHECK(tok.encode("a").ids == std::vector<std::int32_t>{1});
    CHECK(tok.encode("a").tokens == std::vector<std::string>{"<0x61>"});
}

TEST_CASE("BPE ignore_merges takes a whole word from the vocabulary first") {
    // models/bpe/model.rs test test_ignore_merges
    json vocab = {{".:.:", 0}, {"\xC4\xA0" "belirtilen", 1}, {".", 2}, {":", 3}, {"bel", 4}, {"irtilen", 5}, {"\xC4\xA0", 6},
                  {".:", 7}, {"belirtilen", 8}, {".:.", 9}, {"be", 10}, {"l", 11}, {"ir", 12}, {"ti", 13}, {"en", 14},
                  {"irtil", 15}, {"irti", 16}, {"i", 17}, {"r", 18}, {"t", 19}, {"b", 20}, {"e", 21}, {"n", 22}};
    json merges = {". :", "b e", "be l", "i r", "t i", "ir ti", "e n", "irti l"};
    Tokenizer ignoring = with_model(bpe_json(vocab, merges, {{"ignore_merges", true}}));
    CHECK(ignoring.encode(".:.:").ids == std::vector<std::int32_t>{0});
    CHECK(ignoring.encode("\xC4\xA0" "belirtilen").ids == std::vector<std::int32_t>{1});
    Tokenizer merging = with_model(bpe_json(vocab, merges));
    CHECK(merging.encode(".:.:").ids == std::vector<std::int32_t>{7, 7});
    auto e = merging.encode("\xC4\xA0" "belirtilen");
    CHECK(e.ids == std::vector<std::int32_t>{6, 4, 15, 14});
    CHECK(e.offsets == std::vector<std::pair<std::size_t, std::size_t>>{{0, 2}, {2, 5}, {5, 10}, {10, 12}});
}

TEST_CASE("Unigram finds the best segmentation and fuses unknown pieces") {
    // models/unigram/model.rs doc example: "abcdacdxx" -> abcd a cd xx
    json vocab = json::array({{"<unk>", 0.0}, {"a", 0.0}, {"b", 0.0}, {"c", 0.0}, {"d", 0.0}, {"cd", 1.0}, {"ab", 2.0},
                              {"abc", 5.0}, {"abcd", 10.0}});
    Tokenizer tok = with_model({{"type", "Unigram"}, {"unk_id", 0}, {"vocab", vocab}});
    auto e = tok.encode("abcdacdxx");
    CHECK(e.tokens == std::vector<std::string>{"abcd", "a", "cd", "xx"});
    CHECK(e.ids == std::vector<std::int32_t>{8, 1, 5, 0});
}

TEST_CASE("WordPiece splits greedily and turns an uncoverable word into the unknown token") {
    json model = {{"type", "WordPiece"}, {"unk_token", "[UNK]"}, {"continuing_subword_prefix", "##"},
                  {"max_input_chars_per_word", 100},
                  {"vocab", {{"[UNK]", 0}, {"un", 1}, {"##aff", 2}, {"##able", 3}, {"a", 4}}}};
    Tokenizer tok = with_model(model, {{"pre_tokenizer", {{"type", "WhitespaceSplit"}}}});
    auto e = tok.encode("unaffable a xyz");
    CHECK(e.tokens == std::vector<std::string>{"un", "##aff", "##able", "a", "[UNK]"});
    CHECK(e.offsets == std::vector<std::pair<std::size_t, std::size_t>>{{0, 2}, {2, 5}, {5, 9}, {10, 11}, {12, 15}});
}

TEST_CASE("added tokens honour lstrip rstrip single_word and normalized") {
    // tokenizer/added_vocabulary.rs test options_use_cases, through a whole tokenizer
    json doc = {
        {"version", "1.0"},
        {"normalizer", {{"type", "Lowercase"}}},
        {"added_tokens",
         json::array({{{"id", 1}, {"content", "my"}, {"lstrip", true}, {"rstrip", true}, {"normalized", true}, {"special", false}, {"single_word", false}},
                      {{"id", 2}, {"content", "name"}, {"normalized", true}, {"special", false}, {"single_word", false}, {"lstrip", false}, {"rstrip", false}},
                      {{"id", 3}, {"content", "ony"}, {"single_word", true}, {"normalized", true}, {"special", false}, {"lstrip", false}, {"rstrip", false}},
                      {{"id", 4}, {"content", "[CLS]"}, {"special", true}, {"normalized", false}, {"single_word", false}, {"lstrip", false}, {"rstrip", false}},
                      {{"id", 5}, {"content", "[SEP]"}, {"special", true}, {"normalized", false}, {"single_word", false}, {"lstrip", false}, {"rstrip", false}}})},
        {"model", {{"type", "WordLevel"}, {"vocab", {{"[UNK]", 0}}}, {"unk_token", "[UNK]"}}}};
    Tokenizer tok = Tokenizer::from_json_string(doc.dump());
    std::string text = "[CLS] My name is Anthony [SEP]";
    auto e = tok.encode(text);
    CHECK(e.tokens == std::vector<std::string>{"[CLS]", " my ", "name", "[UNK]", "[SEP]"});
    CHECK(e.ids == std::vector<std::int32_t>{4, 1, 2, 0, 5});
    CHECK(e.offsets == std::vector<std::pair<std::size_t, std::size_t>>{{0, 5}, {5, 9}, {9, 13}, {13, 25}, {25, 30}});
    CHECK(e.special_tokens_mask == std::vector<std::uint8_t>{1, 0, 0, 0, 1});
    CHECK(tok.is_special(4));
    CHECK_FALSE(tok.is_special(1));
    CHECK(tok.decode(e.ids, true) == "my name [UNK]");
    CHECK(tok.decode(e.ids, false) == "[CLS] my name [UNK] [SEP]");
}

TEST_CASE("single_word added tokens only match between non-word characters") {
    // tokenizer/added_vocabulary.rs test test_single_word_is_correct
    json doc = {{"version", "1.0"},
                {"normalizer", {{"type", "Lowercase"}}},
                {"added_tokens", json::array({{{"id", 1}, {"content", "<mask>"}, {"single_word", true}, {"lstrip", false},
                                               {"rstrip", false}, {"normalized", true}, {"special", false}}})},
                {"model", {{"type", "WordLevel"}, {"vocab", {{"[UNK]", 0}}}, {"unk_token", "[UNK]"}}}};
    Tokenizer tok = Tokenizer::from_json_string(doc.dump());
    auto e = tok.encode("<mask> My name <mask> A<mask> <mask>ony <mask>");
    CHECK(e.ids == std::vector<std::int32_t>{1, 0, 1, 0, 1});
    CHECK(e.offsets == std::vector<std::pair<std::size_t, std::size_t>>{{0, 6}, {6, 15}, {15, 21}, {21, 40}, {40, 46}});
}

TEST_CASE("decoders ByteFallback Fuse Strip Replace and WordPiece") {
    json doc = {{"version", "1.0"},
                {"model", {{"type", "WordLevel"}, {"unk_token", "<unk>"},
                           {"vocab", {{"<unk>", 0}, {"\xE2\x96\x81hello", 1}, {"<0xC3>", 2}, {"<0xA9>", 3}, {"<0xFF>", 4}}}}},
                {"decoder", {{"type", "Sequence"},
                             {"decoders", json::array({{{"type", "Replace"}, {"pattern", {{"String", "\xE2\x96\x81"}}}, {"content", " "}},
                                                       {{"type", "ByteFallback"}},
                                                       {{"type", "Fuse"}},
                                                       {{"type", "Strip"}, {"content", " "}, {"start", 1}, {"stop", 0}}})}}}};
    Tokenizer tok = Tokenizer::from_json_string(doc.dump());
    CHECK(tok.decode(std::vector<std::int32_t>{1, 2, 3, 1}) == "hello\xC3\xA9 hello");
    // An invalid byte sequence becomes one U+FFFD per byte.
    CHECK(tok.decode(std::vector<std::int32_t>{1, 4, 2}) == "hello\xEF\xBF\xBD\xEF\xBF\xBD");

    json wp = {{"version", "1.0"},
               {"model", {{"type", "WordLevel"}, {"unk_token", "[UNK]"}, {"vocab", {{"[UNK]", 0}, {"i", 1}, {"'", 2}, {"m", 3}, {"##s", 4}, {".", 5}}}}},
               {"decoder", {{"type", "WordPiece"}, {"prefix", "##"}, {"cleanup", true}}}};
    Tokenizer w = Tokenizer::from_json_string(wp.dump());
    // Cleanup works token by token: " ." loses its space, " '" does not.
    CHECK(w.decode(std::vector<std::int32_t>{1, 2, 3, 4, 5}) == "i ' ms.");
}

TEST_CASE("ByteLevel decoder restores bytes and replaces invalid UTF-8") {
    json doc = {{"version", "1.0"},
                {"model", {{"type", "WordLevel"}, {"unk_token", "x"}, {"vocab", {{"x", 0}, {"\xC4\xA0" "caf\xC3\x83\xC2\xA9", 1}, {"\xC3\x83", 2}}}}},
                {"decoder", {{"type", "ByteLevel"}}}};
    Tokenizer tok = Tokenizer::from_json_string(doc.dump());
    CHECK(tok.decode(std::vector<std::int32_t>{1}) == " caf\xC3\xA9");
    CHECK(tok.decode(std::vector<std::int32_t>{2}) == "\xEF\xBF\xBD");  // a lone 0xC3 byte
}

TEST_CASE("TemplateProcessing places special tokens and leaves them out without add_special_tokens") {
    json doc = {{"version", "1.0"},
                {"pre_tokenizer", {{"type", "WhitespaceSplit"}}},
                {"model", {{"type", "WordLevel"}, {"unk_token", "<unk>"}, {"vocab", {{"<unk>", 0}, {"<s>", 1}, {"</s>", 2}, {"a", 3}}}}},
                {"post_processor",
                 {{"type", "TemplateProcessing"},
                  {"single", json::array({{{"SpecialToken", {{"id", "<s>"}, {"type_id", 0}}}}, {{"Sequence", {{"id", "A"}, {"type_id", 0}}}},
                                          {{"SpecialToken", {{"id", "</s>"}, {"type_id", 0}}}}})},
                  {"pair", json::array({{{"Sequence", {{"id", "A"}, {"type_id", 0}}}}, {{"Sequence", {{"id", "B"}, {"type_id", 1}}}}})},
                  {"special_tokens", {{"<s>", {{"id", "<s>"}, {"ids", {1}}, {"tokens", {"<s>"}}}},
                                      {"</s>", {{"id", "</s>"}, {"ids", {2}}, {"tokens", {"</s>"}}}}}}}}};
    Tokenizer tok = Tokenizer::from_json_string(doc.dump());
    auto e = tok.encode("a a");
    CHECK(e.ids == std::vector<std::int32_t>{1, 3, 3, 2});
    CHECK(e.special_tokens_mask == std::vector<std::uint8_t>{1, 0, 0, 1});
    CHECK(e.offsets == std::vector<std::pair<std::size_t, std::size_t>>{{0, 0}, {0, 1}, {2, 3}, {0, 0}});
    CHECK(tok.encode("a a", false).ids == std::vector<std::int32_t>{3, 3});
    CHECK(tok.num_special_tokens_to_add() == 2);
}

TEST_CASE("ByteLevel post-processor trims spaces from offsets in characters of the input") {
    // Expected offsets printed by tokenizers 0.23.2 (Node bindings) for this tokenizer: the counts of
    // leading/trailing Ġ are characters of the text, here 2-byte Ġ characters typed in it.
    json doc = {{"version", "1.0"},
                {"pre_tokenizer", {{"type", "WhitespaceSplit"}}},
                {"post_processor", {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true}, {"use_regex", true}}},
                {"model", {{"type", "WordLevel"}, {"unk_token", "<unk>"},
                           {"vocab", {{"<unk>", 0}, {"\xC4\xA0\xC4\xA0" "a", 1}, {"b\xC4\xA0", 2}, {"\xC4\xA0", 3}, {"\xC3\xA9", 4}}}}}};
    Tokenizer tok = Tokenizer::from_json_string(doc.dump());
    std::string text = "\xC4\xA0\xC4\xA0" "a b\xC4\xA0 \xC3\xA9 \xC4\xA0";  // "ĠĠa bĠ é Ġ"
    auto e = tok.encode(text);
    CHECK(e.ids == std::vector<std::int32_t>{1, 2, 4, 3});
    CHECK(char_offsets(text, e.offsets) == std::vector<std::pair<std::size_t, std::size_t>>{{2, 3}, {4, 5}, {7, 8}, {10, 10}});
    std::string second = "x \xC4\xA0\xC4\xA0" "a";
    CHECK(char_offsets(second, tok.encode(second).offsets) == std::vector<std::pair<std::size_t, std::size_t>>{{0, 1}, {4, 5}});
}

TEST_CASE("BertNormalizer cleans text spaces out CJK strips accents and lowercases") {
    auto n = make_normalizer({{"type", "BertNormalizer"}, {"clean_text", true}, {"handle_chinese_chars", true},
                              {"strip_accents", nullptr}, {"lowercase", true}},
                             "test");
    NormalizedString s("H\xC3\xA9llo\t\x01W\xE4\xB8\x96");  // Héllo, tab, control char, W, 世
    n->normalize(s);
    CHECK(s.get() == "hello w \xE4\xB8\x96 ");
}

TEST_CASE("Replace Prepend Strip and StripAccents normalizers") {
    auto seq = make_normalizer({{"type", "Sequence"},
                                {"normalizers", json::array({{{"type", "Strip"}, {"strip_left", true}, {"strip_right", true}},
                                                             {{"type", "NFD"}},
                                                             {{"type", "StripAccents"}},
                                                             {{"type", "Replace"}, {"pattern", {{"String", " "}}}, {"content", "_"}},
                                                             {{"type", "Prepend"}, {"prepend", "_"}}})}},
                               "test");
    NormalizedString s("  caf\xC3\xA9 ol\xC3\xA9 ");
    seq->normalize(s);
    CHECK(s.get() == "_cafe_ole");
    CHECK(s.original_offsets(0, 1) == std::pair<std::size_t, std::size_t>{2, 3});  // prepended: aligned to 'c'
}
}
