#include "core/error.hpp"
#include "tokenizer/json_util.hpp"
#include "tokenizer/models/model.hpp"

namespace hubbench::tokenizer {

ModelPtr make_model(const nlohmann::json& config, const std::string& where) {
    if (!config.is_object()) json_util::fail(where, "the model must be a JSON object");
    std::string type = json_util::type_of(config);
    if (type.empty()) {
        // Files written before "type" existed: tell the models apart by their fields, in the order
        // tokenizers tries them (BPE, WordPiece, WordLevel, Unigram).
        const auto vocab = config.find("vocab");
        if (config.contains("merges")) type = "BPE";
        else if (config.contains("continuing_subword_prefix") || config.contains("max_input_chars_per_word")) type = "WordPiece";
        else if (vocab != config.end() && vocab->is_array()) type = "Unigram";
        else type = "WordLevel";
    }
    std::string at = where + " (" + type + ")";
    if (type == "BPE") return make_bpe_model(config, at);
    if (type == "WordPiece") return make_word_piece_model(config, at);
    if (type == "WordLevel") return make_word_level_model(config, at);
    if (type == "Unigram") return make_unigram_model(config, at);
    throw Error(ErrorKind::unsupported, where + ": unknown model type '" + type + "'");
}

}  // namespace hubbench::tokenizer
