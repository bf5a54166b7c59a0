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
        // Split, then map every piece's bytes; done in one pass (each regex match is sliced and
        // mapped at once), which gives the same pieces as split() followed by normalize().
        const auto& table = byte_level::byte_to_chars();
        s.split([this, &table](NormalizedString&& n, std::vector<NormalizedString>& out) {
            if (add_prefix_space_ && (n.empty() || n.get().front() != ' ')) n.prepend(" ");
            if (use_regex_) {
                // Isolated: matches and the text between them are all pieces.
                std::size_t prev = 0;
                gpt2_regex().for_each_match(n.get(), [&](std::size_t start, std::size_t end) {
                    if (prev < start) out.push_back(n.slice_bytes_mapped(prev, start, table));
                    if (start < end) out.push_back(n.slice_bytes_mapped(start, end, table));
                    prev = end;
                });
                if (prev < n.len()) out.push_back(n.slice_bytes_mapped(prev, n.len(), table));
            } else {
                // No split: the piece is mapped in place and keeps its original range.
                byte_level::map_bytes(n);
                out.push_back(std::move(n));
            }
        });
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
