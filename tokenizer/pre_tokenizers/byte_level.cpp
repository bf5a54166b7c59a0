// ByteLevel pre-tokenizer: optional prefix space, the GPT-2 word regex, then every byte shown as a
// printable character (tokenizers/src/pre_tokenizers/byte_level.rs).
#include "tokenizer/byte_level_alphabet.hpp"
#include "tokenizer/json_util.hpp"
#include "tokenizer/pre_tokenizers/pre_tokenizer.hpp"
#include "tokenizer/regex.hpp"

namespace hubbench::tokenizer {

namespace {

const Regex& gpt2_regex() {
    static const Regex re(R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)",
                          "ByteLevel pre-tokenizer");
    return re;
}

class ByteLevelPreTokenizer final : public PreTokenizer {
public:
    ByteLevelPreTokenizer(bool add_prefix_space, bool use_regex)
        : add_prefix_space_(add_prefix_space), use_regex_(use_regex) {}

    void pre_tokenize(PreTokenizedString& s) const override {
        s.split([this](NormalizedString&& n, std::vector<NormalizedString>& out) {
            if (add_prefix_space_ && (n.empty() || n.get().front() != ' ')) n.prepend(" ");
            if (use_regex_) {
                n.split(gpt2_regex().find_matches(n.get()), SplitBehavior::isolated, out);
            } else {
                out.push_back(std::move(n));
            }
        });
        s.normalize([](NormalizedString& n) { byte_level::map_bytes(n); });
    }

private:
    bool add_prefix_space_, use_regex_;
};

}  // namespace

PreTokenizerPtr make_byte_level_pre_tokenizer(const nlohmann::json& config, const std::string& where) {
    return std::make_unique<ByteLevelPreTokenizer>(json_util::get_bool(config, "add_prefix_space", true, where),
                                                   json_util::get_bool(config, "use_regex", true, where));
}

}  // namespace hubbench::tokenizer
