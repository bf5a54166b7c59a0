// The Precompiled normalizer with SentencePiece's own nmt_nfkc charsmap (taken from a model the
// sentencepiece trainer builds at test time), checked against the expectations of the
// spm_precompiled crate's tests (test_precompiled_failure_mode, _hindi, _multi_char_replace_bug).
#include <doctest/doctest.h>
#include <sentencepiece_trainer.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "core/error.hpp"
#include "core/fs.hpp"
#include "tokenizer/normalizers/normalizer.hpp"

using namespace hubbench;
using namespace hubbench::tokenizer;

namespace {

std::uint64_t varint(const std::string& b, std::size_t& pos) {
    std::uint64_t v = 0;
    for (int shift = 0; pos < b.size(); shift += 7) {
        auto byte = static_cast<unsigned char>(b[pos++]);
        v |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
        if (!(byte & 0x80)) break;
    }
    return v;
}

// The bytes of length-delimited field `field` in a serialized protobuf message.
std::optional<std::string> proto_field(const std::string& message, std::uint64_t field) {
    std::size_t pos = 0;
    while (pos < message.size()) {
        std::uint64_t key = varint(message, pos);
        switch (key & 7) {
            case 0: varint(message, pos); break;
            case 1: pos += 8; break;
            case 5: pos += 4; break;
            case 2: {
                auto len = static_cast<std::size_t>(varint(message, pos));
                if ((key >> 3) == field) return message.substr(pos, len);
                pos += len;
                break;
            }
            default: return std::nullopt;
        }
    }
    return std::nullopt;
}

std::string base64(const std::string& bytes) {
    static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        std::uint32_t n = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
        if (i + 1 < bytes.size()) n |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
        if (i + 2 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 2]);
        out.push_back(alphabet[(n >> 18) & 63]);
        out.push_back(alphabet[(n >> 12) & 63]);
        out.push_back(i + 1 < bytes.size() ? alphabet[(n >> 6) & 63] : '=');
        out.push_back(i + 2 < bytes.size() ? alphabet[n & 63] : '=');
    }
    return out;
}

// ModelProto.normalizer_spec (3) .precompiled_charsmap (2) of a freshly trained nmt_nfkc model.
std::string nmt_nfkc_charsmap() {
    TempDir dir("precompiled-test");
    {
        std::ofstream text(dir.path() / "train.txt");
        for (int i = 0; i < 20; ++i) text << "the quick brown fox jumps over the lazy dog\n";
    }
    auto status = sentencepiece::SentencePieceTrainer::Train(
        "--input=" + (dir.path() / "train.txt").string() + " --model_prefix=" + (dir.path() / "m").string() +
        " --model_type=char --vocab_size=30 --hard_vocab_limit=false --normalization_rule_name=nmt_nfkc --minloglevel=2");
    REQUIRE(status.ok());
    std::ifstream in(dir.path() / "m.model", std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    auto spec = proto_field(ss.str(), 3);
    REQUIRE(spec.has_value());
    auto charsmap = proto_field(*spec, 2);
    REQUIRE(charsmap.has_value());
    return *charsmap;
}

std::string normalize(const Normalizer& n, const std::string& text) {
    NormalizedString s(text);
    n.normalize(s);
    return s.get();
}

}  // namespace

TEST_SUITE("unit") {
TEST_CASE("Precompiled normalizer applies the nmt_nfkc charsmap grapheme by grapheme") {
    auto n = make_normalizer({{"type", "Precompiled"}, {"precompiled_charsmap", base64(nmt_nfkc_charsmap())}}, "test");
    CHECK(normalize(*n, "\xE0\xB9\x80\xE0\xB8\x82\xE0\xB8\xB2\xE0\xB9\x84\xE0\xB8\xA1\xE0\xB9\x88\xE0\xB9\x84\xE0\xB8\x94"
                        "\xE0\xB9\x89\xE0\xB8\x9E\xE0\xB8\xB9\xE0\xB8\x94\xE0\xB8\xAA\xE0\xB8\xB1\xE0\xB8\x81\xE0\xB8\x84"
                        "\xE0\xB8\xB3") ==  // เขาไม่ได้พูดสักคำ
          "\xE0\xB9\x80\xE0\xB8\x82\xE0\xB8\xB2\xE0\xB9\x84\xE0\xB8\xA1\xE0\xB9\x88\xE0\xB9\x84\xE0\xB8\x94\xE0\xB9\x89"
          "\xE0\xB8\x9E\xE0\xB8\xB9\xE0\xB8\x94\xE0\xB8\xAA\xE0\xB8\xB1\xE0\xB8\x81\xE0\xB8\x84\xE0\xB9\x8D\xE0\xB8\xB2");
    CHECK(normalize(*n, "\xE0\xA5\x9C\xE0\xA5\x80 \xE0\xA4\xA6\xE0\xA5\x81\xE0\xA4\x96") ==  // ड़ी दुख
          "\xE0\xA4\xA1\xE0\xA4\xBC\xE0\xA5\x80 \xE0\xA4\xA6\xE0\xA5\x81\xE0\xA4\x96");
    CHECK(normalize(*n, "\xD8\xA7\xD9\x93") == "\xD8\xA2");  // two characters, one grapheme -> آ
    CHECK(normalize(*n, "\xF0\x9D\x94\xBE\xF0\x9D\x95\xA0 \xEF\xAC\x81") == "Go fi");  // 𝔾𝕠 ﬁ
    CHECK(normalize(*n, "plain ascii") == "plain ascii");
    // The ligature's two letters keep the ligature's alignment.
    NormalizedString s("x\xEF\xAC\x81");
    n->normalize(s);
    CHECK(s.get() == "xfi");
    CHECK(s.original_offsets(1, 3) == std::pair<std::size_t, std::size_t>{1, 4});
}

TEST_CASE("a malformed precompiled_charsmap is an error naming the component") {
    std::string message;
    try {
        make_normalizer({{"type", "Precompiled"}, {"precompiled_charsmap", "not base64!"}}, "tok.json: normalizer");
    } catch (const Error& e) {
        message = e.what();
        CHECK(e.kind() == ErrorKind::invalid_input);
    }
    CHECK(message.find("Precompiled") != std::string::npos);
    CHECK(message.find("tok.json") != std::string::npos);
    CHECK_THROWS_AS(make_normalizer({{"type", "Precompiled"}, {"precompiled_charsmap", "AAAA"}}, "t"), Error);  // 3 bytes
    CHECK_THROWS_AS(make_normalizer({{"type", "Precompiled"}, {"precompiled_charsmap", base64(std::string("\x10\0\0\0", 4))}}, "t"), Error);
}
}
