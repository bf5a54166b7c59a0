// BertNormalizer: clean text, space out CJK ideographs, strip accents, lowercase
// (tokenizers/src/normalizers/bert.rs).
#include <optional>

#include "tokenizer/json_util.hpp"
#include "tokenizer/normalizers/normalizer.hpp"

namespace hubbench::tokenizer {

namespace {

// BERT counts \t \n \r as whitespace, not as control characters.
bool is_bert_whitespace(char32_t c) { return c == '\t' || c == '\n' || c == '\r' || unicode::is_whitespace(c); }
bool is_bert_control(char32_t c) {
    if (c == '\t' || c == '\n' || c == '\r') return false;
    return unicode::is_other(c);
}

// The CJK Unified Ideographs blocks (not Hangul, Hiragana or Katakana).
bool is_chinese_char(char32_t c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF) ||
           (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

class BertNormalizer final : public Normalizer {
public:
    BertNormalizer(bool clean_text, bool handle_chinese_chars, bool strip_accents, bool lowercase)
        : clean_text_(clean_text), handle_chinese_chars_(handle_chinese_chars), strip_accents_(strip_accents),
          lowercase_(lowercase) {}

    void normalize(NormalizedString& s) const override {
        if (clean_text_) {
            s.filter([](char32_t c) { return !(c == 0 || c == 0xFFFD || is_bert_control(c)); });
            s.map([](char32_t c) { return is_bert_whitespace(c) ? U' ' : c; });
        }
        if (handle_chinese_chars_) {
            s.expand([](char32_t c, std::u32string& out) {
                if (is_chinese_char(c)) {
                    out.push_back(U' ');
                    out.push_back(c);
                    out.push_back(U' ');
                } else {
                    out.push_back(c);
                }
            });
        }
        if (strip_accents_) {
            s.nfd();
            s.filter([](char32_t c) { return !unicode::is_mark_nonspacing(c); });
        }
        if (lowercase_) s.lowercase();
    }

private:
    bool clean_text_, handle_chinese_chars_, strip_accents_, lowercase_;
};

}  // namespace

NormalizerPtr make_bert_normalizer(const nlohmann::json& config, const std::string& where) {
    bool lowercase = json_util::get_bool(config, "lowercase", true, where);
    // strip_accents: null means "same as lowercase".
    bool strip_accents = json_util::get_bool(config, "strip_accents", lowercase, where);
    return std::make_unique<BertNormalizer>(json_util::get_bool(config, "clean_text", true, where),
                                            json_util::get_bool(config, "handle_chinese_chars", true, where),
                                            strip_accents, lowercase);
}

}  // namespace hubbench::tokenizer
